"""设置: what admins change in chat, and 设置 alone to see it all.

``设置 欢迎语 <text>`` (``设置 欢迎语 渠道 <state> <text>`` for one contact way) stores the
welcome new customers get through ``bot.crm.welcome``; ``设置 提醒时间 09:00`` moves the daily
follow-up digest.
"""

from __future__ import annotations

from bot.admin.phrases import END, LOOK
from bot.admin.preferences import clock_words, digest_time, parse_clock_time, set_digest_time
from bot.crm.book import admin_userids, employee_label
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
from bot.notices import NoticeRoute, route_of
from handlers.crm.welcome import PREVIEW_CUSTOMER, parse_template
from models.crm.tags import WelcomeTemplate
from models.tenants import Role

router = Router(__name__, title="管理", module="core")

WELCOME_WORDS = ("欢迎语",)
DIGEST_WORDS = ("提醒时间", "日报时间", "跟进提醒时间")
PLACEHOLDERS = f"可用占位符：{CUSTOMER_PLACEHOLDER}（客户名字）、{EMPLOYEE_PLACEHOLDER}（员工名字）"
USAGE = (
    "可以设置：\n"
    f"· 设置 欢迎语 你好{CUSTOMER_PLACEHOLDER}，我是{EMPLOYEE_PLACEHOLDER}\n"
    f"· 设置 欢迎语 渠道 booth 你好{CUSTOMER_PLACEHOLDER}（只对这个渠道的联系我二维码）\n"
    "· 设置 提醒时间 09:00（每个工作日发跟进日报的时间）\n"
    "发送「设置」查看当前设置。"
)
UNKNOWN = "不能设置「{what}」。"
WELCOME_SAVED = "已设置{scope}欢迎语。新客户会收到（以客户「{customer}」为例）：\n{preview}\n{hint}"
DEFAULT_SCOPE, STATE_SCOPE = "默认", "渠道「{state}」的"
ASK_TIME = "请写上时间，例如：设置 提醒时间 09:00"
BAD_TIME = (
    "没看懂「{text}」这个时间，请写成 24 小时制，例如：设置 提醒时间 09:00、设置 提醒时间 18:30"
)
DIGEST_SAVED = "已设置：每个工作日 {time}（{zone}）把当天和逾期的跟进发给每位同事。"

SETTINGS_HEAD = "【当前设置】"
WELCOME_LINE = "· 欢迎语（默认）：{text}"
WELCOME_BUILT_IN = "· 欢迎语（默认，内置）：{text}"
STATE_LINE = "· 渠道欢迎语：{states}（发送「欢迎语」看全文）"
DIGEST_LINE = "· 跟进日报：每个工作日 {time}（{zone}）"
NOTICE_LINES = {
    NoticeRoute.WEBHOOK: "· 管理员通知：发到管理群（群机器人）",
    NoticeRoute.APPCHAT: "· 管理员通知：发到管理群（应用群聊）",
    NoticeRoute.ADMINS: "· 管理员通知：单独发给每位管理员（{count} 人）",
}
SETTINGS_FOOT = (
    "修改：设置 欢迎语 …、设置 欢迎语 渠道 booth …、设置 提醒时间 09:00；"
    "管理员通知发到哪里在配置文件 [tenants.aibot] 中设置。"
)
SHOWN_CHARS = 60


