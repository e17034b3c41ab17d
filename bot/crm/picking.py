"""Commands that name a customer ("打标签 张三 重点客户"), and the numbered choice when the
name fits several.

A ``CustomerAction`` has up to two halves: ``call_wecom`` runs in the route's prepare step
(outside the database transaction, where WeCom API calls belong) and ``apply`` inside the
transaction. When the search finds several customers, the choice is kept in the conversation
state; the answer ("2") runs the same two halves for the chosen one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.crm.cards import Viewer, render_list
from bot.crm.search import SHOWN, customer_in_tenant, search_customers
from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from models.crm.customers import Customer

PICK_STATE = "crm_pick"
PICK_TTL = timedelta(minutes=10)
REQUEST, CANDIDATES = "crm.request", "crm.candidates"

NOT_FOUND = "没有找到「{query}」相关的客户。可以按姓名、手机号开头、公司或标签查，例如：查客户 张三"
SEVERAL = "找到 {count} 个「{query}」相关的客户："
PICK_HINT = "请回复序号选择，回复「取消」放弃。"
BAD_NUMBER = "请回复 1 到 {count} 之间的序号，或回复「取消」放弃。"
CANCELLED = "好的，已取消。"


@dataclass(frozen=True, slots=True)
class CustomerAction:
    name: str
    apply: Callable[[Context, Customer, str], Awaitable[str]]
    call_wecom: Callable[[Context, Customer, str], Awaitable[None]] | None = None


def viewer_of(ctx: Context) -> Viewer:
    employee_id = ctx.employee.id if ctx.employee else None
    return Viewer(employee_id, ctx.is_admin, ctx.tenant.timezone, ctx.clock.now())


def parsed(ctx: Context) -> tuple[str, str]:
    query, rest = ctx.deps[REQUEST]
    return str(query), str(rest)


async def begin(
    ctx: Context, action: CustomerAction, parse: Callable[[str], tuple[str, str]]
) -> None:
    """The prepare step of a customer command: parse, search, and call WeCom when the
    customer is already certain. ``parse`` raises UserFacingError on bad input."""
    query, rest = parse(ctx.args)
    ctx.deps[REQUEST] = (query, rest)
    candidates = await search_customers(ctx.tenant.id, query)
    ctx.deps[CANDIDATES] = candidates
    if len(candidates) == 1 and action.call_wecom is not None:
        await action.call_wecom(ctx, candidates[0], rest)


async def finish(ctx: Context, action: CustomerAction) -> str:
    """The handler of a customer command: act, or offer the numbered choice."""
    query, rest = parsed(ctx)
    candidates: list[Customer] = ctx.deps[CANDIDATES]
    if not candidates:
        return NOT_FOUND.format(query=query)
    if len(candidates) == 1:
        return await action.apply(ctx, candidates[0], rest)
    assert ctx.conversation is not None, "text messages always carry a conversation"
    shown = candidates[:SHOWN]
    data = {"action": action.name, "query": query, "rest": rest, "ids": [c.id for c in shown]}
    await ctx.conversation.set(PICK_STATE, data, ttl=PICK_TTL)
    header = SEVERAL.format(
        count=len(shown) if len(candidates) <= SHOWN else f"{SHOWN}+", query=query
    )
    return render_list(header, candidates, viewer_of(ctx), PICK_HINT)


def _choice(ctx: Context) -> tuple[Mapping[str, Any], int | None]:
    assert ctx.conversation is not None and ctx.match is not None
    data = ctx.conversation.data
    number = int(ctx.match.group(1))
    ids = list(data.get("ids", []))
    return data, (ids[number - 1] if 1 <= number <= len(ids) else None)


async def take_numbered_customer(ctx: Context) -> tuple[Customer | None, Mapping[str, Any]]:
    """The customer a numbered answer ("2") chose from the ``ids`` a command kept in its
    conversation data, and that data; clears the conversation. A number off the list raises
    the re-prompt, and the list stays for the next try."""
    data, customer_id = _choice(ctx)
    if customer_id is None:
        raise UserFacingError(BAD_NUMBER.format(count=len(data.get("ids", []))))
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    return await customer_in_tenant(ctx.tenant.id, customer_id), data


async def begin_pick(ctx: Context, actions: Mapping[str, CustomerAction]) -> None:
    """Prepare step for the answer to a numbered choice."""
    data, customer_id = _choice(ctx)
    customer = await customer_in_tenant(ctx.tenant.id, customer_id) if customer_id else None
    ctx.deps[REQUEST] = (str(data.get("query", "")), str(data.get("rest", "")))
    ctx.deps[CANDIDATES] = [customer] if customer else []
    action = actions.get(str(data.get("action")))
    if customer is not None and action is not None and action.call_wecom is not None:
        await action.call_wecom(ctx, customer, str(data.get("rest", "")))


async def finish_pick(ctx: Context, actions: Mapping[str, CustomerAction]) -> str:
    data, customer_id = _choice(ctx)
    if customer_id is None:
        raise UserFacingError(BAD_NUMBER.format(count=len(data.get("ids", []))))
    assert ctx.conversation is not None
    await ctx.conversation.clear()
    action = actions.get(str(data.get("action")))
    candidates: list[Customer] = ctx.deps[CANDIDATES]
    if action is None or not candidates:
        return NOT_FOUND.format(query=data.get("query", ""))
    return await action.apply(ctx, candidates[0], str(data.get("rest", "")))
