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


@router.command("发满意度", "发送满意度", "满意度调查", prepare=prepare_survey)
async def send_survey(ctx: Context) -> str:
    """给客户发满意度调查，例如：发满意度 张三"""
    return await finish(ctx, SURVEY)
