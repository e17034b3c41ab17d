"""The photo sweep: a site photo whose download failed is tried again until it is kept, and
once WeCom no longer has it (three days after it was sent) the tenant's admins are told,
once, that the job lacks that evidence."""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.installation.media import MediaKeeper, keep_photo
from bot.notices import notify_admins
from bot.outbox import OutboxSender
from bot.tenants import TenantDirectory, TenantInfo
from models.installation import InstallJob, InstallPhoto

MEDIA_LIFETIME = timedelta(days=3)
GONE = 40007  # invalid media_id: WeCom no longer has the file
BATCH = 200
LOST = (
    "【安装照片丢失】安装单 {number} 有 1 张现场照片没能下载（{error}），企业微信已不再保存。"
    "请安装师傅重新发送照片。"
)


class PhotoSweep:
    def __init__(
        self, tenants: TenantDirectory, keeper: MediaKeeper, sender: OutboxSender, clock: Clock
    ) -> None:
        self._tenants = tenants
        self._keeper = keeper
        self._sender = sender
        self._clock = clock

    async def run(self) -> int:
        """Tries every photo not yet kept; returns how many were kept this time."""
        kept, alerted = 0, 0
        waiting = await InstallPhoto.filter(stored_path="", alerted_at__isnull=True).limit(BATCH)
        for photo in waiting:
            tenant = await self._tenants.get_by_id(
                (await InstallJob.get(id=photo.job_id)).tenant_id
            )
            if tenant is None:
                continue
            if await keep_photo(self._keeper, tenant, photo):
                kept += 1
            elif self._gone(photo):
                alerted += await self._alert(tenant, photo)
        if alerted:
            await self._sender.sweep()
        return kept

    def _gone(self, photo: InstallPhoto) -> bool:
        """WeCom keeps a file three days; it answers 40007 for one it no longer has."""
        expired = self._clock.now() - photo.received_at >= MEDIA_LIFETIME
        return expired or photo.last_error.startswith(f"{GONE} ")

    async def _alert(self, tenant: TenantInfo, photo: InstallPhoto) -> int:
        now = self._clock.now()
        async with in_transaction():
            won = await InstallPhoto.filter(id=photo.id, alerted_at__isnull=True).update(
                alerted_at=now
            )
            if won != 1:
                return 0  # another replica told them
            job = await InstallJob.get(id=photo.job_id)
            text = LOST.format(number=job.number, error=photo.last_error or "下载失败")
            await notify_admins(tenant, text, key=f"install-photo:{photo.id}:lost", now=now)
        return 1
