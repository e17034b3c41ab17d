"""Keeping site photos: WeCom keeps a received media id for three days only, so a photo's
bytes are fetched with ``media/get`` as soon as it arrives, hashed (SHA-256) and kept in the
photo store (``bot.installation.photo_store``: a folder under the data directory, or an
S3-compatible bucket). A failed download or store leaves the row without a path; the photo
sweep tries again until it is kept."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.installation.photo_store import PhotoStore, PhotoStoreError
from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from models.installation import InstallPhoto


@dataclass(frozen=True, slots=True)
class MediaKeeper:
    client: WeComClient
    store: PhotoStore

    async def fetch(self, tenant: TenantInfo, media_id: str) -> bytes:
        return await self.client.download_media(tenant.credentials, media_id)


async def _failed(photo: InstallPhoto, reason: str) -> bool:
    photo.last_error = reason[:200]
    await photo.save()
    return False


async def keep_photo(keeper: object, tenant: TenantInfo, photo: InstallPhoto) -> bool:
    """Downloads and stores ``photo`` unless it already is; False when either failed."""
    if photo.stored_path:
        return True
    if not isinstance(keeper, MediaKeeper):
        return False
    photo.attempts += 1
    try:
        content = await keeper.fetch(tenant, photo.media_id)
    except WeComAPIError as error:
        # errmsg without WeCom's ", more info at <url>" tail: the admins read it.
        return await _failed(photo, f"{error.errcode} {error.errmsg.split(', more info')[0]}")
    digest = hashlib.sha256(content).hexdigest()
    try:
        stored_at = await keeper.store.store(tenant.id, digest, content)
    except PhotoStoreError as error:
        return await _failed(photo, error.reason)
    photo.stored_path, photo.sha256 = stored_at, digest
    photo.size = len(content)
    photo.last_error = ""
    await photo.save()
    return True
