"""Two dispatchers booking one installer at the same moment for overlapping jobs: exactly one
wins, on SQLite and on PostgreSQL (the installer's row is locked for the check)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC

import pytest
from support.crm import Chat
from support.followups import add_customer
from support.installation import install_chat
from tortoise.transactions import in_transaction

from bot.clock import FrozenClock
from bot.config import Settings
from bot.dispatch.errors import UserFacingError
from bot.installation.moves import ensure_free
from models.installation import InstallJob, JobState
from models.tenants import Employee

pytestmark = pytest.mark.db


@pytest.fixture
async def chat(settings: Settings, clock: FrozenClock) -> AsyncIterator[Chat]:
    async with install_chat(settings, clock) as opened:
        await add_customer("星辰科技")
        yield opened


def _text(user: str, content: str) -> dict[str, str]:
    return {"MsgType": "text", "FromUserName": user, "Content": content}


@pytest.mark.parametrize("round_", range(3))
async def test_concurrent_dispatches_of_overlapping_jobs_book_the_installer_once(
    chat: Chat, round_: int
) -> None:
    await chat.say("lisi", "约安装 星辰科技 周四下午2点 打印机2台")
    await chat.say("lisi", "约安装 星辰科技 周四下午3点 投影仪1台")
    since = await chat.sim.sent_count()
    answers = await asyncio.gather(
        chat.sim.deliver("acme", _text("zhaoliu", "安排 AZ0001 给 王师傅")),
        chat.sim.deliver("acme", _text("zhangsan", "安排 AZ0002 给 王师傅")),
    )
    assert [a["status"] for a in answers] == [200, 200]
    await chat.settle(since)
    wang = await Employee.get(userid="wangsf")
    booked = await InstallJob.filter(installer_id=wang.id, state=JobState.DISPATCHED)
    assert len(booked) == 1
    replies = chat.sent_to("zhaoliu") + chat.sent_to("zhangsan")
    assert sum("时间冲突" in r for r in replies) == 1
    assert sum(r.startswith("已把安装单") for r in replies) == 1


async def _book_slowly(job: InstallJob, installer: Employee) -> bool:
    """One dispatcher's transaction: check, then take a moment before writing (as a busy
    server would), so that two of them overlap in time."""
    try:
        async with in_transaction():
            assert job.window_start is not None and job.window_end is not None
            await ensure_free(job, installer, job.window_start, job.window_end, UTC)
            await asyncio.sleep(0.05)
            job.installer_id, job.state = installer.id, JobState.DISPATCHED
            await job.save()
    except UserFacingError:
        return False
    return True


async def test_two_transactions_checking_at_once_still_book_only_one(chat: Chat) -> None:
    await chat.say("lisi", "约安装 星辰科技 周四下午2点 打印机2台")
    await chat.say("lisi", "约安装 星辰科技 周四下午3点 投影仪1台")
    first, second = await InstallJob.all().order_by("id")
    wang = await Employee.get(userid="wangsf")
    won = await asyncio.gather(_book_slowly(first, wang), _book_slowly(second, wang))
    assert sorted(won) == [False, True]
    assert await InstallJob.filter(installer_id=wang.id, state=JobState.DISPATCHED).count() == 1
