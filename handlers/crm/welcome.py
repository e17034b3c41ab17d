"""欢迎语: the text new customers get, per tenant and per contact way (state)."""

from __future__ import annotations

import re

from bot.crm.book import employee_label
from bot.crm.welcome import (
    CUSTOMER_PLACEHOLDER,
    DEFAULT_TEMPLATE,
    EMPLOYEE_PLACEHOLDER,
    render,
    save_template,
)
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from handlers.crm.phrasings import (
    SET_WELCOME_EXAMPLES,
    SET_WELCOME_PHRASINGS,
    SHOW_WELCOME_EXAMPLES,
    SHOW_WELCOME_PHRASINGS,
)
from models.crm.tags import WelcomeTemplate
from models.tenants import Role

router = Router(__name__, title="客户", module="crm")

SET_USAGE = (
    "请按这个格式写：设置欢迎语 你好{客户名}，我是{员工名}\n"
    "只对某个渠道（联系我二维码的 state）生效：设置欢迎语 渠道 booth 你好{客户名}"
)
BAD_PLACEHOLDER = "欢迎语里只能用 {客户名} 和 {员工名}，看不懂「{found}」。"
TOO_LONG = "欢迎语太长了：最多 4000 字节（约 1300 个汉字）。"
SAVED = "已设置{scope}欢迎语。新客户会收到：\n{preview}"
DEFAULT_SCOPE, STATE_SCOPE = "默认", "渠道「{state}」的"
LIST_HEADER = "当前欢迎语（{客户名}、{员工名} 会换成客户和员工的名字）："
BUILT_IN = "· 默认（内置）：{text}"
ENTRY = "· {scope}：{text}"
PREVIEW_CUSTOMER = "张三"
MAX_BYTES = 4000
_STATE = re.compile(r"^渠道\s+(?P<state>\S{1,64})\s+(?P<text>\S.*)$", re.S)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def parse_template(args: str) -> tuple[str, str]:
    text = args.strip()
    if not text:
        raise UserFacingError(SET_USAGE)
    match = _STATE.match(text)
    state, template = (match.group("state"), match.group("text")) if match else ("", text)
    for found in _PLACEHOLDER.findall(template):
        if found not in (CUSTOMER_PLACEHOLDER, EMPLOYEE_PLACEHOLDER):
            raise UserFacingError(BAD_PLACEHOLDER.replace("{found}", found))
    if len(template.encode()) > MAX_BYTES:
        raise UserFacingError(TOO_LONG)
    return state, template


@router.command(
    "设置欢迎语",
    "set welcome",
    roles=[Role.ADMIN],
    chats=[ChatType.SINGLE, ChatType.GROUP],
    slots=("state", "text"),
    examples=SET_WELCOME_EXAMPLES,
    phrasings=SET_WELCOME_PHRASINGS,
)
async def set_welcome(ctx: Context) -> str:
    """（管理员）设置新客户的欢迎语，例如：设置欢迎语 你好{客户名}，我是{员工名}"""
    state, template = parse_template(ctx.args)
    await save_template(ctx.tenant.id, state, template, ctx.update.user_id or "", ctx.clock.now())
    preview = render(template, PREVIEW_CUSTOMER, employee_label(ctx.employee))
    scope = STATE_SCOPE.format(state=state) if state else DEFAULT_SCOPE
    return SAVED.format(scope=scope, preview=preview)


@router.command(
    "欢迎语",
    "show welcome",
    slots=(),
    examples=SHOW_WELCOME_EXAMPLES,
    phrasings=SHOW_WELCOME_PHRASINGS,
)
async def show_welcome(ctx: Context) -> str:
    """看新客户会收到的欢迎语"""
    rows = await WelcomeTemplate.filter(tenant_id=ctx.tenant.id).order_by("state")
    lines = [LIST_HEADER]
    if not any(row.state == "" for row in rows):
        lines.append(BUILT_IN.format(text=DEFAULT_TEMPLATE))
    for row in rows:
        scope = STATE_SCOPE.format(state=row.state) if row.state else DEFAULT_SCOPE
        lines.append(ENTRY.format(scope=scope.removesuffix("的"), text=row.text))
    return "\n".join(lines)
