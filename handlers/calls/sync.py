"""同步公费电话 (admins): pull WeCom 公费电话 records now, as the scheduled sync does.

The WeCom calls run in the route's ``prepare`` step, outside the handler's transaction, so a
slow answer never holds the database.
"""

from __future__ import annotations

import logging

from bot.calls import phrasings
from bot.calls.dial_sync import DialReport, sync_dial
from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.wecom.client import WeComAPIError, WeComClient
from models.tenants import Role

logger = logging.getLogger(__name__)
router = Router(__name__, title="通话", module="callcenter")

REPORT = "report_dial_sync"
DONE = "已同步公费电话（最近两天）：读到 {records} 条记录，{legs} 通电话，其中新记 {new} 通。"
FORBIDDEN = (
    "企业微信没有允许本应用读取公费电话：请在管理后台「公费电话 - 可调用接口的应用」中加入本应用。"
)
FAILED = "这次没能从企业微信读到公费电话记录，稍后再发「同步公费电话」试一次。"


async def pull_dial_records(ctx: Context) -> None:
    client: WeComClient | None = ctx.deps.get("client")
    if client is None:
        return
    try:
        ctx.deps[REPORT] = await sync_dial(client, ctx.tenant, ctx.clock)
    except WeComAPIError as exc:
        logger.warning("公费电话 sync of %s stopped: %s", ctx.tenant.key, exc)


@router.command(
    "同步公费电话",
    roles=[Role.ADMIN],
    prepare=pull_dial_records,
    examples=phrasings.SYNC_EXAMPLES,
    phrasings=phrasings.SYNC,
)
async def sync_dial_records(ctx: Context) -> str:
    """（管理员）同步公费电话：马上读取企业微信公费电话记录（平时每5分钟自动同步）"""
    report: DialReport | None = ctx.deps.get(REPORT)
    if report is None:
        return FAILED
    if report.forbidden:
        return FORBIDDEN
    return DONE.format(records=report.records, legs=report.legs, new=report.new)
