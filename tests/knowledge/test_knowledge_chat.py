"""The knowledge base in chat, through the simulator: asking, keeping articles, synonyms,
unanswered questions, admin-only commands and the module's entitlement.

zhangsan is the tenant's admin (from config); lisi is an employee.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from support.crm import Chat, open_chat
from support.knowledge import give_knowledge_module, load_example

from bot.clock import FrozenClock
from bot.embedded import Embedded
from models.knowledge import Article, KnowledgeRevision, Synonym, UnansweredQuestion

ADMINS_ONLY = "仅管理员可用"
ADD_USAGE = (
    "请按这个格式写：添加知识 问：打印机卡纸怎么办 答：先关闭电源，打开前盖取出卡纸\n"
    "还可以加上 关键词：卡纸、夹纸 和 分类：打印机"
)
EDIT_USAGE = (
    "请按这个格式写：修改知识 12 答：新的答案\n"
    "问：、答：、关键词：、分类： 只写要改的部分（写「分类：」不跟内容就是清空）"
)
SYNONYM_USAGE = (
    "请按这个格式写：同义词 打印机 = 打印设备, 复印机\n删除一个词的同义词：同义词 打印机 ="
)
JAM_ANSWER = (
    "先关闭电源，打开前盖和后盖，顺着进纸方向慢慢抽出卡住的纸，不要硬拽；"
    "纸张受潮或太薄也容易卡纸。频繁卡纸请报修。"
)
NO_ANSWER = (
    "知识库里还没有「{q}」的答案，已记下来请管理员补充。\n"
    "可以换个说法再问，或发送「知识列表」看看有哪些问题。"
)


@pytest.fixture
async def tenant_id(embedded: Embedded) -> int:
    return await give_knowledge_module(embedded)


@pytest.fixture
async def chat(embedded: Embedded, tenant_id: int) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


@pytest.fixture
async def examples(tenant_id: int) -> None:
    await load_example(tenant_id, datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


# --- asking ----------------------------------------------------------------------------------


async def test_asking_gives_the_best_article_with_its_number(chat: Chat, examples: None) -> None:
    assert await chat.say("lisi", "问 打印机老是卡纸怎么办") == [
        f"【知识 #1】打印机卡纸怎么办\n{JAM_ANSWER}"
    ]


async def test_close_runners_up_are_offered_as_related_questions(
    chat: Chat, examples: None
) -> None:
    [reply] = await chat.say("lisi", "问 打印机开不了机，也卡纸")
    assert reply.splitlines()[0] == "【知识 #1】打印机卡纸怎么办"
    assert reply.splitlines()[-3:] == [
        "相关问题：",
        "· #3 打印机无法开机",
        "发送「知识 编号」查看。",
    ]


async def test_a_question_without_an_answer_is_logged_once_and_counted(
    chat: Chat, examples: None, tenant_id: int
) -> None:
    assert await chat.say("lisi", "问 公司年会在哪里办？") == [
        NO_ANSWER.format(q="公司年会在哪里办？")
    ]
    await chat.say("wangwu", "问 请问，公司年会在哪里办")
    [row] = await UnansweredQuestion.filter(tenant_id=tenant_id)
    assert (row.normalized, row.channel, row.count) == ("公司年会在哪里办", "app", 2)


async def test_ask_without_a_question_shows_how(chat: Chat, examples: None) -> None:
    assert await chat.say("lisi", "问") == ["请写要问的问题，例如：问 打印机卡纸怎么办"]
    assert await UnansweredQuestion.all().count() == 0


async def test_a_disabled_article_is_no_longer_an_answer(chat: Chat, examples: None) -> None:
    assert (await chat.say("zhangsan", "停用知识 1")) == [
        "已停用知识 #1「打印机卡纸怎么办」：提问时不会再用它回答。发送「启用知识 1」恢复。"
    ]
    [reply] = await chat.say("lisi", "问 打印机卡纸怎么办")
    assert "#1" not in reply
    assert await chat.say("zhangsan", "停用知识 1") == ["知识 #1 本来就是停用状态。"]
    assert await chat.say("zhangsan", "启用知识 1") == ["已启用知识 #1「打印机卡纸怎么办」。"]
    [reply] = await chat.say("lisi", "问 打印机卡纸怎么办")
    assert reply.startswith("【知识 #1】")


# --- adding and editing ----------------------------------------------------------------------


async def test_an_admin_adds_an_article_that_is_found_at_once(chat: Chat, tenant_id: int) -> None:
    said = "添加知识 问：复印机显示缺粉 答：更换墨粉盒即可。 关键词：缺粉、墨粉 分类：复印机"
    assert await chat.say("zhangsan", said) == [
        "已添加知识 #1：复印机显示缺粉\n员工发送「问 复印机显示缺粉」或换个说法都能找到它。"
    ]
    article = await Article.get(tenant_id=tenant_id, number=1)
    assert (article.answer, article.keywords, article.category, article.created_by) == (
        "更换墨粉盒即可。",
        "缺粉、墨粉",
        "复印机",
        "zhangsan",
    )
    [reply] = await chat.say("lisi", "问 复印机提示缺粉怎么处理")
    assert reply == "【知识 #1】复印机显示缺粉\n更换墨粉盒即可。"


async def test_adding_an_answer_removes_the_question_from_the_unanswered_list(
    chat: Chat, tenant_id: int
) -> None:
    await chat.say("lisi", "问 复印机显示缺粉")
    assert await UnansweredQuestion.filter(tenant_id=tenant_id).count() == 1
    await chat.say("zhangsan", "添加知识 问：复印机显示缺粉 答：更换墨粉盒即可。")
    assert await UnansweredQuestion.filter(tenant_id=tenant_id).count() == 0


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("添加知识", "问题和答案都要写。\n" + ADD_USAGE),
        ("添加知识 问：打印机坏了", "问题和答案都要写。\n" + ADD_USAGE),
        (
            "添加知识 打印机坏了 答：报修",
            "看不懂「打印机坏了」：每部分前面要写 问：、答：、关键词：或 分类：\n" + ADD_USAGE,
        ),
        ("添加知识 问：a 问：b 答：c", "「问：」写了两次。\n" + ADD_USAGE),
        ("添加知识 问：坏了 答：" + "修" * 2001, "答案太长了（最多 2000 个字）。\n" + ADD_USAGE),
    ],
)
async def test_adding_refuses_malformed_input_with_the_expected_form(
    chat: Chat, said: str, answer: str
) -> None:
    assert await chat.say("zhangsan", said) == [answer]
    assert await Article.all().count() == 0


async def test_adding_a_question_twice_points_at_the_first(chat: Chat, examples: None) -> None:
    assert await chat.say("zhangsan", "添加知识 问：打印机卡纸怎么办 答：报修") == [
        "已有相同问题的知识 #1。\n发送「知识 1」查看，或「修改知识 1 答：…」修改它。"
    ]


async def test_an_admin_edits_an_article(chat: Chat, examples: None, tenant_id: int) -> None:
    [reply] = await chat.say("zhangsan", "修改知识 1 答：直接报修，工程师上门处理。\n分类：")
    assert reply.splitlines() == [
        "已修改：",
        "【知识 #1】打印机卡纸怎么办",
        "答：直接报修，工程师上门处理。",
        "分类：无",
        "关键词：卡纸、夹纸、搓纸轮",
        reply.splitlines()[-1],
    ]
    assert reply.splitlines()[-1].startswith("更新：")
    assert reply.splitlines()[-1].endswith(" zhangsan")
    [answer] = await chat.say("lisi", "问 打印机卡纸")
    assert answer.endswith("直接报修，工程师上门处理。")


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("修改知识", EDIT_USAGE),
        ("修改知识 答：没有编号", EDIT_USAGE),
        ("修改知识 1", "要写改哪一部分。\n" + EDIT_USAGE),
        ("修改知识 99 答：x", "没有编号为 99 的知识。发送「知识列表」查看所有知识。"),
        (
            "修改知识 1 问：如何更换硒鼓",
            "已有相同问题的知识 #2。\n发送「知识 2」查看，或「修改知识 2 答：…」修改它。",
        ),
        ("修改知识 1 答：", "答案不能为空。\n" + EDIT_USAGE),
    ],
)
async def test_editing_refuses_malformed_input(
    chat: Chat, examples: None, said: str, answer: str
) -> None:
    assert await chat.say("zhangsan", said) == [answer]
    assert (await Article.get(number=1)).answer.startswith("先关闭电源")


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("停用知识", "请写知识的编号，例如：停用知识 12"),
        ("启用知识 一", "请写知识的编号，例如：启用知识 12"),
        ("停用知识 42", "没有编号为 42 的知识。发送「知识列表」查看所有知识。"),
    ],
)
async def test_toggling_needs_an_existing_number(
    chat: Chat, examples: None, said: str, answer: str
) -> None:
    assert await chat.say("zhangsan", said) == [answer]


# --- reading ---------------------------------------------------------------------------------


async def test_anyone_reads_an_article_by_number(chat: Chat, examples: None) -> None:
    [reply] = await chat.say("lisi", "知识 4")
    assert reply.splitlines()[:4] == [
        "【知识 #4】设备保修期是多久",
        "答：整机保修一年，自签收之日起计算；硒鼓、墨盒等耗材不在保修范围内。"
        "购买延保服务可以延长到三年。",
        "分类：售后服务",
        "关键词：保修、质保、延保",
    ]
    assert reply.splitlines()[4].endswith(" import")
    assert await chat.say("lisi", "知识 40") == [
        "没有编号为 40 的知识。发送「知识列表」查看所有知识。"
    ]
    [usage] = await chat.say("lisi", "知识库怎么用")
    assert usage.startswith("请写知识的编号，例如：知识 12\n知识库的用法：")


async def test_the_list_shows_categories_and_filters_by_one(chat: Chat, examples: None) -> None:
    await chat.say("zhangsan", "停用知识 6")
    assert (await chat.say("lisi", "知识列表"))[0].splitlines() == [
        "知识库（共 6 条，第 1/1 页）：",
        "分类：打印机 3、售后服务 2",
        "#1 打印机卡纸怎么办（打印机）",
        "#2 如何更换硒鼓（打印机）",
        "#3 打印机无法开机（打印机）",
        "#4 设备保修期是多久（售后服务）",
        "#5 上门维修怎么收费（售后服务）",
        "#6 可以开增值税专用发票吗（财务）（已停用）",
        "发送「知识 编号」查看答案，「知识列表 分类名」只看一个分类。",
    ]
    assert (await chat.say("lisi", "知识列表 售后服务"))[0].splitlines() == [
        "分类「售后服务」（共 2 条，第 1/1 页）：",
        "#4 设备保修期是多久",
        "#5 上门维修怎么收费",
        "发送「知识 编号」查看答案，「知识列表 分类名」只看一个分类。",
    ]
    assert await chat.say("lisi", "知识列表 厨房") == [
        "没有「厨房」这个分类。现有分类：打印机 3、售后服务 2"
    ]
    assert await chat.say("lisi", "知识列表 3") == ["没有第 3 页：共 1 页。"]


async def test_a_long_list_pages(chat: Chat, tenant_id: int) -> None:
    for n in range(1, 23):
        await chat.say("zhangsan", f"添加知识 问：问题{n} 答：答案{n}")
    first = (await chat.say("lisi", "知识列表"))[0].splitlines()
    assert first[0] == "知识库（共 22 条，第 1/2 页）："
    assert first[-2] == "发送「知识列表 2」看下一页。"
    second = (await chat.say("lisi", "知识列表 2"))[0].splitlines()
    assert second[1:4] == ["分类：未分类 22", "#21 问题21", "#22 问题22"]
    uncategorised = (await chat.say("lisi", "知识列表 未分类 2"))[0].splitlines()
    assert uncategorised[:3] == [
        "分类「未分类」（共 22 条，第 2/2 页）：",
        "#21 问题21",
        "#22 问题22",
    ]


async def test_an_empty_knowledge_base_says_how_to_start(chat: Chat, tenant_id: int) -> None:
    assert await chat.say("lisi", "知识列表") == [
        "知识库还是空的。管理员可以发送「添加知识 问：… 答：…」添加第一条。"
    ]


# --- synonyms --------------------------------------------------------------------------------


async def test_synonyms_make_other_words_find_the_article(
    chat: Chat, examples: None, tenant_id: int
) -> None:
    [before] = await chat.say("lisi", "问 影印机卡住了")
    assert before.startswith("知识库里还没有")
    assert await chat.say("zhangsan", "同义词 打印机 = 影印机, 复印设备") == [
        "已设置同义词：打印机 = 影印机、复印设备\n提问时这些词视为同一个意思。"
    ]
    assert await chat.say("zhangsan", "同义词 卡纸＝卡住") == [
        "已设置同义词：卡纸 = 卡住\n提问时这些词视为同一个意思。"
    ]
    [after] = await chat.say("lisi", "问 影印机卡住了")
    assert after.startswith("【知识 #1】打印机卡纸怎么办")
    assert await chat.say("lisi", "同义词") == [
        "同义词（提问时视为同一个意思）：\n· 卡纸 = 卡住\n· 打印机 = 影印机、复印设备"
    ]
    assert await chat.say("zhangsan", "同义词 卡纸 =") == ["已删除「卡纸」的同义词。"]
    assert await chat.say("zhangsan", "同义词 卡纸 =") == ["「卡纸」没有设置同义词。"]
    assert [s.word for s in await Synonym.filter(tenant_id=tenant_id)] == ["打印机"]


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("同义词 打印机 复印机", "要用「=」把词和它的同义词隔开。\n" + SYNONYM_USAGE),
        ("同义词 = 复印机", "「=」前面写一个词。\n" + SYNONYM_USAGE),
        ("同义词 打印机 复印机 = 影印机", "「=」前面写一个词。\n" + SYNONYM_USAGE),
        ("同义词 打印机 = " + "复" * 33, "每个词最多 32 个字。\n" + SYNONYM_USAGE),
        (
            "同义词 打印机 = " + "、".join(f"复印机{n:02d}" for n in range(100)),
            "同义词太多了（合计最多 500 个字）。\n" + SYNONYM_USAGE,
        ),
    ],
)
async def test_synonyms_refuse_malformed_input(chat: Chat, said: str, answer: str) -> None:
    assert await chat.say("zhangsan", said) == [answer]
    assert await Synonym.all().count() == 0


async def test_without_synonyms_the_list_says_how_to_add_them(chat: Chat, tenant_id: int) -> None:
    expected = ["还没有设置同义词。管理员可以发送「同义词 打印机 = 打印设备, 复印机」添加。"]
    assert await chat.say("lisi", "同义词") == expected
    assert await chat.say("zhangsan", "同义词") == expected


# --- unanswered questions --------------------------------------------------------------------


async def test_unanswered_questions_are_listed_most_asked_first(
    chat: Chat, clock: FrozenClock, examples: None
) -> None:
    for _ in range(3):
        await chat.say("lisi", "问 公司年会在哪里办")  # Monday 23 November, 10:00
    clock.advance(timedelta(days=1, hours=4, minutes=30))
    await chat.say("lisi", "问 今年的年终奖什么时候发")
    for _ in range(2):
        await chat.say("wangwu", "问 食堂几点开饭")
    [reply] = await chat.say("zhangsan", "未命中问题")
    assert reply.splitlines() == [
        "最常问却没有答案的问题：",
        "1. 公司年会在哪里办 — 3 次（员工 3），最近 11月23日（周一）10:00",
        "2. 食堂几点开饭 — 2 次（员工 2），最近 11月24日（周二）14:30",
        "3. 今年的年终奖什么时候发 — 1 次（员工 1），最近 11月24日（周二）14:30",
        "用「添加知识 问：… 答：…」补上答案，问题就会从这里消失。",
    ]


async def test_no_unanswered_questions_yet(chat: Chat, tenant_id: int) -> None:
    assert await chat.say("zhangsan", "未命中问题") == ["还没有找不到答案的问题。"]


# --- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "said",
    [
        "添加知识 问：a 答：b",
        "修改知识 1 答：b",
        "停用知识 1",
        "启用知识 1",
        "未命中问题",
    ],
)
async def test_keeping_the_knowledge_base_is_for_admins(
    chat: Chat, examples: None, said: str
) -> None:
    revision = await KnowledgeRevision.get()
    [reply] = await chat.say("lisi", said)
    assert ADMINS_ONLY in reply
    assert (await KnowledgeRevision.get()).stamp == revision.stamp
    assert (await Article.get(number=1)).enabled


async def test_employees_may_read_synonyms_but_not_set_them(chat: Chat, tenant_id: int) -> None:
    assert await chat.say("lisi", "同义词 打印机 = 复印机") == [
        "只有管理员可以设置同义词。发送「同义词」查看现有的同义词。"
    ]
    assert await Synonym.all().count() == 0


async def test_without_the_module_every_command_is_refused_with_its_price(
    embedded: Embedded,
) -> None:
    async with open_chat(embedded) as chat:  # acme is on its trial: 标准版 without 知识库
        [reply] = await chat.say("lisi", "问 打印机卡纸怎么办")
        assert reply.startswith("「知识库」未开通")
        assert "试用期内可免费开通" in reply
    assert await UnansweredQuestion.all().count() == 0


@pytest.mark.parametrize(
    ("user", "said"),
    [
        ("lisi", "知识 99999999999999999999"),
        ("lisi", "知识 9999999999"),  # past PostgreSQL's integer
        ("lisi", "知识列表 99999999999999999999"),
        ("zhangsan", "修改知识 99999999999999999999 答：x"),
        ("zhangsan", "停用知识 9999999999"),
    ],
)
async def test_a_huge_number_names_no_article(
    chat: Chat, examples: None, user: str, said: str
) -> None:
    [reply] = await chat.say(user, said)
    assert reply.startswith(("没有编号为", "没有第")), reply
    assert "知识列表" in reply or "共" in reply
