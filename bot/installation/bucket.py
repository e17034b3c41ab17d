"""A small S3-compatible client: AWS Signature Version 4 over aiohttp, path-style URLs
(``{endpoint}/{bucket}/{key}``), which AWS S3, MinIO, Ceph and most S3-compatible stores
accept. Only what keeping site photos needs: PUT of one object.

The signature follows AWS's "Authenticating Requests (AWS Signature Version 4)": a canonical
request, a string to sign over its hash, and an HMAC chain from the secret through date,
region and service. The payload's SHA-256 is sent and signed (``x-amz-content-sha256``), so
the store rejects a body altered on the way.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

import aiohttp
from yarl import URL

from bot.clock import Clock
from bot.installation.settings import PhotoBucketSettings

ALGORITHM = "AWS4-HMAC-SHA256"
SERVICE = "s3"
TIMEOUT_SECONDS = 30
ERROR_CODE_RE = re.compile(r"<Code>([^<]{1,60})</Code>")


class BucketError(Exception):
    """The bucket did not take the object: a non-2xx answer or no answer at all."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def uri_encode(path: str) -> str:
    """AWS's URI encoding of a path: every byte but A-Z a-z 0-9 - _ . ~ and / as %XX."""
    return quote(path, safe="/-_.~")


def _canonical_headers(headers: Mapping[str, str]) -> tuple[str, str]:
    # Values trimmed, inner runs of spaces collapsed, names lower-cased and sorted.
    lines = sorted((k.lower(), " ".join(v.split())) for k, v in headers.items())
    return "".join(f"{k}:{v}\n" for k, v in lines), ";".join(k for k, _ in lines)


@dataclass(frozen=True, slots=True)
class SigV4:
    access_key_id: str
    secret_access_key: str
    region: str
    service: str = SERVICE

    def scope(self, amz_date: str) -> str:
        return f"{amz_date[:8]}/{self.region}/{self.service}/aws4_request"

    def canonical_request(
        self, method: str, path: str, headers: Mapping[str, str], payload_sha256: str
    ) -> str:
        """``path`` is already URI-encoded; photos use no query string."""
        canonical, signed = _canonical_headers(headers)
        return "\n".join((method, path, "", canonical, signed, payload_sha256))

    def string_to_sign(self, amz_date: str, canonical_request: str) -> str:
        digest = hashlib.sha256(canonical_request.encode()).hexdigest()
        return "\n".join((ALGORITHM, amz_date, self.scope(amz_date), digest))

    def signature(self, amz_date: str, canonical_request: str) -> str:
        key = f"AWS4{self.secret_access_key}".encode()
        for part in (amz_date[:8], self.region, self.service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        to_sign = self.string_to_sign(amz_date, canonical_request).encode()
        return hmac.new(key, to_sign, hashlib.sha256).hexdigest()

    def authorization(
        self, method: str, path: str, headers: Mapping[str, str], payload_sha256: str
    ) -> str:
        """The Authorization header for a request whose ``headers`` (host and x-amz-date
        included) are all signed."""
        amz_date = next(v for k, v in headers.items() if k.lower() == "x-amz-date")
        request = self.canonical_request(method, path, headers, payload_sha256)
        _, signed = _canonical_headers(headers)
        return (
            f"{ALGORITHM} Credential={self.access_key_id}/{self.scope(amz_date)}, "
            f"SignedHeaders={signed}, Signature={self.signature(amz_date, request)}"
        )


def amz_date(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _host(url: URL) -> str:
    host = url.raw_host or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    return host if url.is_default_port() else f"{host}:{url.port}"


class PhotoBucket:
    """PUTs objects into one bucket, signing each request with the configured key."""

    def __init__(self, settings: PhotoBucketSettings, clock: Clock) -> None:
        self._settings = settings
        self._clock = clock
        self._signer = SigV4(settings.access_key_id, settings.secret_access_key, settings.region)
        self._endpoint = URL(settings.endpoint)

    def path(self, key: str) -> str:
        base = self._endpoint.raw_path.rstrip("/")
        return uri_encode(f"{base}/{self._settings.bucket}/{key}")

    async def put(self, key: str, content: bytes, content_type: str) -> None:
        path = self.path(key)
        headers = {
            "Host": _host(self._endpoint),
            "Content-Type": content_type,
            "x-amz-content-sha256": hashlib.sha256(content).hexdigest(),
            "x-amz-date": amz_date(self._clock.now()),
        }
        headers["Authorization"] = self._signer.authorization(
            "PUT", path, headers, headers["x-amz-content-sha256"]
        )
        url = self._endpoint.with_path(path, encoded=True)
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        # One session per object: photos arrive a few a job, and nothing is left to close.
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.put(url, data=content, headers=headers) as response,
            ):
                if response.status // 100 == 2:
                    return
                found = ERROR_CODE_RE.search(await response.text(errors="replace"))
                code = f" {found.group(1)}" if found else ""
                raise BucketError(f"HTTP {response.status}{code}")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise BucketError(type(error).__name__) from error
