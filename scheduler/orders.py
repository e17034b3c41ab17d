"""The orders module's scheduled work: payment-plan reminders and overdue notices, and the
对外收款 reconciliation."""

from __future__ import annotations

from bot.capability import Services
from bot.orders.externalpay import BillSyncSweep
from bot.orders.reminders import PaymentReminderSweep
from scheduler.jobs import SweepJob

REMINDER_SECONDS = 300
BILL_SYNC_SECONDS = 300


def order_jobs(services: Services) -> list[SweepJob]:
    sweep = PaymentReminderSweep(services.tenants, services.sender, services.clock)
    bills = BillSyncSweep(services.tenants, services.client, services.billing, services.clock)
    return [
        SweepJob("order-payment-reminders", REMINDER_SECONDS, sweep.run),
        SweepJob("order-externalpay-sync", BILL_SYNC_SECONDS, bills.run),
    ]
