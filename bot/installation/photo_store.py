"""Where kept site photos live: a folder under the data directory by default, or an
S3-compatible bucket when ``[installation.photos]`` names one. Chosen once, at start-up, from
the settings. Either way a photo is kept under its SHA-256, so keeping one twice (a retry
after a lost answer, the same picture sent again) writes the same object."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.clock import Clock
from bot.config import Settings
from bot.installation.bucket import BucketError, PhotoBucket

log = logging.getLogger(__name__)

FOLDER = "install_photos"
# What the first bytes say; WeCom's media/get answer carries no reliable type for images.
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
)


class PhotoStoreError(Exception):
    """The photo could not be kept; ``reason`` is short and read by the admins."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PhotoStore(Protocol):
    async def store(self, tenant_id: int, sha256: str, content: bytes) -> str:
        """Keeps ``content`` and returns where it is (a path, or s3://bucket/key)."""
        ...


def photo_folder(settings: Settings) -> Path:
    """Next to the SQLite database; ``data/`` for PostgreSQL."""
    url = settings.database.url
    if url.startswith("sqlite://") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite://")).parent / FOLDER
    return Path("data") / FOLDER


def content_type(content: bytes) -> str:
    return next(
        (kind for magic, kind in SIGNATURES if content.startswith(magic)),
        "application/octet-stream",
    )


@dataclass(frozen=True, slots=True)
class LocalPhotoFolder:
    folder: Path

    async def store(self, tenant_id: int, sha256: str, content: bytes) -> str:
        path = self.folder / str(tenant_id) / sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return str(path)


class BucketPhotoStore:
    def __init__(self, bucket: PhotoBucket, name: str, prefix: str) -> None:
        self._bucket = bucket
        self._name = name
        self._prefix = prefix

    def key(self, tenant_id: int, sha256: str) -> str:
        return f"{self._prefix}{tenant_id}/{sha256}"

    async def store(self, tenant_id: int, sha256: str, content: bytes) -> str:
        key = self.key(tenant_id, sha256)
        try:
            await self._bucket.put(key, content, content_type(content))
        except BucketError as error:
            log.warning("photo bucket %s refused %s: %s", self._name, key, error.reason)
            raise PhotoStoreError(f"存储桶写入失败 {error.reason}") from error
        return f"s3://{self._name}/{key}"


def photo_store(settings: Settings, clock: Clock) -> PhotoStore:
    bucket = settings.installation.photo_bucket
    if bucket is None:
        return LocalPhotoFolder(photo_folder(settings))
    return BucketPhotoStore(PhotoBucket(bucket, clock), bucket.bucket, bucket.prefix)
