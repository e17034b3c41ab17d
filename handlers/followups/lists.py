"""The follow-up lists (我的待办, 今天跟进; admins' 团队待办, 逾期), 跟进帮助 and 转给."""

from __future__ import annotations

from bot.crm.book import employee_label, find_employee
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.filters import Regex
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.followups import listing
from bot.followups.wording import time_words
from handlers.followups.lookup import own_number
from models.tenants import Role

router = Router(__name__, title="跟进", module="crm")

# The main 帮助 fills WeCom's 2,048-byte message, so follow-ups have their own page
# (帮助 points to it).
USAGE = "\n".join(
    (
        "【跟进】",
        "· 直接说：明天下午3点提醒我回访张总（不写时间我会问你）",
        "· 我的待办 / todo：看我所有没完成的跟进",
        "· 今天跟进 / today：看今天要跟进的（含逾期）",
        "· 每周一早上9点提醒我写周报：周期提醒（每天、每个工作日、每月1号、每月最后一天）",
        "· 我的周期提醒；停止周期提醒 2 或「不用再提醒我写周报了」",
        "· 完成 3 已报价，客户考虑中：完成并记下结果（记入客户动态）",
        "· 推迟 3 到周五：改时间",
        "· 取消 3：取消这条跟进",
        "· 不写编号也行：张总那个搞定了、王经理那个提醒往后延两天、取消明天给张总打电话的提醒",
        "· 刚安排完说错了：不对，是下周四 / 改成3点",
        "· 把3转给李四：转给同事",
        "· 团队待办、逾期：（管理员）看团队的跟进",
        "提醒卡片上可以直接点「完成」「推迟1小时」「明天再提醒」。",
    )
)
MINE = "你的待办（{count} 条）："
MINE_EMPTY = "你没有待办的跟进。试试发送「明天下午3点提醒我回访张总」。"
TODAY = "今天要跟进（含逾期，{count} 条）："
TODAY_EMPTY = "今天没有要跟进的事。"
TEAM = "团队待办（{count} 条）："
TEAM_EMPTY = "团队没有待办的跟进。"
OVERDUE = "逾期的跟进（{count} 条）："
OVERDUE_EMPTY = "没有逾期的跟进。"
NO_SUCH_PERSON = "没找到同事「{who}」，请写他的企业微信账号或名字。"
HANDED = "已把跟进 #{number} 转给 {who}。"
HANDED_TO_YOU = "{by} 把跟进 #{number} 转给了你：{when} {content}"

IN_GROUPS = (ChatType.SINGLE, ChatType.GROUP)  # the team views work in the admins' group


@router.command(
    "跟进帮助",
    "followup help",
    help="",
    slots=(),
    examples=(
        "跟进帮助",
        "followup help",
        "提醒怎么用",
        "跟进怎么用",
        "提醒功能怎么用",
        "怎么设置提醒",
        "怎么设提醒",
        "怎么加提醒",
        "怎么建跟进",
        "跟进的用法",
        "提醒的用法",
        "待办怎么用",
        "提醒帮助",
        "待办帮助",
        "怎么让你提醒我",
        "如何设置提醒",
        "怎样设置提醒",
        "提醒怎么设置",
        "跟进功能说明",
        "提醒说明",
    ),
    phrasings=(
        (
            r"(?:跟进|提醒|待办)(?:功能)?(?:怎么用|的用法|用法|帮助|说明|怎么设置|怎么弄|怎么设)",
            "跟进帮助",
        ),
        (r"(?:怎么|如何|怎样)(?:设置|设|定|加|建|添加)(?:个)?(?:跟进|提醒|待办)", "跟进帮助"),
        (r"(?:怎么|如何|怎样)让(?:你|机器人)提醒我", "跟进帮助"),
    ),
)
async def followup_help(ctx: Context) -> str:
    return USAGE


@router.command(
    "我的待办",
    "my todos",
    "todo",
    help="",
    slots=(),
    examples=(
        "我的待办",
        "todo",
        "my todos",
        "待办",
        "待办事项",
        "我的跟进",
        "我的提醒",
        "我的任务",
        "看看我的待办",
        "查一下我的跟进",
        "列出我的提醒",
        "我还有哪些待办",
        "我有哪些提醒",
        "我有什么要跟进的",
        "我还有什么没完成的跟进",
        "我有几条待办",
        "看看待办",
        "待办列表",
        "跟进列表",
        "我的待办清单",
        "我还有哪些事没做",
    ),
    phrasings=(
        (
            r"(?:看看|看一下|看下|查看|查一下|查查|列出|显示)?我的(?:待办|跟进|提醒|待办事项|任务)"
            r"(?:列表|清单)?",
            "我的待办",
        ),
        (
            r"我(?:还)?有(?:哪些|什么|几个|几条|多少)(?:待办|跟进|提醒|要跟进的|没完成的跟进|没完成的)"
            r"[吗呢？?]*",
            "我的待办",
        ),
        (r"(?:看看|看一下|查看|列出)(?:待办|跟进|提醒)(?:列表|清单)?", "我的待办"),
        (r"(?:待办事项|跟进列表|待办列表|待办清单|待办)", "我的待办"),
        (r"我(?:还)?有(?:哪些|什么)(?:事|事情)(?:没做|没完成|要跟进)[吗呢？?]*", "我的待办"),
    ),
)
async def my_todos(ctx: Context) -> str:
    """看我所有没完成的跟进"""
    assert ctx.employee is not None
    rows, total = await listing.open_followups(ctx.tenant.id, owner_id=ctx.employee.id)
    if not total:
        return MINE_EMPTY
    return listing.render(MINE, rows, total, ctx.tenant.timezone, ctx.clock.now(), team=False)


