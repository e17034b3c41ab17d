"""发满意度: an employee sends a satisfaction survey to a customer now."""

from __future__ import annotations

from bot.crm.picking import CustomerAction, begin, finish
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.surveys.manual import send_survey_now
from models.crm.customers import Customer

router = Router(__name__, title="满意度", module="crm")

SEND_USAGE = "请按这个格式写：发满意度 张三（客户姓名、手机号或公司）"


def parse_customer(args: str) -> tuple[str, str]:
    query = args.strip()
    if not query:
        raise UserFacingError(SEND_USAGE)
    return query, ""


async def apply_survey(ctx: Context, customer: Customer, rest: str) -> str:
    return await send_survey_now(ctx, customer)


SURVEY = CustomerAction("survey", apply_survey)


async def prepare_survey(ctx: Context) -> None:
    await begin(ctx, SURVEY, parse_customer)


# A customer named in a sentence: a name, a phone number or a company, no punctuation.
_WHO = r"[^，,。；;！!？?]+?"
_SURVEY = r"(?:满意度|评价|问卷|回访问卷|满意度评价)(?:调查|问卷|回访|评价)?(?:链接|表)?"
_END = r"(?:吧|了)?[？?。.!！~～]*"


@router.command(
    "发满意度",
    "发送满意度",
    "满意度调查",
    prepare=prepare_survey,
    slots=("who",),
    examples=(
        "发满意度 张三",
        "给张总发个满意度",
        "给张三发满意度调查",
        "给王经理发一份满意度",
        "给客户张三发满意度",
        "给张总发个评价",
        "给张总发问卷",
        "给张总推一个满意度调查",
        "给张总发送满意度",
        "给13800138000发满意度",
        "给华夏科技发满意度调查",
        "给张总做个满意度回访",
        "发个满意度给张总",
        "发一份满意度调查给王经理",
        "把满意度发给张总",
        "让张总打个分",
        "请张总评价一下服务",
        "邀请张总评价",
        "张总那边发个满意度",
        "满意度调查 张三",
    ),
    phrasings=(
        (
            rf"给(?:客户)?(?P<who>{_WHO})(?:发|发送|推|推送|做)(?:个|一个|一份|一下)?{_SURVEY}{_END}",
            "发满意度 {who}",
        ),
        (
            rf"(?:发|发送|推送)(?:个|一个|一份)?{_SURVEY}给(?:客户)?(?P<who>{_WHO}){_END}",
            "发满意度 {who}",
        ),
        (rf"(?:把|将){_SURVEY}(?:发|发送|推)给(?:客户)?(?P<who>{_WHO}){_END}", "发满意度 {who}"),
        (
            rf"(?:让|请|邀请)(?:客户)?(?P<who>{_WHO})(?:打个分|打分|评个分|评分|评价一下|评价)(?:一下)?"
            rf"(?:(?:我们|咱们)?的?服务)?{_END}",
            "发满意度 {who}",
        ),
        (rf"(?P<who>{_WHO})那边(?:发|发送)(?:个|一份)?满意度(?:调查)?{_END}", "发满意度 {who}"),
    ),
)
async def send_survey(ctx: Context) -> str:
    """给客户发满意度调查，例如：发满意度 张三"""
    return await finish(ctx, SURVEY)