@router.command(
    "设置",
    "settings",
    roles=[Role.ADMIN],
    chats=[ChatType.SINGLE, ChatType.GROUP],
    slots=("key", "value"),
    examples=(
        "设置",
        "设置 提醒时间 09:00",
        "看看设置",
        "查看设置",
        "现在的设置",
        "当前设置是什么",
        "提醒时间改成9点",
        "把提醒时间改到8点半",
        "提醒时间设为9:00",
        "日报时间改成早上9点",
        "跟进提醒改到8点",
        "每天的提醒改到下午5点",
        "改一下提醒时间 09:30",
        "每天几点提醒",
        "每日提醒时间改成9点",
        "待办汇总改到早上八点发",
        "有哪些设置项",
        "日报几点发",
        "settings",
    ),
    phrasings=(
        (rf"{LOOK}(?:现在的|当前的|我们的)?设置{END}", "设置"),
        (rf"(?:现在|当前)的?设置(?:是什么|是怎样的|是啥)?{END}", "设置"),
        (
            rf"(?:把)?(?:每日|每天的?)?(?P<key>提醒时间|日报时间|跟进提醒时间)(?:改成|改为|改到|设为|设成|设置为|调到"
            rf"|调整为|换成)(?P<value>[^，,。]+?){END}",
            "设置 {key} {value}",
        ),
        (
            rf"(?:把)?(?:每天的?)?(?:跟进)?提醒(?:改成|改为|改到|设为|设成|调到|调整到)(?P<value>[^，,。]+?)"
            rf"{END}",
            "设置 提醒时间 {value}",
        ),
        (
            r"(?:改一下|修改|更改|调一下)(?P<key>提醒时间|日报时间|跟进提醒时间)\s*[:：]?\s*(?P<value>.+)",
            "设置 {key} {value}",
        ),
        (
            # 「待办汇总改到九点发」: the daily digest is what 提醒时间 sets
            rf"(?:把)?(?:每天的?|每日)?(?:待办汇总|待办提醒|每日汇总|汇总)(?:的)?(?:时间)?(?:改成|改为|改到|设为|设成"
            rf"|调到|调整到|换到|放到)(?P<value>[^，,。]+?)(?:发|推送|发送)?{END}",
            "设置 提醒时间 {value}",
        ),
        (
            rf"(?:机器人|系统|这里|你)?(?:都)?(?:有|能)?(?:哪些|什么)(?:设置项|设置|可以设置的|能设置的|可以改的)"
            rf"(?:东西|项目|选项)?{END}",
            "设置",
        ),
        (rf"(?:每天)?(?:几点|什么时候)(?:发|提醒)(?:日报|跟进提醒|提醒)?{END}", "设置"),
        (rf"(?:日报|提醒|跟进提醒)(?:几点|什么时候)发{END}", "设置"),
    ),
)
async def change_settings(ctx: Context) -> str:
    """（管理员）查看和修改设置，例如：设置 提醒时间 09:00"""
    args = ctx.args.strip()
    if not args:
        return await _current(ctx)
    for word in WELCOME_WORDS:
        if args.startswith(word):
            return await _set_welcome(ctx, args.removeprefix(word))
    for word in sorted(DIGEST_WORDS, key=len, reverse=True):
        if args.startswith(word):
            return await _set_digest(ctx, args.removeprefix(word))
    raise UserFacingError(f"{UNKNOWN.format(what=args.split()[0][:12])}\n{USAGE}")


async def _set_welcome(ctx: Context, rest: str) -> str:
    state, template = parse_template(rest)
    await save_template(ctx.tenant.id, state, template, ctx.update.user_id or "", ctx.clock.now())
    preview = render(template, PREVIEW_CUSTOMER, employee_label(ctx.employee))
    scope = STATE_SCOPE.format(state=state) if state else DEFAULT_SCOPE
    return WELCOME_SAVED.format(
        scope=scope, customer=PREVIEW_CUSTOMER, preview=preview, hint=PLACEHOLDERS
    )


async def _set_digest(ctx: Context, rest: str) -> str:
    text = rest.strip().removeprefix("为").removeprefix("到").strip()
    if not text:
        raise UserFacingError(ASK_TIME)
    at = parse_clock_time(text)
    if at is None:
        raise UserFacingError(BAD_TIME.format(text=text[:20]))
    await set_digest_time(ctx.tenant.id, at, ctx.update.user_id or "", ctx.clock.now())
    return DIGEST_SAVED.format(time=clock_words(at), zone=ctx.tenant.timezone.key)


async def _current(ctx: Context) -> str:
    tenant = ctx.tenant
    templates = await WelcomeTemplate.filter(tenant_id=tenant.id).order_by("state")
    default = next((t.text for t in templates if not t.state), None)
    lines = [SETTINGS_HEAD]
    if default is None:
        lines.append(WELCOME_BUILT_IN.format(text=_short(DEFAULT_TEMPLATE)))
    else:
        lines.append(WELCOME_LINE.format(text=_short(default)))
    states = [t.state for t in templates if t.state]
    if states:
        lines.append(STATE_LINE.format(states="、".join(states)))
    at = await digest_time(tenant.id)
    lines.append(DIGEST_LINE.format(time=clock_words(at), zone=tenant.timezone.key))
    route = route_of(tenant)
    count = len(await admin_userids(tenant)) if route is NoticeRoute.ADMINS else 0
    lines += [NOTICE_LINES[route].format(count=count), SETTINGS_FOOT]
    return "\n".join(lines)


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"