@router.command(
    "今天跟进",
    "today",
    help="",
    slots=(),
    examples=(
        "今天跟进",
        "today",
        "今天的待办",
        "今天的跟进",
        "今天的提醒",
        "今天有什么要跟进的",
        "今天要跟进哪些",
        "今天要跟进什么",
        "今天有哪些待办",
        "今天有啥事",
        "今天要做什么",
        "今天有什么事",
        "看看今天的待办",
        "查一下今天的跟进",
        "我今天要跟进谁",
        "今天还有哪些没跟进",
        "今天的任务",
        "今日待办",
        "今日跟进",
        "今天有几个提醒",
    ),
    phrasings=(
        (
            r"(?:看看|看一下|查看|查一下|列出)?(?:我)?(?:今天|今日)(?:的)?"
            r"(?:待办|跟进|提醒|任务)(?:有哪些|有什么|是什么)?[吗呢？?]*",
            "今天跟进",
        ),
        (
            r"(?:我)?(?:今天|今日)(?:还)?(?:要|有|得)(?:哪些|什么|啥|几个|几条)?"
            r"(?:要跟进的|要做的|没跟进的)?(?:待办|跟进|提醒|任务|事情|事)?(?:要跟进|要做|没跟进|做)?"
            r"(?:哪些|什么|谁|的)?[吗呢？?]*",
            "今天跟进",
        ),
    ),
)
async def today_todos(ctx: Context) -> str:
    """看今天要跟进的（含逾期）"""
    assert ctx.employee is not None
    now = ctx.clock.now()
    before = listing.end_of_today(now, ctx.tenant.timezone)
    rows, total = await listing.open_followups(
        ctx.tenant.id, owner_id=ctx.employee.id, before=before
    )
    if not total:
        return TODAY_EMPTY
    return listing.render(TODAY, rows, total, ctx.tenant.timezone, now, team=False)


@router.message(Regex(r"^\s*把\s*#?([0-9]{1,9})\s*(?:号)?\s*转给\s*(\S+)\s*$"))
async def hand_over(ctx: Context) -> str:
    assert ctx.match is not None
    followup = await own_number(ctx, int(ctx.match.group(1)))
    who = ctx.match.group(2)
    target = await find_employee(ctx.tenant.id, who)
    if target is None:
        raise UserFacingError(NO_SUCH_PERSON.format(who=who))
    followup.owner_id = target.id
    await followup.save(update_fields=["owner_id"])
    when = time_words(followup.due_at, ctx.tenant.timezone)
    by = employee_label(ctx.employee)
    content = followup.content
    ctx.send(
        target.userid,
        HANDED_TO_YOU.format(by=by, number=followup.number, when=when, content=content),
    )
    return HANDED.format(number=followup.number, who=employee_label(target))


@router.command(
    "团队待办",
    "team todos",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    help="",
    slots=(),
    examples=(
        "团队待办",
        "team todos",
        "团队的待办",
        "团队跟进",
        "团队的跟进",
        "大家的待办",
        "大家的跟进",
        "所有人的待办",
        "全员待办",
        "同事们的待办",
        "看看团队待办",
        "查看团队的跟进",
        "团队还有哪些待办",
        "大家还有哪些没跟进",
        "团队有多少待办",
        "部门的待办",
        "团队的提醒",
        "团队待办列表",
        "看一下大家的跟进",
        "所有人的跟进情况",
    ),
    phrasings=(
        (
            r"(?:看看|看一下|查看|查一下|列出)?(?:团队|大家|全员|所有人|同事们|部门)(?:的)?"
            r"(?:待办|跟进|提醒|任务)(?:列表|清单|情况)?",
            "团队待办",
        ),
        (
            r"(?:团队|大家|所有人)(?:还)?有(?:哪些|多少|几条)(?:待办|跟进|没跟进)[吗呢？?]*",
            "团队待办",
        ),
    ),
)
async def team_todos(ctx: Context) -> str:
    """（管理员）看团队所有没完成的跟进"""
    rows, total = await listing.open_followups(ctx.tenant.id)
    if not total:
        return TEAM_EMPTY
    return listing.render(TEAM, rows, total, ctx.tenant.timezone, ctx.clock.now(), team=True)


@router.command(
    "逾期",
    "overdue",
    roles=[Role.ADMIN],
    chats=IN_GROUPS,
    help="",
    slots=(),
    examples=(
        "逾期",
        "overdue",
        "逾期跟进",
        "逾期的跟进",
        "逾期的待办",
        "逾期的提醒",
        "过期的跟进",
        "过期的待办",
        "看看逾期的",
        "查看逾期跟进",
        "有哪些逾期的",
        "哪些跟进逾期了",
        "哪些待办过期了",
        "有没有逾期的跟进",
        "逾期了的跟进",
        "逾期列表",
        "团队逾期",
        "团队逾期的跟进",
        "谁的跟进逾期了",
        "逾期未完成的跟进",
    ),
    phrasings=(
        (
            r"(?:看看|看一下|查看|查一下|列出)?(?:团队)?(?:逾期|过期)(?:了)?(?:的)?(?:未完成的)?"
            r"(?:跟进|待办|提醒|任务|列表)?",
            "逾期",
        ),
        (r"(?:有哪些|有没有|哪些)(?:逾期|过期)的(?:跟进|待办|提醒)?", "逾期"),
        (r"(?:哪些|谁的)(?:跟进|待办|提醒)(?:逾期|过期)了", "逾期"),
    ),
)
async def overdue_todos(ctx: Context) -> str:
    """（管理员）看团队逾期的跟进"""
    now = ctx.clock.now()
    rows, total = await listing.open_followups(ctx.tenant.id, before=now)
    if not total:
        return OVERDUE_EMPTY
    return listing.render(OVERDUE, rows, total, ctx.tenant.timezone, now, team=True)
