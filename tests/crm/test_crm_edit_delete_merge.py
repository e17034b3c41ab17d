"""修改客户, 删除客户 and 合并客户 as chat transcripts through the simulator, in plain words
and in the canonical form: what people read, and the rows written."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from support.crm import Chat, open_chat

from bot.embedded import Embedded
from models.conversations import ConversationState
from models.crm.customers import Customer, CustomerNote, NoteKind
from models.crm.tags import CustomerTag
from models.followups import Followup
from models.tickets import Ticket

EDIT_USAGE = "请按这个格式写：修改客户 张总 电话 13911112222（可以改：电话、公司、来源、名字）"
SOMETIME = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def _notes(customer_name: str, kind: NoteKind) -> list[str]:
    customer = await Customer.get(name=customer_name)
    rows = await CustomerNote.filter(customer_id=customer.id, kind=kind).order_by("id")
    return [n.text for n in rows]


async def test_edit_a_phone_and_a_company_in_plain_words(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000 公司 北京星辰科技")
    assert await chat.say("lisi", "把张总的电话改成13911112222") == [
        "已修改 张总：\n电话：13800138000 → 13911112222"
    ]
    assert await chat.say("lisi", "张总公司改为星辰集团") == [
        "已修改 张总：\n公司：北京星辰科技 → 星辰集团"
    ]
    customer = await Customer.get(name="张总")
    assert (customer.phone, customer.company) == ("13911112222", "星辰集团")
    assert await _notes("张总", NoteKind.EDIT) == [
        "电话：13800138000 → 13911112222",
        "公司：北京星辰科技 → 星辰集团",
    ]
    [timeline] = await chat.say("lisi", "客户动态 张总")
    assert "修改：公司：北京星辰科技 → 星辰集团（lisi）" in timeline


async def test_edit_in_the_canonical_form_and_several_fields_at_once(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 王经理")
    assert await chat.say("lisi", "修改客户 王经理 电话 139 1234 5678 来源 展会") == [
        "已修改 王经理：\n电话：（空） → 13912345678\n来源：（空） → 展会"
    ]
    assert await chat.say("lisi", "修改客户 王经理 电话 13912345678") == [
        "王经理 的电话已经是「13912345678」，没有改动。"
    ]
    assert await _notes("王经理", NoteKind.EDIT) == [
        "电话：（空） → 13912345678；来源：（空） → 展会"
    ]


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("修改客户 张总", EDIT_USAGE),
        ("修改客户 张总 很重要", EDIT_USAGE),
        ("修改客户 张总 公司", "「公司」要改成什么？\n" + EDIT_USAGE),
        (
            "把张总的电话改成1391111",
            "手机号「1391111」不对：应为 11 位手机号（如 13800138000）或带区号的座机"
            "（如 010-12345678）。\n" + EDIT_USAGE,
        ),
        (
            "把张总的电话改成13700137000",
            "已有客户「李姐」使用手机号 13700137000，不能重复。发送「查 13700137000」查看。",
        ),
    ],
)
async def test_edit_refuses_bad_input(chat: Chat, said: str, answer: str) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000")
    await chat.say("lisi", "新建客户 李姐 13700137000")
    assert await chat.say("lisi", said) == [answer]
    assert (await Customer.get(name="张总")).phone == "13800138000"
    assert await _notes("张总", NoteKind.EDIT) == []


async def test_only_the_owner_or_an_admin_edits(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000")
    assert await chat.say("wangwu", "把张总的电话改成13911112222") == [
        "「张总」不是你负责的客户：只有负责人或管理员能修改。"
    ]
    assert (await Customer.get(name="张总")).phone == "13800138000"
    assert await chat.say("zhangsan", "把张总的电话改成13911112222") == [
        "已修改 张总：\n电话：13800138000 → 13911112222"
    ]


async def test_a_shared_name_is_edited_after_the_numbered_choice(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张三 公司 华夏科技")
    await chat.say("lisi", "新建客户 张三丰 公司 武当")
    [listed] = await chat.say("lisi", "修改客户 张三 来源 展会")
    assert listed.splitlines()[0] == "找到 2 个「张三」相关的客户："
    assert await chat.say("lisi", "2") == ["已修改 张三丰：\n来源：（空） → 展会"]
    assert (await Customer.get(name="张三丰")).source == "展会"
    assert (await Customer.get(name="张三")).source == ""


async def test_delete_asks_then_archives_and_keeps_the_history(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000 公司 星辰科技")
    await chat.say("lisi", "客户 张总 备注 重复录入的")
    assert await chat.say("lisi", "把张总删了") == [
        "确定删除客户「张总」（星辰科技 · 13800138000）吗？删除后查不到它，动态保留。\n"
        "回复「确认」删除，回复「取消」放弃。"
    ]
    assert await chat.say("lisi", "嗯嗯") == ["请回复「确认」或「取消」。"]
    assert (await Customer.get(name="张总")).archived_at is None
    assert await chat.say("lisi", "确认") == [
        "已删除客户「张总」。它的动态仍然保留，只是查不到了。"
    ]
    customer = await Customer.get(name="张总")
    assert customer.archived_at is not None
    assert await _notes("张总", NoteKind.NOTE) == ["重复录入的"]
    assert await _notes("张总", NoteKind.DELETE) == ["由 lisi 删除（动态保留）"]
    assert not await ConversationState.exists()
    [search] = await chat.say("lisi", "查 张总")
    assert search.startswith("没有找到「张总」")
    assert await chat.say("lisi", "我的客户") == [
        "你还没有客户。发送「新建客户 王五 13800138000」添加一个。"
    ]
    # The number is free again for a customer still in the book.
    [created] = await chat.say("lisi", "新建客户 张建国 13800138000")
    assert created.startswith("已新建客户：")


@pytest.mark.parametrize("answer", ["取消", "算了", "不用了"])
async def test_a_deletion_can_be_called_off(chat: Chat, answer: str) -> None:
    await chat.say("lisi", "新建客户 李姐")
    [asked] = await chat.say("lisi", "删除客户 李姐")
    assert asked.startswith("确定删除客户「李姐」吗？")
    assert await chat.say("lisi", answer) == ["好的，已取消，客户没有改动。"]
    assert (await Customer.get(name="李姐")).archived_at is None
    assert not await ConversationState.exists()


async def test_delete_refusals(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总")
    assert await chat.say("wangwu", "删除客户 张总") == [
        "「张总」不是你负责的客户：只有负责人或管理员能删除。"
    ]
    assert await chat.say("lisi", "删除客户") == ["请写要删除的客户，例如：删除客户 张总"]
    await chat.sim.add_contact("acme", "lisi", name="王小明")
    await chat.settle(0)
    assert await chat.say("lisi", "删除客户 王小明") == [
        "「王小明」是微信客户，要在企业微信里删除（删除好友后这里会自动更新），这里不能删。"
    ]
    assert not await Customer.filter(archived_at__isnull=False).exists()
    assert not await ConversationState.exists()


async def test_an_admin_deletes_a_colleagues_duplicate(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总")
    [asked] = await chat.say("zhangsan", "删掉客户张总")
    assert asked.startswith("确定删除客户「张总」吗？")
    assert await chat.say("zhangsan", "确认") == [
        "已删除客户「张总」。它的动态仍然保留，只是查不到了。"
    ]


async def _history_of(customer: Customer) -> None:
    """A follow-up and a ticket about ``customer``, as those capabilities store them."""
    await Followup.create(
        tenant_id=customer.tenant_id,
        number=1,
        customer_id=customer.id,
        owner_id=customer.owner_id,
        content="回访张总",
        due_at=SOMETIME,
        created_at=SOMETIME,
        remind_at=SOMETIME,
    )
    await Ticket.create(
        tenant_id=customer.tenant_id,
        number="GD-20261201-0001",
        day=date(2026, 12, 1),
        seq=1,
        customer_id=customer.id,
        title="打印机卡纸",
        created_at=SOMETIME,
        updated_at=SOMETIME,
        response_due_at=SOMETIME,
        response_warn_at=SOMETIME,
        resolution_due_at=SOMETIME,
        resolution_warn_at=SOMETIME,
    )


async def test_merge_moves_the_history_and_archives_the_first(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总 13800138000 公司 星辰科技")
    await chat.say("lisi", "新建客户 张建国 来源 展会")
    await chat.say("lisi", "客户 张总 备注 下个月有预算")
    await chat.say("lisi", "打标签 张总 重点客户")
    await chat.say("lisi", "打标签 张建国 重点客户 老客户")
    source = await Customer.get(name="张总")
    await _history_of(source)
    assert await chat.say("lisi", "把张总合并到张建国") == [
        "确定把「张总」（星辰科技 · 13800138000）合并到「张建国」吗？"
        "张总 的备注、标签、跟进和工单会移到 张建国，张总 随后归档。\n"
        "回复「确认」合并，回复「取消」放弃。"
    ]
    [merged] = await chat.say("lisi", "确认")
    lines = merged.splitlines()
    assert (
        lines[0]
        == "已把「张总」合并到「张建国」：移过来备注 3 条、标签 0 个、跟进 1 条、工单 1 张。"
    )
    assert lines[1] == "【客户】张建国（线下客户）"
    assert "电话：13800138000" in lines and "公司：星辰科技" in lines
    target = await Customer.get(name="张建国")
    source = await Customer.get(id=source.id)
    assert source.archived_at is not None and target.archived_at is None
    assert (target.phone, target.company, target.source) == ("13800138000", "星辰科技", "展会")
    assert await Followup.filter(customer_id=target.id).count() == 1
    assert await Ticket.filter(customer_id=target.id).count() == 1
    assert await CustomerTag.filter(customer_id=source.id).count() == 0
    assert await CustomerTag.filter(customer_id=target.id).count() == 2
    assert await _notes("张建国", NoteKind.NOTE) == ["下个月有预算"]
    assert await _notes("张总", NoteKind.MERGE) == [f"已合并到「张建国」（客户编号 {target.id}）"]
    assert await _notes("张建国", NoteKind.MERGE) == [f"「张总」（客户编号 {source.id}）合并进来"]
    [search] = await chat.say("lisi", "查 13800138000")
    assert search.startswith("【客户】张建国")


async def test_merge_in_the_canonical_form_can_be_called_off(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张总")
    await chat.say("lisi", "新建客户 张建国")
    [asked] = await chat.say("lisi", "合并客户 张总 到 张建国")
    assert asked.startswith("确定把「张总」合并到「张建国」吗？")
    assert await chat.say("lisi", "取消") == ["好的，已取消，客户没有改动。"]
    assert not await Customer.filter(archived_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("user", "said", "answer"),
    [
        (
            "lisi",
            "合并客户 张总",
            "请按这个格式写：合并客户 张总 到 张建国（前一个的记录并入后一个，前一个归档）",
        ),
        ("lisi", "合并客户 张总 到 张总", "「张总」和「张总」是同一个客户，不用合并。"),
        (
            "lisi",
            "合并客户 张总 到 李四",
            "没有找到「李四」相关的客户。可以按姓名、手机号开头、公司或标签查，例如：查客户 张三",
        ),
        ("wangwu", "把张总合并到张建国", "「张总」不是你负责的客户：只有负责人或管理员能合并。"),
        (
            "lisi",
            "把王小明合并到张建国",
            "「王小明」是微信客户，由企业微信管理，不能被合并掉。"
            "可以反过来：合并客户 张建国 到 王小明",
        ),
    ],
)
async def test_merge_refusals(chat: Chat, user: str, said: str, answer: str) -> None:
    await chat.say("lisi", "新建客户 张总")
    await chat.say("lisi", "新建客户 张建国")
    await chat.sim.add_contact("acme", "lisi", name="王小明")
    await chat.settle(0)
    assert await chat.say(user, said) == [answer]
    assert not await ConversationState.exists()
    assert not await Customer.filter(archived_at__isnull=False).exists()


async def test_an_ambiguous_name_in_a_merge_asks_for_the_phone(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张三 13800138000")
    await chat.say("lisi", "新建客户 张三丰 13900139000")
    await chat.say("lisi", "新建客户 张三 13700137000")
    [reply] = await chat.say("lisi", "合并客户 张三 到 张三丰")
    assert reply.startswith(
        "「张三」对应不止一个客户，请写手机号区分，例如：合并客户 13800138000 到 张建国"
    )
    [asked] = await chat.say("lisi", "合并客户 13700137000 到 13800138000")
    assert asked.startswith("确定把「张三」（13700137000）合并到「张三」（13800138000）吗？")
