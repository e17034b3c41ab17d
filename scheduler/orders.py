"""The orders module's scheduled work: payment-plan reminders and overdue notices."""

from __future__ import annotations

from bot.capability import Services
from bot.orders.reminders import PaymentReminderSweep
from scheduler.jobs import SweepJob

REMINDER_SECONDS = 300


def order_jobs(services: Services) -> list[SweepJob]:
    sweep = PaymentReminderSweep(services.tenants, services.sender, services.clock)
    return [SweepJob("order-payment-reminders", REMINDER_SECONDS, sweep.run)]
