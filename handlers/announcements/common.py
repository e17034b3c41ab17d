"""What the announcement handlers share: who may manage them and finding one by its number."""

from __future__ import annotations

import re

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.subscription.operators import require_operator
from bot.subscription.service import Billing
from models.announcements import Announcement

OPERATORS_ONLY = "只有服务商的运营人员可以管理公告。"
# 帮助 lists what the person asking may run, and only the provider's operators may run these:
# they are listed for operators by 公告 instead (``OPERATOR_COMMANDS``).
OPERATORS_ONLY_HELP = ""
OPERATOR_COMMANDS = (
    "公告管理（服务商）：\n"
    "· 新公告 标题：4.2 版上线 内容：……\n"
    "· 预览公告 5（卡片只发给你）\n"
    "· 发布公告 5、发布公告 5 明天10点 给 售后服务版（受众：版本、模块或企业名）\n"
    "· 撤回公告 5\n"
    "· 公告送达 5（各企业送达、已读人数）\n"
    "· 公告列表"
)
ASK_NUMBER = "请写上公告编号，例如：{command} 5（发送「公告列表」查看编号）。"
NO_SUCH = "没有编号为 {number} 的公告。发送「公告列表」查看。"
_NUMBER = re.compile(r"^\s*(?:第\s*)?#?(\d{1,9})\s*(?:号|条)?\s*")


def billing_of(ctx: Context) -> Billing:
    billing: Billing = ctx.deps["billing"]
    return billing


def providers(billing: Billing) -> frozenset[str]:
    """The provider's own tenants: where its operators sit."""
    return frozenset(op.tenant_key for op in billing.settings.operators)


def operator_billing(ctx: Context) -> Billing:
    require_operator(ctx, OPERATORS_ONLY)
    return billing_of(ctx)


def operator_name(ctx: Context) -> str:
    return f"{ctx.tenant.key}:{ctx.update.user_id}"


async def numbered(ctx: Context, command: str) -> tuple[Announcement, str]:
    """The announcement the arguments start with, and what follows its number."""
    found = _NUMBER.match(ctx.args)
    if found is None:
        raise UserFacingError(ASK_NUMBER.format(command=command))
    announcement = await Announcement.get_or_none(id=int(found[1]))
    if announcement is None:
        raise UserFacingError(NO_SUCH.format(number=found[1]))
    return announcement, ctx.args[found.end() :].strip()
