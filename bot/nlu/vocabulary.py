"""The names the segmenter learns: customers', employees' and the address book's names at
start-up, a customer saved in this process at once (``learn_saved_customer``), and customers
other processes added, every minute (``NameLearner``; the people capability teaches the
address book's changes itself)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.signals import post_save

from bot.nlu.segment import Segmenter, load_segmenter
from models.crm.customers import Customer
from models.people import DirectoryMember, MemberStatus
from models.tenants import Employee

NAME_LIMIT = 200_000  # enough for large tenants; the dictionary stays a few MB


async def known_names() -> list[str]:
    customers = await Customer.all().limit(NAME_LIMIT).values_list("name", flat=True)
    employees = await Employee.exclude(name="").limit(NAME_LIMIT).values_list("name", flat=True)
    # The address book's members, so 派给钱七 splits right before 钱七 ever talks to the bot.
    directory = (
        await DirectoryMember.filter(status=MemberStatus.ACTIVE)
        .exclude(name="")
        .limit(NAME_LIMIT)
        .values_list("name", flat=True)
    )
    return [str(name) for name in (*customers, *employees, *directory) if name]


# Looks back a little past the last look, so a row written while a look ran is not missed.
LEARN_OVERLAP = timedelta(minutes=2)


class NameLearner:
    """Keeps the segmenter's names current after start-up: customers added or renamed since
    the last look are taught to it, so a customer created a minute ago is found in "周五跟张伟
    吃饭" without a restart. The scheduler calls ``learn`` every minute."""

    def __init__(self, segmenter: Segmenter, since: datetime) -> None:
        self._segmenter = segmenter
        self._since = since

    async def learn(self, now: datetime) -> int:
        """Returns how many names were new to the segmenter."""
        names = (
            await Customer.filter(updated_at__gte=self._since - LEARN_OVERLAP)
            .limit(NAME_LIMIT)
            .values_list("name", flat=True)
        )
        self._since = now
        return self._segmenter.add_names(str(name) for name in names if name)


@post_save(Customer)
async def learn_saved_customer(
    sender: type[Customer],
    instance: Customer,
    created: bool,
    using_db: BaseDBAsyncClient | None,
    update_fields: list[str] | None,
) -> None:
    """ "王小明最近有什么动态" right after 王小明 was added finds the name, without waiting for
    the minute's look. Only once the process has loaded its segmenter (never loads it here:
    that takes a second of CPU)."""
    if instance.name and load_segmenter.cache_info().currsize:
        load_segmenter().add_names([instance.name])
