"""日报: today for the team, for admins, in 1:1 chats and in groups."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.router import Router
from bot.dispatch.types import ChatType
from bot.reports.daily import daily_report
from models.tenants import Role

router = Router(__name__, title="管理", module="core")


_TODAY = r"(?:今天|今日|当天)"
_END = r"(?:吗|呢|啊|吧)?[？?。.!！]*"


@router.command(
    "日报",
    "daily report",
    roles=[Role.ADMIN],
    chats=[ChatType.SINGLE, ChatType.GROUP],
    slots=(),
    examples=(
        "日报",
        "今天的日报",
        "今日日报",
        "看看日报",
        "查看日报",
        "看下今天的日报",
        "发一下日报",
        "日报发我",
        "给我日报",
        "来一份日报",
        "团队日报",
        "今天的报告",
        "今日报表",
        "今天的数据",
        "今天的情况",
        "今天团队怎么样",
        "今天有多少新客户",
        "今天新增了几个客户",
        "今天跟进完成了多少",
        "daily report",
    ),
    phrasings=(
        (
            rf"(?:查|看|查看|看看|看下|发|发一下|给我|来|来一份|来个|发个)?(?:一下|下|个|一份)?"
            rf"{_TODAY}?的?(?:团队)?日报(?:发我|给我)?{_END}",
            "日报",
        ),
        (
            rf"(?:看看|看下|看一下|查看)?{_TODAY}的?(?:团队)?(?:报告|报表|简报|数据|情况|汇总|战报){_END}",
            "日报",
        ),
        (rf"{_TODAY}(?:团队)?(?:怎么样|表现如何|表现怎么样){_END}", "日报"),
        (
            # 「今日数据汇总」「今天大家干得怎么样，给我个报告」
            rf"{_TODAY}(?:的)?(?:数据|业务|工作)(?:汇总|总结|统计|概况){_END}",
            "日报",
        ),
        (
            rf"{_TODAY}(?:大家|团队|我们|同事们)(?:干得|做得|干的|做的|表现得?)(?:怎么样|如何|咋样)[，,\s]*"
            rf"(?:给我|发我|来)?(?:个|一份|一个)?(?:报告|日报|汇总|总结)?{_END}",
            "日报",
        ),
        (rf"{_TODAY}(?:有)?(?:新增|新加|来)?了?(?:多少|几个)个?新?客户{_END}", "日报"),
        (rf"{_TODAY}的?跟进(?:完成|做)了(?:多少|几个){_END}", "日报"),
        (rf"{_TODAY}(?:有)?(?:多少|几个)(?:跟进)?逾期了?{_END}", "日报"),
    ),
)
async def show_daily_report(ctx: Context) -> str:
    """（管理员）今天团队的新客户、完成和逾期的跟进"""
    return await daily_report(ctx.tenant, ctx.clock.now())
