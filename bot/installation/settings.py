"""The ``[installation.photos]`` config table: where site photos are kept.

Left out, photos go to a folder under the data directory. With ``bucket`` set they go to an
S3-compatible bucket (AWS S3, MinIO, Ceph, Cloudflare R2, 阿里云 OSS / 腾讯云 COS in their S3
mode). A wrong or missing key raises ``InstallationConfigError`` with the key's path, which
``bot.config`` turns into its ``ConfigError``. The secret access key may come from
``SCRM_INSTALLATION_PHOTOS_SECRET_ACCESS_KEY`` instead of the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SECRET_ENV = "SCRM_INSTALLATION_PHOTOS_SECRET_ACCESS_KEY"
TABLE = "installation.photos"
# S3's rules for a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens.
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
REGION_RE = re.compile(r"^[a-z0-9-]{1,40}$")
MAX_PREFIX = 100  # s3://bucket/prefix/tenant/sha256 fits install_photo.stored_path (300)
KNOWN_KEYS = frozenset(
    {"endpoint", "bucket", "region", "access_key_id", "secret_access_key", "prefix"}
)


class InstallationConfigError(ValueError):
    def __init__(self, path: str, expected: str) -> None:
        super().__init__(f"config key {path}: expected {expected}")
        self.path = path
        self.expected = expected


@dataclass(frozen=True, slots=True)
class PhotoBucketSettings:
    endpoint: str  # e.g. https://s3.eu-west-1.amazonaws.com or http://127.0.0.1:9000
    bucket: str
    region: str
    access_key_id: str
    secret_access_key: str = field(repr=False)
    prefix: str = ""  # "" or ends with "/": objects are <prefix><tenant id>/<sha256>


@dataclass(frozen=True, slots=True)
class InstallationSettings:
    photo_bucket: PhotoBucketSettings | None = None  # None: the local folder


def parse_installation(raw: Any, env: Mapping[str, str] | None = None) -> InstallationSettings:
    if raw is None:
        return InstallationSettings()
    if not isinstance(raw, Mapping):
        raise InstallationConfigError("installation", "a table")
    photos = raw.get("photos")
    if photos is None:
        return InstallationSettings()
    if not isinstance(photos, Mapping):
        raise InstallationConfigError(TABLE, "a table")
    return InstallationSettings(photo_bucket=_bucket(photos, env or {}))


def _text(table: Mapping[str, Any], name: str, expected: str) -> str:
    value = table.get(name, "")
    if not isinstance(value, str):
        raise InstallationConfigError(f"{TABLE}.{name}", f"{expected}, got {value!r}")
    return value.strip()


def _required(value: str, name: str, expected: str) -> str:
    if not value:
        raise InstallationConfigError(
            f"{TABLE}.{name}", f"{expected} (needed once any bucket key is set)"
        )
    return value


def _bucket(table: Mapping[str, Any], env: Mapping[str, str]) -> PhotoBucketSettings | None:
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise InstallationConfigError(
            f"{TABLE}.{unknown[0]}", f"one of {', '.join(sorted(KNOWN_KEYS))}"
        )
    endpoint = _text(table, "endpoint", "the bucket's endpoint URL")
    bucket = _text(table, "bucket", "the bucket's name")
    key_id = _text(table, "access_key_id", "the access key id")
    secret = env.get(SECRET_ENV) or _text(table, "secret_access_key", "the secret access key")
    region = _text(table, "region", "the bucket's region") or "us-east-1"
    prefix = _text(table, "prefix", "a key prefix such as scrm/photos")
    if not (endpoint or bucket or key_id or secret or prefix):
        return None  # an empty table: the local folder
    _required(endpoint, "endpoint", "an http:// or https:// URL such as https://s3.amazonaws.com")
    if not endpoint.startswith(("http://", "https://")) or "?" in endpoint:
        raise InstallationConfigError(
            f"{TABLE}.endpoint", f"an http:// or https:// URL without a query, got {endpoint!r}"
        )
    _required(bucket, "bucket", "the bucket's name")
    if not BUCKET_RE.match(bucket):
        raise InstallationConfigError(
            f"{TABLE}.bucket", f"3 to 63 lower-case letters, digits, . or -, got {bucket!r}"
        )
    if not REGION_RE.match(region):
        raise InstallationConfigError(
            f"{TABLE}.region", f"a region such as us-east-1 or cn-north-1, got {region!r}"
        )
    _required(key_id, "access_key_id", "the access key id")
    _required(secret, "secret_access_key", f"the secret access key (or set {SECRET_ENV})")
    prefix = prefix.strip("/")
    if len(prefix) > MAX_PREFIX:
        raise InstallationConfigError(f"{TABLE}.prefix", f"at most {MAX_PREFIX} characters")
    return PhotoBucketSettings(
        endpoint=endpoint.rstrip("/"),
        bucket=bucket,
        region=region,
        access_key_id=key_id,
        secret_access_key=secret,
        prefix=f"{prefix}/" if prefix else "",
    )
