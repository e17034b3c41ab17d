"""Colleagues' names from the address book join the segmenter's vocabulary, so "把工单0001派给
钱七" keeps 钱七 whole (jieba alone reads 给钱 / 七)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.nlu.segment import build_segmenter
from bot.nlu.vocabulary import known_names
from bot.people.store import MemberFacts, mark_left, upsert_member
from bot.tenants import TenantInfo
from scheduler.people import DirectoryNames

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SAID = "把工单0001派给钱七"


async def test_directory_names_are_learned_and_then_only_the_changed_ones(
    tenant: TenantInfo,
) -> None:
    segmenter = build_segmenter()  # its own: the shared one must not learn 钱七
    await upsert_member(tenant.id, MemberFacts("qianqi", "钱七"), NOW)
    await upsert_member(tenant.id, MemberFacts("yuhai", "于海"), NOW)
    await mark_left(tenant.id, "yuhai", NOW)
    learner = DirectoryNames(segmenter)
    assert await learner.learn(NOW) == 1  # people who left are not taught
    assert segmenter.words(SAID)[-2:] == ["给", "钱七"]
    assert await learner.learn(NOW) == 0


async def test_start_up_teaches_the_address_book_too(tenant: TenantInfo) -> None:
    await upsert_member(tenant.id, MemberFacts("qianqi", "钱七"), NOW)
    assert "钱七" in await known_names()
