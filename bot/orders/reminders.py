"""Payment-plan reminders: a reminder to the order's owner N days before a period is due
(3 unless an admin set another number with 订单设置), and, once a period is past due and
not covered, an overdue notice to the owner and the admins.

Each is sent once: the sweep claims a period with one conditional UPDATE of its ``*_at``
column (still NULL → now) and writes the messages in the same transaction, under a key
naming the period. Two replicas never send one twice. A period the money paid already
covers is claimed without a message, so it is never looked at again. Due dates are
tenant-local days; "today" is the tenant's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.transactions import in_transaction

from bot.clock import Clock
from bot.dispatch.types import Channel, Reply
from bot.notices import notify_admins
from bot.orders.numbers import tail
from bot.orders.rules import MAX_REMIND_DAYS, rules_of
from bot.orders.view import payments_of, plans_by_order
from bot.orders.wording import day_words, person
from bot.outbox import OutboxSender, enqueue
from bot.subscription.money import format_fen
from bot.tenants import TenantDirectory, TenantInfo
from models.crm.customers import Customer
from models.orders import Order, OrderState, PaymentInstallment
from models.outbox import OutboxMessage
from models.tenants import Employee

BATCH = 200
REMIND = (
    "【回款提醒】订单 {number}（{customer}）第{period}期 {amount} 将于 {due}到期，还差 {left}。"
    "收到后发送「收款 {tail} 金额 方式」。"
)
OVERDUE = (
    "【回款逾期】订单 {number}（{customer}）第{period}期 {amount} 已于 {due}到期，还差 {left}。"
    "收到后发送「收款 {tail} 金额 方式」。"
)
OVERDUE_ADMINS = (
    "【回款逾期】订单 {number}（{customer}）第{period}期还差 {left}（{due}到期），负责人：{owner}。"
)


@dataclass(frozen=True, slots=True)
class Milestone:
    stamp: str  # the column the claim sets
    overdue: bool

    def candidates(self, horizon: date) -> dict[str, object]:
        """Rows that may have come (a day's margin for time zones; each is checked in its
        tenant's own day before it is claimed)."""
        found: dict[str, object] = {
            "order__state": OrderState.CONFIRMED,
            f"{self.stamp}__isnull": True,
        }
        found["due_date__lte" if not self.overdue else "due_date__lt"] = horizon
        return found


REMINDER = Milestone("reminded_at", overdue=False)
OVERDUE_NOTICE = Milestone("overdue_notified_at", overdue=True)


class PaymentReminderSweep:
    def __init__(
        self,
        tenants: TenantDirectory,
        sender: OutboxSender,
        clock: Clock,
    ) -> None:
        self._tenants = tenants
        self._sender = sender
        self._clock = clock

    async def run(self) -> int:
        """Claim every reminder and overdue notice that has come; returns how many were
        sent."""
        now = self._clock.now()
        sent = 0
        for milestone in (OVERDUE_NOTICE, REMINDER):
            sent += await self._sweep(milestone, now)
        if sent:
            await self._sender.sweep()  # the admins' notices are anyone's to send
        return sent

    async def _sweep(self, milestone: Milestone, now: datetime) -> int:
        utc_day = now.date()
        # Each tenant sets its own days (订单设置): look as far ahead as any tenant may.
        horizon = utc_day + timedelta(days=(1 if milestone.overdue else MAX_REMIND_DAYS + 1))
        sent, after = 0, 0
        while True:
            due = (
                await PaymentInstallment.filter(**milestone.candidates(horizon), id__gt=after)
                .order_by("id")
                .limit(BATCH)
            )
            rows: list[OutboxMessage] = []
            for period in due:
                told = await self._one(period, milestone, now)
                if told is not None:
                    sent += 1
                    rows += told
            await self._sender.send_rows(rows)
            if len(due) < BATCH:
                return sent
            after = due[-1].id

    async def _one(
        self, period: PaymentInstallment, milestone: Milestone, now: datetime
    ) -> list[OutboxMessage] | None:
        """The owner's rows when this run told anyone of ``period``, else None."""
        tenant = await self._tenants.get_by_id(period.tenant_id)
        if tenant is None:
            return None
        today = now.astimezone(tenant.timezone).date()
        remind_days = (await rules_of(tenant.id)).remind_days
        if not _has_come(period.due_date, today, milestone, remind_days):
            return None
        async with in_transaction():
            won = await PaymentInstallment.filter(
                id=period.id, **{f"{milestone.stamp}__isnull": True}
            ).update(**{milestone.stamp: now})
            if won != 1:
                return None  # another replica (or an earlier run) has it
            # A reminder for a period already past due (the sweep was down, or the order was
            # confirmed late) is claimed without a word: the overdue notice says it instead.
            late = not milestone.overdue and period.due_date < today
            left = await _left_to_pay(period, today)
            if left <= 0 or late:
                return None
            return await self._tell(tenant, period, left, milestone, now)

    async def _tell(
        self,
        tenant: TenantInfo,
        period: PaymentInstallment,
        left: int,
        milestone: Milestone,
        now: datetime,
    ) -> list[OutboxMessage]:
        order = await Order.get(id=period.order_id)
        customer = await Customer.get(id=order.customer_id)
        owner = await Employee.get_or_none(id=order.owner_id) if order.owner_id else None
        fields = {
            "number": order.number,
            "customer": customer.display_name,
            "period": period.period,
            "amount": format_fen(period.amount_fen),
            "due": day_words(period.due_date),
            "left": format_fen(left),
            "tail": tail(order),
            "owner": person(owner),
        }
        key = f"order-plan:{period.id}:{'overdue' if milestone.overdue else 'remind'}"
        if milestone.overdue:
            await notify_admins(
                tenant, OVERDUE_ADMINS.format(**fields), key=f"{key}:admins", now=now
            )
        if owner is None:
            return []
        text = (OVERDUE if milestone.overdue else REMIND).format(**fields)
        return await enqueue(
            tenant.id,
            [Reply(text, to_user=owner.userid)],
            default_user=None,
            key_prefix=key,
            channel=Channel.APP.value,
            now=now,
            lease=self._sender.policy.lease,
        )


def _has_come(due: date, today: date, milestone: Milestone, remind_days: int) -> bool:
    if milestone.overdue:
        return due < today
    return due - timedelta(days=remind_days) <= today


async def _left_to_pay(period: PaymentInstallment, today: date) -> int:
    """What this period still lacks: periods are paid in order, so the money paid first
    covers the earlier ones."""
    order = await Order.get(id=period.order_id)
    paid = (await payments_of([order], today))[order.id].paid_fen
    plan = (await plans_by_order([order.id]))[order.id]
    through = sum(p.amount_fen for p in plan if p.period <= period.period)
    left: int = min(period.amount_fen, through - paid)
    return left
