"""The knowledge base the way people type, through the simulator: articles written as
标题：… 内容：…, the admins' commands in sentences, and questions asked without 问, which are
answered only when the tenant has the module and the answer is confident.

zhangsan is the tenant's admin (from config); lisi is an employee.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from support.crm import Chat, open_chat
from support.knowledge import give_knowledge_module, load_example

from bot.embedded import Embedded
from models.knowledge import Article, Synonym, UnansweredQuestion

LOADED_AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
REFUND = "在订单页点申请退款，审核通过后3个工作日原路退回"


@pytest.fixture
async def tenant_id(embedded: Embedded) -> int:
    return await give_knowledge_module(embedded)


@pytest.fixture
async def chat(embedded: Embedded, tenant_id: int) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


@pytest.fixture
async def examples(tenant_id: int) -> None:
    await load_example(tenant_id, LOADED_AT)


# --- adding articles the way they are written --------------------------------------------------


async def test_an_article_written_with_title_and_content_is_added(
    chat: Chat, tenant_id: int
) -> None:
    assert await chat.say("zhangsan", f"添加知识库文章 标题：退款流程 内容：{REFUND}") == [
        "已添加知识 #1：退款流程\n员工发送「问 退款流程」或换个说法都能找到它。"
    ]
    article = await Article.get(tenant_id=tenant_id, number=1)
    assert (article.question, article.answer) == ("退款流程", REFUND)


@pytest.mark.parametrize(
    "said",
    [
        "添加知识 问题：退款流程 答案：{answer}",
        "添加知识库文章 标题：退款流程，内容：{answer}",
        "添加文章 问：退款流程 答：{answer}",
        "加一条知识 标题：退款流程 内容：{answer}",
        "往知识库里加一条 问：退款流程 答：{answer}",
    ],
)
async def test_every_label_and_opening_adds_the_same_article(
    chat: Chat, tenant_id: int, said: str
) -> None:
    [reply] = await chat.say("zhangsan", said.format(answer=REFUND))
    assert reply.startswith("已添加知识 #1：退款流程\n")
    article = await Article.get(tenant_id=tenant_id, number=1)
    assert (article.question, article.answer) == ("退款流程", REFUND)


async def test_a_multi_line_article_keeps_its_lines(chat: Chat, tenant_id: int) -> None:
    said = "添加知识库文章\n标题：退款流程\n内容：第一步，订单页申请退款\n第二步，等待审核"
    [reply] = await chat.say("zhangsan", said)
    assert reply.startswith("已添加知识 #1：退款流程\n")
    article = await Article.get(tenant_id=tenant_id, number=1)
    assert article.answer == "第一步，订单页申请退款\n第二步，等待审核"


async def test_content_inside_an_answer_is_no_label(chat: Chat, tenant_id: int) -> None:
    await chat.say("zhangsan", "添加知识 问：合同审核 答：法务会核对合同内容 和标题")
    article = await Article.get(tenant_id=tenant_id, number=1)
    assert article.answer == "法务会核对合同内容 和标题"


async def test_members_cannot_add_in_a_sentence_either(chat: Chat) -> None:
    assert await chat.say("lisi", f"添加知识库文章 标题：退款流程 内容：{REFUND}") == [
        "仅管理员可用"
    ]
    assert await Article.all().count() == 0


# --- the admins' other commands in sentences ---------------------------------------------------


async def test_articles_are_shown_listed_disabled_and_edited_in_sentences(
    chat: Chat, examples: None, tenant_id: int
) -> None:
    [card] = await chat.say("lisi", "知识 1")
    for said in ("看下第1条知识", "查看知识1", "1号知识", "知识 #1", "知识 第1条"):
        assert await chat.say("lisi", said) == [card], said
    [listing] = await chat.say("lisi", "知识列表")
    assert await chat.say("lisi", "知识库里有哪些问题") == [listing]
    assert await chat.say("lisi", "知识库列表") == [listing]
    assert (await chat.say("zhangsan", "把第1条知识停用"))[0].startswith("已停用知识 #1")
    assert not (await Article.get(tenant_id=tenant_id, number=1)).enabled
    assert await chat.say("zhangsan", "恢复第1条知识") == ["已启用知识 #1「打印机卡纸怎么办」。"]
    [edited] = await chat.say("zhangsan", "把第1条知识的答案改成：先关机再取纸")
    assert edited.startswith("已修改：")
    assert (await Article.get(tenant_id=tenant_id, number=1)).answer == "先关机再取纸"
    await chat.say("zhangsan", "修改第1条知识 答：关机后取纸")
    assert (await Article.get(tenant_id=tenant_id, number=1)).answer == "关机后取纸"
    assert (await chat.say("zhangsan", "下架第1条知识"))[0].startswith("已停用知识 #1")
    assert await chat.say("lisi", "看看知识库") == await chat.say("lisi", "知识列表")


async def test_articles_talked_about_by_number_and_by_category(
    chat: Chat, examples: None, tenant_id: int
) -> None:
    # 知识3 at the start of a remark is about article 3, not a request to see it
    [reply] = await chat.say("zhangsan", "知识3过时了，先别用了")
    assert reply.startswith("（按「停用知识 3」处理）\n已停用知识 #3")
    assert not (await Article.get(tenant_id=tenant_id, number=3)).enabled
    [listing] = await chat.say("lisi", "打印机分类下的知识有哪些")
    assert listing.startswith("（按「知识列表 打印机」处理）\n")
    assert listing.split("\n", 1)[1] == (await chat.say("lisi", "知识列表 打印机"))[0]


async def test_synonyms_and_misses_in_sentences(chat: Chat, examples: None, tenant_id: int) -> None:
    assert await chat.say("zhangsan", "把复印机设为打印机的同义词") == [
        "已设置同义词：打印机 = 复印机\n提问时这些词视为同一个意思。"
    ]
    assert await Synonym.filter(tenant_id=tenant_id).count() > 0
    assert await chat.say("zhangsan", "退款的同义词是退钱、退费") == [
        "已设置同义词：退款 = 退钱、退费\n提问时这些词视为同一个意思。"
    ]
    [shown] = await chat.say("lisi", "同义词")
    for said in ("有哪些同义词", "同义词列表", "同义词有哪些？", "知识库设了哪些近义词"):
        assert await chat.say("lisi", said) == [shown], said
        assert await chat.say("zhangsan", said) == [shown], said
    assert await chat.say("lisi", "设置同义词 退款 = 退钱") == ["仅管理员可用"]
    assert await chat.say("zhangsan", "删除打印机的同义词") == ["已删除「打印机」的同义词。"]
    await chat.say("lisi", "问 公司年会在哪里办")
    [missed] = await chat.say("zhangsan", "未命中问题")
    assert await chat.say("zhangsan", "哪些问题没有答案") == [missed]
    assert await chat.say("zhangsan", "最常问却找不到答案的问题") == [missed]
    assert "公司年会在哪里办" in missed


async def test_synonyms_added_in_a_sentence_keep_the_ones_there(chat: Chat, tenant_id: int) -> None:
    await chat.say("zhangsan", "设置同义词 打印机 = 复印机")
    assert await chat.say("zhangsan", "打印机的同义词加上 打印设备、复印机") == [
        "已设置同义词：打印机 = 复印机、打印设备\n提问时这些词视为同一个意思。"
    ]
    assert await chat.say("zhangsan", "硒鼓和墨粉盒算同义词") == [
        "已设置同义词：硒鼓 = 墨粉盒\n提问时这些词视为同一个意思。"
    ]
    assert await chat.say("zhangsan", "让系统知道夹纸就是卡纸") == [
        "已设置同义词：卡纸 = 夹纸\n提问时这些词视为同一个意思。"
    ]
    # 设成 replaces what was there
    assert await chat.say("zhangsan", "打印机的同义词设成 打印设备") == [
        "已设置同义词：打印机 = 打印设备\n提问时这些词视为同一个意思。"
    ]
    words = (
        await Synonym.filter(tenant_id=tenant_id).order_by("word").values_list("word", flat=True)
    )
    assert words == ["卡纸", "打印机", "硒鼓"]


async def test_articles_named_word_first_and_the_base_searched_in_sentences(
    chat: Chat, examples: None, tenant_id: int
) -> None:
    [edited] = await chat.say("zhangsan", "知识1的答案改一下 答：关机后取纸")
    assert edited.startswith("已修改：")
    assert (await Article.get(tenant_id=tenant_id, number=1)).answer == "关机后取纸"
    await chat.say("zhangsan", "停用知识 2")
    assert (await chat.say("zhangsan", "之前停掉的第2条知识再打开"))[0].startswith("已启用知识 #2")
    assert await chat.say("lisi", "第1篇文章全文发我") == await chat.say("lisi", "知识 1")
    assert await chat.say("lisi", "列一下知识库的问题") == await chat.say("lisi", "知识列表")
    [asked] = await chat.say("lisi", "问 打印机卡纸怎么办")
    assert await chat.say("lisi", "去知识库找找打印机卡纸的答案") == await chat.say(
        "lisi", "问 打印机卡纸"
    )
    assert asked.startswith("【知识 #1】")


async def test_a_fault_described_without_asking_gets_a_confident_article(
    chat: Chat, examples: None
) -> None:
    [article] = await chat.say("lisi", "问 打印机通电了指示灯不亮")
    assert article.startswith("【知识 #")
    assert await chat.say("lisi", "打印机通电了指示灯不亮") == [article]
    # the same fault with a request in it is for the commands
    [reply] = await chat.say("lisi", "张总的打印机指示灯不亮，开个工单")
    assert not reply.startswith("【知识 #")


async def test_ask_in_a_sentence(chat: Chat, examples: None) -> None:
    [answer] = await chat.say("lisi", "问 打印机卡纸怎么办")
    assert answer.startswith("【知识 #1】打印机卡纸怎么办")
    assert await chat.say("lisi", "请问打印机卡纸怎么办") == [answer]
    assert await chat.say("lisi", "查一下知识库 打印机卡纸怎么办") == [answer]


# --- questions without 问 ------------------------------------------------------------------------


async def test_a_question_without_ask_gets_the_article(chat: Chat, tenant_id: int) -> None:
    await chat.say("zhangsan", f"添加知识库文章 标题：退款流程 内容：{REFUND}")
    await chat.say("zhangsan", "添加知识 问：怎么申请发票 答：在订单页点申请发票，填好抬头和税号")
    for question in ("退款流程是怎样的", "怎么申请发票"):
        [asked] = await chat.say("lisi", f"问 {question}")
        assert asked.startswith("【知识 #")
        assert await chat.say("lisi", question) == [asked], question
    assert await UnansweredQuestion.all().count() == 0


async def test_a_question_mark_is_enough(chat: Chat, examples: None) -> None:
    [asked] = await chat.say("lisi", "问 打印机卡纸怎么办")
    assert await chat.say("lisi", "打印机卡纸怎么办？") == [asked]
    assert await chat.say("lisi", "上门维修收费吗") == await chat.say("lisi", "问 上门维修收费吗")


async def test_questions_asked_the_colloquial_way_get_the_article(
    chat: Chat, examples: None
) -> None:
    # 咋办, 多久, 收不收, a how-to title: questions though none ends in 吗 or a question mark
    for said, article in (
        ("打印机又卡纸了咋办", "打印机卡纸怎么办"),
        ("保修期一般多久", "设备保修期是多久"),
        ("上门维修收不收钱", "上门维修怎么收费"),
        ("硒鼓更换方法", "如何更换硒鼓"),
    ):
        [reply] = await chat.say("lisi", said)
        assert reply.startswith("【知识 #") and article in reply.splitlines()[0], said


async def test_a_question_nothing_answers_is_logged_for_the_admins(
    chat: Chat, examples: None
) -> None:
    [reply] = await chat.say("lisi", "公司年会在哪里办？")
    assert reply.startswith("知识库里还没有「公司年会在哪里办？」的答案，已记下来请管理员补充。")
    [logged] = await UnansweredQuestion.all()
    assert (logged.channel, logged.count) == ("app", 1)
    assert "年会" in logged.normalized


async def test_a_question_that_is_a_command_is_not_sent_to_the_knowledge_base(
    chat: Chat, examples: None
) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000")
    [reply] = await chat.say("lisi", "张总的电话是多少？")
    assert "13800138000" in reply
    assert await UnansweredQuestion.all().count() == 0


async def test_statements_are_not_questions(chat: Chat, examples: None) -> None:
    # news about the printer, no fault in it (a fault is answered: see above)
    [reply] = await chat.say("lisi", "新打印机今天送到了")
    assert not reply.startswith("【知识")


async def test_without_the_module_a_question_gets_no_answer_and_no_offer(
    embedded: Embedded,
) -> None:
    tenant = await embedded.runtime.tenants.get("acme")
    assert tenant is not None
    await load_example(tenant.id, LOADED_AT)  # articles kept from an earlier subscription
    async with open_chat(embedded) as chat:  # acme is on its trial: 标准版 without 知识库
        [reply] = await chat.say("lisi", "打印机卡纸怎么办？")
    assert not reply.startswith("【知识")
    assert "未开通" not in reply
    assert await UnansweredQuestion.all().count() == 0
