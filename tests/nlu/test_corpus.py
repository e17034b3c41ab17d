"""The held-out NLU corpus (``tests/nlu/corpus/heldout/``) is well formed.

The corpus measures understanding in ``bench/nlu_eval.py``; it is never tuned on. These checks
only keep it usable: every file parses, every case names a known intent and a template family,
no sentence appears twice, and each intent has enough cases to say something about it.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

HELDOUT = Path(__file__).resolve().parent / "corpus" / "heldout"
FILES = (
    "crm",
    "followups",
    "tickets",
    "knowledge",
    "subscription",
    "admin",
    "surveys",
    "reports",
    "core",
)
MIN_CASES = 800
MIN_PER_INTENT = 8
MIN_FREQUENT = 20
MIN_NOT_UNDERSTOOD = 80

# Every intent the bot knows (or is about to), one per route.
INTENTS = frozenset(
    {
        "core.show_help",
        "admin.make_admin",
        "admin.remove_admin",
        "admin.make_dispatcher",
        "admin.remove_dispatcher",
        "admin.list_members",
        "admin.show_audit_log",
        "admin.change_settings",
        "subscription.show_plan",
        "subscription.show_seats",
        "subscription.assign_seat",
        "subscription.revoke_seat",
        "subscription.show_orders",
        "subscription.renew",
        "subscription.add_seats",
        "subscription.add_module",
        "subscription.change_edition",
        "subscription.confirm_payment",
        "subscription.remove_seats",
        "subscription.remove_module",
        "subscription.change_period",
        "subscription.list_services",
        "subscription.buy_service",
        "tickets.create_ticket",
        "tickets.dispatch_ticket",
        "tickets.reply_ticket",
        "tickets.note_ticket",
        "tickets.start_ticket",
        "tickets.wait_ticket",
        "tickets.close_ticket",
        "tickets.resolve_ticket",
        "tickets.reopen_ticket",
        "tickets.transfer_command",
        "tickets.start_attaching",
        "tickets.my_tickets",
        "tickets.overdue_tickets",
        "tickets.show_stats",
        "tickets.show_ticket",
        "followups.followup_help",
        "followups.my_todos",
        "followups.today_todos",
        "followups.complete_followup",
        "followups.postpone_followup",
        "followups.cancel_followup",
        "followups.team_todos",
        "followups.overdue_todos",
        "crm.create_customer",
        "crm.find_customer",
        "crm.find_anything",
        "crm.customer_timeline",
        "crm.note_customer",
        "crm.list_my_customers",
        "crm.tag_command",
        "crm.untag_command",
        "crm.transfer_command",
        "crm.handover_command",
        "crm.set_welcome",
        "crm.show_welcome",
        "surveys.send_survey",
        "surveys.month_report",
        "surveys.satisfaction",
        "reports.show_daily_report",
        "knowledge.ask",
        "knowledge.list_articles",
        "knowledge.show_article",
        "knowledge.add",
        "knowledge.edit",
        "knowledge.disable",
        "knowledge.enable",
        "knowledge.synonyms",
        "knowledge.show_synonyms",
        "knowledge.misses",
        "crm.edit_customer",
        "crm.delete_customer",
        "crm.merge_customers",
        "followups.create_from_text",
        "followups.list_recurring",
        "followups.stop_recurring",
        "tickets.list_tickets",
        "knowledge.ask_question",
        "subscription.price_list",
        "subscription.price_quote",
        "core.smalltalk",
        "core.not_understood",
    }
)

FREQUENT = (
    "crm.create_customer",
    "crm.find_customer",
    "crm.note_customer",
    "crm.tag_command",
    "followups.create_from_text",
    "followups.complete_followup",
    "followups.postpone_followup",
    "followups.cancel_followup",
    "tickets.create_ticket",
    "tickets.resolve_ticket",
    "tickets.show_ticket",
    "tickets.list_tickets",
    "knowledge.ask_question",
    "subscription.price_quote",
    "core.smalltalk",
)


def _load(name: str) -> list[dict[str, Any]]:
    data = tomllib.loads((HELDOUT / f"{name}.toml").read_text(encoding="utf-8"))
    cases = data.get("case")
    assert isinstance(cases, list), f"{name}.toml has no [[case]] tables"
    return cases


def _all_cases() -> list[dict[str, Any]]:
    return [case for name in FILES for case in _load(name)]


def test_every_capability_has_a_file() -> None:
    present = {path.stem for path in HELDOUT.glob("*.toml")}
    assert present == set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_cases_are_complete(name: str) -> None:
    for case in _load(name):
        assert set(case) <= {"text", "intent", "family", "canonical"}, case
        for key in ("text", "intent", "family"):
            value = case.get(key)
            assert isinstance(value, str) and value.strip(), f"{name}: {key} missing in {case}"
        canonical = case.get("canonical")
        assert canonical is None or (isinstance(canonical, str) and canonical.strip()), case
        assert case["intent"] in INTENTS, f"{name}: unknown intent {case['intent']!r}"


def test_no_sentence_twice() -> None:
    counts = Counter(case["text"].strip() for case in _all_cases())
    assert [text for text, n in counts.items() if n > 1] == []


def test_a_family_stays_with_one_intent() -> None:
    intents: dict[str, set[str]] = {}
    for case in _all_cases():
        intents.setdefault(case["family"], set()).add(case["intent"])
    assert {family: found for family, found in intents.items() if len(found) > 1} == {}


def test_enough_cases() -> None:
    cases = _all_cases()
    assert len(cases) >= MIN_CASES
    counts = Counter(case["intent"] for case in cases)
    assert {i: counts[i] for i in INTENTS if counts[i] < MIN_PER_INTENT} == {}
    assert {i: counts[i] for i in FREQUENT if counts[i] < MIN_FREQUENT} == {}
    assert counts["core.not_understood"] >= MIN_NOT_UNDERSTOOD
