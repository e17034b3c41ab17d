"""Retrieval on a fixed small corpus: the right article first, fields weighted, synonyms, the
threshold, unanswered questions logged and counted, and the per-tenant index cache."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from conftest import TEST_CONFIG

from bot.clock import FrozenClock
from bot.config import ConfigError, parse_settings
from bot.knowledge import retrieval
from bot.knowledge.index import ArticleDoc, KnowledgeIndex, SynonymTable
from bot.knowledge.retrieval import IndexCache, answer, best_answer
from bot.knowledge.store import ArticleFields, add_article, set_enabled, set_synonyms
from bot.knowledge.text import normalize_question, terms
from bot.knowledge.unanswered import most_missed
from bot.nlu.segment import Segmenter, load_segmenter
from bot.tenants import TenantInfo
from models.knowledge import UnansweredQuestion

CORPUS = [
    ("打印机卡纸怎么办", "关闭电源，打开前盖取出卡住的纸。", "卡纸", "打印机"),
    ("如何更换硒鼓", "打开前盖，取出旧硒鼓，装入新硒鼓。", "硒鼓 耗材", "打印机"),
    ("设备保修期是多久", "整机保修一年，耗材不保修。", "保修 质保", "售后"),
    ("上门维修怎么收费", "保修期外上门费 80 元。", "维修费", "售后"),
    ("可以开增值税专用发票吗", "可以，提供税号后 5 个工作日内寄出发票。", "发票 专票", "财务"),
    ("如何添加客户", "发送“新建客户 姓名 手机号”。", "新建客户", "客户管理"),
]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return load_segmenter()


def index_of(segmenter: Segmenter, groups: list[list[str]] | None = None) -> KnowledgeIndex:
    docs = [ArticleDoc(n, n, q, k, a, c) for n, (q, a, k, c) in enumerate(CORPUS, start=1)]

    def tokenize(text: str) -> list[str]:
        return terms(text, segmenter)

    return KnowledgeIndex(docs, tokenize, SynonymTable(groups or [], tokenize))


def top(index: KnowledgeIndex, question: str) -> tuple[int, float] | None:
    found = index.search(question, limit=1)
    return (found[0].doc.number, found[0].score) if found else None


# --- the index -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("打印机卡纸了", 1),
        ("硒鼓怎么换", 2),
        ("保修几年", 3),
        ("过了保修期上门维修收费吗", 4),
        ("能开专票吗", 5),
        ("怎么新建客户", 6),
    ],
)
def test_the_right_article_comes_first(segmenter: Segmenter, question: str, number: int) -> None:
    found = top(index_of(segmenter), question)
    assert found is not None and found[0] == number


def test_stop_words_carry_no_weight(segmenter: Segmenter) -> None:
    assert terms("请问打印机卡纸了怎么办呢？", segmenter) == ["打印机", "卡纸"]
    assert index_of(segmenter).search("怎么办呢") == []


def test_the_question_counts_more_than_the_answer(segmenter: Segmenter) -> None:
    # 硒鼓 is in article 2's question and keywords, and only in nobody else's text; 前盖 is in
    # the answers of 1 and 2: an answer-only match scores well below a question match.
    index = index_of(segmenter)
    in_question = index.search("硒鼓", limit=1)[0]
    in_answer = index.search("前盖", limit=1)[0]
    assert in_question.doc.number == 2
    assert in_question.score > 2 * in_answer.score


def test_a_perfect_question_match_scores_about_one_and_unknown_words_pull_it_down(
    segmenter: Segmenter,
) -> None:
    index = index_of(segmenter)
    exact = top(index, "打印机卡纸怎么办")
    vague = top(index, "打印机卡纸冒烟漏电异响")
    assert exact is not None and exact[1] > 1.0
    assert vague is not None and vague[0] == 1 and vague[1] < exact[1] / 2


def test_an_unrelated_question_finds_nothing(segmenter: Segmenter) -> None:
    assert top(index_of(segmenter), "今天天气怎么样") is None


def test_synonyms_are_expanded_at_query_time(segmenter: Segmenter) -> None:
    assert top(index_of(segmenter), "影印机夹纸") is None
    index = index_of(segmenter, [["打印机", "影印机"], ["卡纸", "夹纸"]])
    found = top(index, "影印机夹纸")
    assert found is not None and found[0] == 1


def test_a_synonym_of_several_words_counts_like_one_word(segmenter: Segmenter) -> None:
    # 墨粉盒 is two words to jieba (墨 / 粉盒): the phrase still stands for 硒鼓.
    index = index_of(segmenter, [["硒鼓", "墨粉盒"]])
    found = top(index, "墨粉盒怎么换")
    assert found is not None and found[0] == 2


def test_overlapping_synonym_rows_merge(segmenter: Segmenter) -> None:
    index = index_of(segmenter, [["打印机", "复印机"], ["复印机", "影印机"]])
    found = top(index, "影印机卡纸")
    assert found is not None and found[0] == 1


def test_a_glued_unknown_word_is_read_as_the_known_words_inside_it(
    segmenter: Segmenter,
) -> None:
    assert "开发票" in terms("开发票要什么", segmenter)
    found = top(index_of(segmenter), "开发票要什么")
    assert found is not None and found[0] == 5


def test_questions_are_normalised_for_counting() -> None:
    assert normalize_question("请问，打印机 卡纸 怎么办？") == "打印机卡纸怎么办"
    assert normalize_question("ＰＤＦ怎么打印") == "pdf怎么打印"
    assert normalize_question("？？") == ""


# --- best_answer, unanswered questions and the cache -----------------------------------------


async def seed(tenant: TenantInfo, now: datetime) -> None:
    for question, answer_text, keywords, category in CORPUS:
        fields = ArticleFields(question, answer_text, keywords, category)
        await add_article(tenant.id, fields, "zhangsan", now)


async def test_best_answer_returns_the_article(
    tenant: TenantInfo, clock: FrozenClock, segmenter: Segmenter
) -> None:
    await seed(tenant, clock.now())
    hit = await best_answer(tenant.id, "硒鼓怎么换", segmenter, channel="kf", now=clock.now())
    assert hit is not None
    assert (hit.number, hit.question, hit.category) == (2, "如何更换硒鼓", "打印机")
    assert hit.answer == "打开前盖，取出旧硒鼓，装入新硒鼓。"
    assert await UnansweredQuestion.all().count() == 0


async def test_below_the_threshold_nothing_is_answered_and_the_question_is_logged(
    tenant: TenantInfo, clock: FrozenClock, segmenter: Segmenter
) -> None:
    await seed(tenant, clock.now())
    question = "打印机卡纸冒烟漏电异响"
    low = await best_answer(tenant.id, question, segmenter, channel="kf", now=clock.now())
    assert low is not None  # the default threshold lets a partial match through
    strict = await best_answer(
        tenant.id, question, segmenter, channel="kf", now=clock.now(), min_score=0.9
    )
    assert strict is None
    [row] = await UnansweredQuestion.filter(tenant_id=tenant.id)
    assert (row.normalized, row.channel, row.count) == (question, "kf", 1)


async def test_unanswered_questions_are_counted_per_channel_and_ranked(
    tenant: TenantInfo, clock: FrozenClock, segmenter: Segmenter
) -> None:
    await seed(tenant, clock.now())
    asked = [("年会在哪里", "kf"), ("年会在哪里？", "app"), ("食堂几点开饭", "app")]
    asked += [("年会在哪里", "kf"), ("停车场在哪", "kf")]
    for question, channel in asked:
        clock.advance(timedelta(minutes=1))
        found = await answer(tenant.id, question, segmenter, channel=channel, now=clock.now())
        assert found.hit is None
    assert await UnansweredQuestion.filter(tenant_id=tenant.id).count() == 4
    missed = await most_missed(tenant.id)
    assert [(m.question, m.total, m.by_channel) for m in missed] == [
        ("年会在哪里", 3, {"kf": 2, "app": 1}),
        ("停车场在哪", 1, {"kf": 1}),  # asked last, so before the other single one
        ("食堂几点开饭", 1, {"app": 1}),
    ]
    assert missed[0].last_asked_at == datetime(2026, 11, 23, 2, 4, tzinfo=UTC)


async def test_the_index_is_rebuilt_when_articles_or_synonyms_change(
    tenant: TenantInfo, clock: FrozenClock, segmenter: Segmenter
) -> None:
    cache = IndexCache()
    await seed(tenant, clock.now())
    first = await cache.get(tenant.id, segmenter)
    assert await cache.get(tenant.id, segmenter) is first  # unchanged: no rebuild
    await add_article(tenant.id, ArticleFields("复印机缺粉", "换墨粉盒。"), "zhangsan", clock.now())
    second = await cache.get(tenant.id, segmenter)
    assert second is not first and len(second) == 7
    article = await add_article(tenant.id, ArticleFields("传真机", "不再销售。"), "x", clock.now())
    await set_enabled(article, False, "zhangsan", clock.now())
    assert len(await cache.get(tenant.id, segmenter)) == 7
    await set_synonyms(tenant.id, "卡纸", ["夹纸"], "zhangsan", clock.now())
    third = await cache.get(tenant.id, segmenter)
    assert third is not second and third.synonyms.has_word("夹纸")


async def test_the_cache_keeps_only_the_most_recent_tenants(
    tenant: TenantInfo, clock: FrozenClock, segmenter: Segmenter
) -> None:
    other = tenant.id + 1000  # a tenant with no articles at all: an empty index
    cache = IndexCache(size=1)
    await seed(tenant, clock.now())
    first = await cache.get(tenant.id, segmenter)
    assert len(await cache.get(other, segmenter)) == 0
    again = await cache.get(tenant.id, segmenter)
    assert again is not first and len(again) == len(CORPUS)  # evicted, then rebuilt


async def test_a_slow_rebuild_leaves_the_previous_index_answering(
    tenant: TenantInfo, clock: FrozenClock, segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = IndexCache()
    await seed(tenant, clock.now())
    old = await cache.get(tenant.id, segmenter)
    release = asyncio.Event()
    real_build = retrieval.build_index

    async def slow_build(tenant_id: int, seg: Segmenter) -> KnowledgeIndex:
        await release.wait()
        return await real_build(tenant_id, seg)

    monkeypatch.setattr(retrieval, "build_index", slow_build)
    monkeypatch.setattr(retrieval, "STALE_AFTER_SECONDS", 0)
    await add_article(tenant.id, ArticleFields("复印机缺粉", "换墨粉盒。"), "zhangsan", clock.now())
    assert await cache.get(tenant.id, segmenter) is old
    release.set()
    while (fresh := await cache.get(tenant.id, segmenter)) is old:
        await asyncio.sleep(0)
    assert len(fresh) == len(CORPUS) + 1


def test_the_threshold_comes_from_config() -> None:
    assert parse_settings(TEST_CONFIG).knowledge.min_score == 0.3
    assert (
        parse_settings({**TEST_CONFIG, "knowledge": {"min_score": 0.5}}).knowledge.min_score == 0.5
    )
    assert parse_settings({**TEST_CONFIG, "knowledge": {"min_score": 1}}).knowledge.min_score == 1
    for wrong in (3.0, -0.1, "high", True):
        with pytest.raises(ConfigError, match="knowledge.min_score"):
            parse_settings({**TEST_CONFIG, "knowledge": {"min_score": wrong}})
