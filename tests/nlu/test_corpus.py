"""The NLU corpora are well formed: the held-out one (``tests/nlu/corpus/heldout/``) and the
development one (``tests/nlu/corpus/dev/``).

Both measure understanding in ``bench/nlu_eval.py``; the held-out corpus is never tuned on, the
development corpus is what phrasings are checked against while they are written. These checks
only keep them usable: every file parses, every case names a known intent and a template
family, no sentence appears twice, no sentence is in both, and the held-out corpus has enough
cases per intent to say something about it.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

HELDOUT = Path(__file__).resolve().parent / "corpus" / "heldout"
DEV = HELDOUT.parent / "dev"
CORPORA = (HELDOUT, DEV)
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
    # The call center, installation service and address book.
    "calls",
    "installation",
    "people",
    # Sales orders and ERP-lite.
    "orders",
    "erp",
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
    # The call center (呼叫中心), installation service (安装服务) and address book.
    | {
        "calls.log_call",
        "calls.dial",
        "calls.my_calls",
        "calls.team_calls",
        "calls.call_ranking",
        "calls.call_settings",
        "calls.open_callbacks",
        "calls.call_back",
        "calls.sync_dial_records",
        "installation.book_installation",
        "installation.book_from_order",
        "installation.show_job",
        "installation.my_jobs",
        "installation.todays_jobs",
        "installation.unscheduled_jobs",
        "installation.day_plan",
        "installation.record_job_materials",
        "installation.install_rules",
        "installation.show_install_stats",
        "installation.dispatch_job",
        "installation.move_job",
        "installation.complete_job",
        "installation.confirm_job",
        "installation.cancel_job",
        "people.sync_address_book",
        "people.address_book_status",
        "people.show_colleague",
    }
)

# Sales orders (订单) and stock and purchasing (进销存), one per user-facing route. The
# buttons, the steps' answers and erp.ask_stock (the stock question a product's own name
# triggers, which needs the tenant's catalogue) are not sentences a corpus can hold.
ORDERS_AND_ERP_INTENTS = frozenset(
    {
        "orders.create_sales_order",
        "orders.confirm_order",
        "orders.cancel_order",
        "orders.record_collection",
        "orders.record_refund",
        "orders.ship_order",
        "orders.show_order",
        "orders.my_orders",
        "orders.unpaid_orders",
        "orders.overdue_payments",
        "orders.monthly_sales",
        "orders.unshipped_orders",
        "orders.customer_orders",
        "orders.sales_statistics",
        "orders.order_rules",
        "orders.pending_bills",
        "orders.claim_bill",
        "erp.add_product",
        "erp.show_product",
        "erp.product_settings",
        "erp.create_warehouse",
        "erp.list_warehouses",
        "erp.stock_in",
        "erp.stock_out",
        "erp.issue_stock",
        "erp.transfer_stock",
        "erp.show_stock",
        "erp.show_low_stock",
        "erp.show_ledger",
        "erp.check_ledger",
        "erp.create_supplier",
        "erp.show_supplier",
        "erp.list_suppliers",
        "erp.disable_supplier",
        "erp.enable_supplier",
        "erp.create_purchase",
        "erp.approve_purchase",
        "erp.reject_purchase",
        "erp.purchase_rules",
        "erp.confirm_purchase",
        "erp.show_purchase",
        "erp.receive_purchase",
        "erp.return_purchase",
        "erp.overdue_purchases",
        "erp.cancel_purchase",
        "erp.start_count",
        "erp.record_count",
        "erp.show_differences",
        "erp.confirm_count",
        "erp.cancel_count",
    }
)
INTENTS = INTENTS | ORDERS_AND_ERP_INTENTS

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
    # orders and 进销存: what sales and warehouse staff type every day
    "orders.create_sales_order",
    "erp.stock_in",
)


def _load(name: str, corpus: Path = HELDOUT) -> list[dict[str, Any]]:
    data = tomllib.loads((corpus / f"{name}.toml").read_text(encoding="utf-8"))
    cases = data.get("case")
    assert isinstance(cases, list), f"{name}.toml has no [[case]] tables"
    return cases


def _all_cases(corpus: Path = HELDOUT) -> list[dict[str, Any]]:
    return [case for name in FILES for case in _load(name, corpus)]


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda path: path.name)
def test_every_capability_has_a_file(corpus: Path) -> None:
    present = {path.stem for path in corpus.glob("*.toml")}
    assert present == set(FILES)


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda path: path.name)
@pytest.mark.parametrize("name", FILES)
def test_cases_are_complete(name: str, corpus: Path) -> None:
    for case in _load(name, corpus):
        assert set(case) <= {"text", "intent", "family", "canonical"}, case
        for key in ("text", "intent", "family"):
            value = case.get(key)
            assert isinstance(value, str) and value.strip(), f"{name}: {key} missing in {case}"
        canonical = case.get("canonical")
        assert canonical is None or (isinstance(canonical, str) and canonical.strip()), case
        assert case["intent"] in INTENTS, f"{name}: unknown intent {case['intent']!r}"


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda path: path.name)
def test_no_sentence_twice(corpus: Path) -> None:
    counts = Counter(case["text"].strip() for case in _all_cases(corpus))
    assert [text for text, n in counts.items() if n > 1] == []


def test_the_corpora_share_no_sentence() -> None:
    heldout = {case["text"].strip() for case in _all_cases(HELDOUT)}
    assert sorted(heldout & {case["text"].strip() for case in _all_cases(DEV)}) == []


@pytest.mark.parametrize("corpus", CORPORA, ids=lambda path: path.name)
def test_a_family_stays_with_one_intent(corpus: Path) -> None:
    intents: dict[str, set[str]] = {}
    for case in _all_cases(corpus):
        intents.setdefault(case["family"], set()).add(case["intent"])
    assert {family: found for family, found in intents.items() if len(found) > 1} == {}


def test_enough_cases() -> None:
    cases = _all_cases()
    assert len(cases) >= MIN_CASES
    counts = Counter(case["intent"] for case in cases)
    assert {i: counts[i] for i in INTENTS if counts[i] < MIN_PER_INTENT} == {}
    assert {i: counts[i] for i in FREQUENT if counts[i] < MIN_FREQUENT} == {}
    assert counts["core.not_understood"] >= MIN_NOT_UNDERSTOOD
