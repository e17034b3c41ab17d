"""Keeping site photos: WeCom keeps a received media id for three days only, so a photo's
bytes are fetched with ``media/get`` as soon as it arrives and written under the data
directory (``<data>/install_photos/<tenant>/<sha256>``). A failed download leaves the row
without a path; the photo sweep tries again until it is kept."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError, WeComClient
from models.installation import InstallPhoto

FOLDER = "install_photos"


def photo_folder(settings: Settings) -> Path:
    """Next to the SQLite database; ``data/`` for PostgreSQL."""
    url = settings.database.url
    if url.startswith("sqlite://") and ":memory:" not in url:
        return Path(url.removeprefix("sqlite://")).parent / FOLDER
    return Path("data") / FOLDER


@dataclass(frozen=True, slots=True)
class MediaKeeper:
    client: WeComClient
    folder: Path

    async def fetch(self, tenant: TenantInfo, media_id: str) -> bytes:
        return await self.client.download_media(tenant.credentials, media_id)

    def store(self, tenant_id: int, content: bytes) -> tuple[str, str]:
        digest = hashlib.sha256(content).hexdigest()
        path = self.folder / str(tenant_id) / digest
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return str(path), digest


async def keep_photo(keeper: object, tenant: TenantInfo, photo: InstallPhoto) -> bool:
    """Downloads and stores ``photo`` unless it already is; False when the download failed."""
    if photo.stored_path:
        return True
    if not isinstance(keeper, MediaKeeper):
        return False
    photo.attempts += 1
    try:
        content = await keeper.fetch(tenant, photo.media_id)
    except WeComAPIError as error:
        # errmsg without WeCom's ", more info at <url>" tail: the admins read it.
        photo.last_error = f"{error.errcode} {error.errmsg.split(', more info')[0]}"[:200]
        await photo.save()
        return False
    photo.stored_path, photo.sha256 = keeper.store(tenant.id, content)
    photo.size = len(content)
    photo.last_error = ""
    await photo.save()
    return True
