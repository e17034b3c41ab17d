"""Segmentation with the domain dictionary, the intent table, names, and the follow-up config."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from conftest import TEST_CONFIG

from bot.config import ConfigError, parse_settings
from bot.nlu.intents import INTENTS, classify
from bot.nlu.names import NameRef, find_reference, fits
from bot.nlu.segment import Segmenter, build_segmenter, load_segmenter
from bot.nlu.vocabulary import NameLearner
from bot.tenants import TenantInfo
from models.crm.customers import Customer


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    built = load_segmenter()
    built.add_names(["张伟", "李四"])
    return built


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("帮我联系一下张总", ["帮", "我", "联系", "一下", "张总"]),
        ("跟进一下张伟的工单", ["跟进", "一下", "张伟", "的", "工单"]),
        ("续费席位满意度", ["续费", "席位", "满意度"]),
        ("明天提醒我回访张总", ["明天", "提醒我", "回访", "张总"]),
    ],
)
def test_domain_words_and_names_stay_whole(
    segmenter: Segmenter, text: str, words: list[str]
) -> None:
    assert segmenter.words(text) == words


def test_names_are_found_in_a_sentence(segmenter: Segmenter) -> None:
    assert segmenter.names_in("周五给李经理打电话，再回访张伟") == ["李经理", "张伟"]


def test_every_example_in_the_intent_table_is_recognised() -> None:
    for spec in INTENTS:
        for example in spec.examples:
            assert classify(example) == spec.name, example


@pytest.mark.parametrize("text", ["今天天气不错", "我的客户", "帮助", "查 张三"])
def test_other_text_has_no_intent(text: str) -> None:
    assert classify(text) is None


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("回访张总", NameRef("张总", "张", True)),
        ("联系王老师", NameRef("王老师", "王", True)),
        ("给刘姐打电话", NameRef("刘姐", "刘", True)),
        ("给李四打电话", NameRef("李四", "李四", False)),
        ("发报价单", None),
        # a pronoun after the verb is nobody's name: 给他权限 is not a person called 他权限
        ("赵六以后也能派单，给他权限", None),
        ("给客户发", None),
    ],
)
def test_references_to_people(text: str, ref: NameRef | None) -> None:
    assert find_reference(text) == ref


def test_a_title_fits_a_short_name_with_the_surname_only() -> None:
    ref = NameRef("张总", "张", True)
    assert [fits(ref, n) for n in ("张总", "张伟", "张家口科技", "李伟")] == [
        True,
        True,
        False,
        False,
    ]


def test_escalation_hours_come_from_config() -> None:
    assert parse_settings(TEST_CONFIG).followups.escalate_after_hours == 4
    raw = dict(TEST_CONFIG, followups={"escalate_after_hours": 6})
    assert parse_settings(raw).followups.escalate_after_hours == 6
    with pytest.raises(ConfigError, match=r"followups\.escalate_after_hours: expected 1 or more"):
        parse_settings(dict(TEST_CONFIG, followups={"escalate_after_hours": 0}))


async def test_customers_added_after_start_up_are_learned(tenant: TenantInfo) -> None:
    segmenter = build_segmenter()  # its own dictionary: the shared one stays as it was
    started = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    learner = NameLearner(segmenter, since=started)
    assert segmenter.names_in("周五跟司马长风吃饭") == []
    await Customer.create(
        tenant_id=tenant.id,
        name="司马长风",
        created_at=started + timedelta(minutes=1),
        updated_at=started + timedelta(minutes=1),
    )
    assert await learner.learn(started + timedelta(minutes=2)) == 1
    assert segmenter.names_in("周五跟司马长风吃饭") == ["司马长风"]
    assert await learner.learn(started + timedelta(minutes=10)) == 0  # nothing new since


async def test_a_customer_saved_in_this_process_is_learned_at_once(tenant: TenantInfo) -> None:
    shared = load_segmenter()
    assert shared.names_in("周五跟欧阳明月吃饭") == []
    now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    await Customer.create(tenant_id=tenant.id, name="欧阳明月", created_at=now, updated_at=now)
    assert shared.names_in("周五跟欧阳明月吃饭") == ["欧阳明月"]
