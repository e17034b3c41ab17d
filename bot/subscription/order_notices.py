"""Who hears about an order: the vendor's operators when it awaits payment, the tenant's admins
when it takes effect.

Operators usually sit in another tenant (the vendor's own WeCom), and payments are confirmed
from the CLI too, so these messages are written as outbox rows that any running bot's outbox
sweep sends, not as replies of the update being handled.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.notices import notify_admins, tenant_for_notices
from bot.subscription import notify
from bot.subscription.money import format_cny
from bot.subscription.settings import Operator
from models.outbox import OutboxMessage
from models.subscriptions import Order, OrderKind
from models.tenants import Tenant

logger = logging.getLogger(__name__)

NEW_ORDER = (
    "【新订单】{tenant}（{key}）订单 {id}：{summary}，{total}，待付款。"
    "收款后发送「确认收款 {id}」，或运行 scrm-bot order confirm {id}。"
)
SERVICE_PAID = (
    "【订单已付款】订单 {id}（{summary}，{total}）已确认收款，服务商会尽快联系你安排服务时间。"
)
APPLIED = (
    "【订单已生效】订单 {id}（{summary}，{total}）已确认收款，现已生效。发送「套餐」查看当前套餐。"
)


async def tell_operators(
    operators: tuple[Operator, ...], order: Order, tenant: Tenant, now: datetime
) -> list[OutboxMessage]:
    text = NEW_ORDER.format(
        tenant=tenant.name,
        key=tenant.key,
        id=order.id,
        summary=order.summary,
        total=format_cny(order.total),
    )
    if not operators:
        logger.warning(
            "order %s awaits payment but [subscription] operators is empty: nobody is told",
            order.id,
        )
    rows: list[OutboxMessage] = []
    for key in dict.fromkeys(op.tenant_key for op in operators):
        home = await Tenant.get_or_none(key=key)
        if home is None:
            continue
        users = [op.userid for op in operators if op.tenant_key == key]
        rows += await notify.write(
            home.id, f"order:{order.id}:placed", users, text, now=now, lease=notify.FOR_ANY_SENDER
        )
    return rows


async def tell_admins(order: Order, now: datetime) -> list[OutboxMessage]:
    template = SERVICE_PAID if order.kind is OrderKind.SERVICE else APPLIED
    text = template.format(id=order.id, summary=order.summary, total=format_cny(order.total))
    tenant = await tenant_for_notices(order.tenant_id)
    if tenant is None:
        return []
    return list(await notify_admins(tenant, text, key=f"order:{order.id}:applied", now=now))
