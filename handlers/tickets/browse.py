"""工单列表: the open work orders, page by page (``bot.tickets.browse``)."""

from __future__ import annotations

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from bot.dispatch.router import Router
from bot.tickets import browse, phrasings
from bot.tickets.listing import HINT
from bot.tickets.people import may_dispatch
from bot.tickets.wording import STATUS_WORDS

router = Router(__name__, title="工单", module="tickets")

LIST_USAGE = (
    "看不懂「{word}」。请按这个格式写：工单列表、工单列表 处理中、工单列表 等待客户、"
    "工单列表 我创建的、工单列表 2（第几页）"
)
HEADER = "{what}（共 {total} 张，第 {page}/{pages} 页）："
WHAT_ALL = "{kind}工单"
WHAT_MINE = "派给你或你创建的{kind}工单"
WHAT_CREATED = "你创建的{kind}工单"
OPEN_KIND = "未完成的"
EMPTY = "没有{what}。"
MEMBERS_SEE_THEIRS = "只有管理员和派单员能看全部工单，下面是派给你或你创建的。"
NO_PAGE = "没有第 {page} 页：共 {pages} 页。"
NEXT = "发送「工单列表 {words}」看下一页。"


def _what(request: browse.ListRequest, sees_all: bool) -> str:
    what = WHAT_CREATED if request.created_by_me else WHAT_ALL if sees_all else WHAT_MINE
    kind = f"{STATUS_WORDS[request.status]}的" if request.status else OPEN_KIND
    return what.format(kind=kind)


@router.command(
    "工单列表",
    "ticket list",
    slots=("scope", "status", "page"),
    fill=(
        "工单列表 {scope?|" + "|".join(sorted(browse.EVERYTHING_WORDS | browse.CREATED_WORDS)) + "}"
        " {status?|" + "|".join(sorted(browse.STATUS_BY_WORD)) + "} {page?}"
    ),
    examples=phrasings.LIST_EXAMPLES,
    phrasings=phrasings.LIST,
)
async def list_tickets(ctx: Context) -> str:
    """工单列表 [处理中/等待客户/我创建的] [页码]：未完成的工单（管理员、派单员看全部）"""
    assert ctx.employee is not None, "text messages always carry their employee"
    try:
        request = browse.parse_request(ctx.args)
    except browse.ListRequestError as exc:
        raise UserFacingError(LIST_USAGE.format(word=exc)) from exc
    sees_all = may_dispatch(ctx)
    query = browse.open_tickets(ctx.tenant.id, request, ctx.employee.id, sees_all)
    page = await browse.read_page(query, request.page)
    told = [MEMBERS_SEE_THEIRS] if request.everything and not sees_all else []
    what = _what(request, sees_all)
    if not page.total:
        return "\n".join([*told, EMPTY.format(what=what)])
    if not page.rows:
        raise UserFacingError(NO_PAGE.format(page=page.page, pages=page.pages))
    header = HEADER.format(what=what, total=page.total, page=page.page, pages=page.pages)
    lines = [*told, header]
    lines += await browse.render_rows(page.rows, ctx.tenant.timezone, ctx.clock.now())
    if page.page < page.pages:
        lines.append(NEXT.format(words=f"{request.words()} {page.page + 1}".strip()))
    lines.append(HINT)
    return "\n".join(lines)
