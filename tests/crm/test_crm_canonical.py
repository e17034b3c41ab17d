"""Every customer command in its canonical form, one after another in one conversation: the
plain-word phrasings never change what the precise form does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from support.crm import Chat, open_chat

from bot.embedded import Embedded
from models.crm.customers import Customer

STEPS = (
    (
        "lisi",
        "新建客户 王五 13800138000 公司 华夏科技 来源 展会",
        "已新建客户：\n【客户】王五（线下客户）",
    ),
    ("lisi", "查客户 王五", "【客户】王五（线下客户）"),
    ("lisi", "查 138", "【客户】王五（线下客户）"),
    ("lisi", "客户 王五 备注 对价格敏感", "已记下：王五 — 对价格敏感"),
    ("lisi", "客户动态 王五", "【王五 的动态】最近 2 条："),
    ("lisi", "我的客户", "我的客户（共 1 个，第 1/1 页）："),
    ("lisi", "打标签 王五 重点客户", "已给 王五 打上标签：重点客户"),
    ("lisi", "去标签 王五 重点客户", "已去掉 王五 的标签：重点客户"),
    ("lisi", "修改客户 王五 公司 华夏集团", "已修改 王五：\n公司：华夏科技 → 华夏集团"),
    ("lisi", "转交 王五 给 wangwu", "已把 王五 转交给 wangwu。"),
    ("zhangsan", "离职交接 wangwu 给 lisi", "已为 wangwu 的 0 位企业微信客户发起离职继承给 lisi"),
    ("zhangsan", "设置欢迎语 你好{客户名}，我是{员工名}", "已设置默认欢迎语。新客户会收到："),
    ("lisi", "欢迎语", "当前欢迎语（{客户名}、{员工名} 会换成客户和员工的名字）："),
    ("lisi", "新建客户 老王 13900139000", "已新建客户：\n【客户】老王（线下客户）"),
    ("lisi", "合并客户 老王 到 王五", "确定把「老王」（13900139000）合并到「王五」"),
    ("lisi", "确认", "已把「老王」合并到「王五」："),
    ("lisi", "删除客户 王五", "确定删除客户「王五」（华夏集团 · 13800138000）吗？"),
    ("lisi", "确认", "已删除客户「王五」。"),
)


@pytest.fixture
async def chat(embedded: Embedded) -> AsyncIterator[Chat]:
    async with open_chat(embedded) as opened:
        yield opened


async def test_each_customer_command_in_its_canonical_form(chat: Chat) -> None:
    await chat.say("wangwu", "我的客户")  # a colleague the bot has met
    for user, said, expected in STEPS:
        [reply] = await chat.say(user, said)
        assert reply.startswith(expected), (said, reply)
    assert await Customer.filter(archived_at__isnull=True).count() == 0
    assert await Customer.filter(archived_at__isnull=False).count() == 2


async def test_a_shared_name_is_deleted_after_the_numbered_choice(chat: Chat) -> None:
    await chat.say("lisi", "新建客户 张三 13800138000")
    await chat.say("lisi", "新建客户 张三丰 13900139000")
    [listed] = await chat.say("lisi", "删除客户 张三")
    assert listed.splitlines()[0] == "找到 2 个「张三」相关的客户："
    [asked] = await chat.say("lisi", "2")
    assert asked.startswith("确定删除客户「张三丰」（13900139000）吗？")
    assert await chat.say("lisi", "确定") == [
        "已删除客户「张三丰」。它的动态仍然保留，只是查不到了。"
    ]
    assert (await Customer.get(name="张三丰")).archived_at is not None
    assert (await Customer.get(name="张三")).archived_at is None
