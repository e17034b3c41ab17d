"""Announcements as transcripts on a frozen Monday 10:00 (2026-11-23) in Shanghai: the
provider's operator (vendor:wangfang) drafts, previews, publishes and revokes; acme's admin
(zhangsan, 售后服务版) and other's admin (zhaoliu, 标准版 + 呼叫中心) get cards and read them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from support.announcements import Provider, cards_to, press_ack, provider_chat

from bot.clock import FrozenClock
from models.announcements import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementRead,
    AnnouncementStatus,
    AudienceKind,
)

pytestmark = pytest.mark.db

MONDAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TUESDAY_10AM = MONDAY_10AM + timedelta(days=1)
DRAFT = "新公告 标题：4.2 版上线 内容：工单支持批量派单，订单支持分期收款。"


@pytest.fixture
async def provider(database: str, clock: FrozenClock) -> AsyncIterator[Provider]:
    async with provider_chat(database, clock) as opened:
        yield opened


async def drafted(provider: Provider, text: str = DRAFT) -> Announcement:
    await provider.vendor.say("wangfang", text)
    return await Announcement.all().order_by("-id").first().only("id", "title", "body")  # type: ignore[union-attr]


async def test_the_operator_drafts_an_announcement(provider: Provider) -> None:
    assert await provider.vendor.say("wangfang", DRAFT) == [
        "已起草公告 #1「4.2 版上线」。\n"
        "发送「预览公告 1」先看卡片，「发布公告 1」立即发给全部客户，"
        "或「发布公告 1 明天10点 给 售后服务版」定时发给指定客户。"
    ]
    row = await Announcement.get(id=1)
    assert (row.title, row.body) == ("4.2 版上线", "工单支持批量派单，订单支持分期收款。")
    assert (row.status, row.author) == (AnnouncementStatus.DRAFT, "vendor:wangfang")


@pytest.mark.parametrize(
    ("text", "title", "body"),
    [
        ("发个公告，告诉大家下周起支持安装服务", "下周起支持安装服务", "下周起支持安装服务"),
        (
            "写一条公告，通知大家周六凌晨系统维护两小时",
            "周六凌晨系统维护两小时",
            "周六凌晨系统维护两小时",
        ),
        (
            "帮我起草个公告：订单管理支持分期收款了",
            "订单管理支持分期收款了",
            "订单管理支持分期收款了",
        ),
        ("新公告 标题:春节值班安排 内容:除夕到初三有人值守", "春节值班安排", "除夕到初三有人值守"),
    ],
)
async def test_natural_drafts(provider: Provider, text: str, title: str, body: str) -> None:
    [reply] = await provider.vendor.say("wangfang", text)
    assert reply.startswith(f"已起草公告 #1「{title}」")
    row = await Announcement.get(id=1)
    assert (row.title, row.body) == (title, body)


@pytest.mark.parametrize(
    "text",
    ["新公告 标题：4.2 版上线 内容：…", "公告列表", "发布公告 1", "撤回公告 1", "公告送达 1"],
)
async def test_only_operators_manage_announcements(provider: Provider, text: str) -> None:
    assert await provider.acme.say("zhangsan", text) == ["只有服务商的运营人员可以管理公告。"]
    # The same userid in a client's tenant is somebody else.
    assert await provider.acme.say("wangfang", text) == ["只有服务商的运营人员可以管理公告。"]
    assert await Announcement.all().count() == 0


async def test_a_clients_admin_telling_their_team_is_no_announcement(provider: Provider) -> None:
    # An operator's natural draft (above) in a client's mouth: not the provider's command,
    # so no refusal of it either.
    [reply] = await provider.acme.say("zhangsan", "发个公告，告诉大家下周起支持安装服务")
    assert reply != "只有服务商的运营人员可以管理公告。"
    assert await Announcement.all().count() == 0


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("新公告", "请按这个格式写：新公告 标题：4.2 版上线 内容：工单支持批量派单……"),
        (
            "新公告 标题：上线 内容：",
            "请按这个格式写：新公告 标题：4.2 版上线 内容：工单支持批量派单……",
        ),
        ("新公告 标题：" + "长" * 41 + " 内容：好", "标题最多 40 个字，现在是 41 个字。"),
        ("发布公告", "请写上公告编号，例如：发布公告 5（发送「公告列表」查看编号）。"),
        ("发布公告 99", "没有编号为 99 的公告。发送「公告列表」查看。"),
        ("预览公告 abc", "请写上公告编号，例如：预览公告 5（发送「公告列表」查看编号）。"),
    ],
)
async def test_bad_input_gets_what_to_type(provider: Provider, text: str, reply: str) -> None:
    assert await provider.vendor.say("wangfang", text) == [reply]


async def test_preview_sends_the_card_to_the_operator_only(provider: Provider) -> None:
    await drafted(provider)
    assert await provider.vendor.say("wangfang", "预览一下公告1") == [
        "公告 #1 的预览（只发给你）：",
        "【4.2 版上线】\n公告 #1\n[知道了]",
    ]
    assert provider.vendor.sent_to("zhangsan") == []
    assert await AnnouncementDelivery.all().count() == 0


async def test_publishing_sends_one_card_to_each_clients_admins(
    provider: Provider, clock: FrozenClock
) -> None:
    await drafted(provider)
    assert await provider.vendor.say("wangfang", "发布公告 1") == [
        "已发布公告 #1「4.2 版上线」给全部客户（2 家企业），卡片一分钟内送到各企业管理员。"
    ]
    sent = await provider.run_sweep(clock)
    [acme_card] = cards_to(sent, "zhangsan")
    [other_card] = cards_to(sent, "zhaoliu")
    assert cards_to(sent, "wangfang") == []  # the provider is the sender, not the audience
    assert acme_card["main_title"] == {"title": "4.2 版上线", "desc": "公告 #1"}
    assert acme_card["sub_title_text"] == "工单支持批量派单，订单支持分期收款。"
    assert acme_card["button_list"][0]["text"] == "知道了"
    assert acme_card["task_id"] != other_card["task_id"]
    assert await provider.run_sweep(clock) == []  # the next sweep has nothing left
    deliveries = await AnnouncementDelivery.all().order_by("recipient")
    assert [d.recipient for d in deliveries] == ["zhangsan", "zhaoliu"]


async def test_the_button_is_the_read_receipt_and_reach_counts_it(
    provider: Provider, clock: FrozenClock
) -> None:
    await drafted(provider)
    await provider.vendor.say("wangfang", "发布公告 1")
    [card] = cards_to(await provider.run_sweep(clock), "zhangsan")
    assert await press_ack(provider.acme, "zhangsan", 1, card["task_id"]) == [
        "好的，公告 #1「4.2 版上线」已确认收到。发送「公告」可以随时再看。"
    ]
    delivery = await AnnouncementDelivery.get(recipient="zhangsan")
    assert delivery.acked_at == MONDAY_10AM
    [reach] = await provider.vendor.say("wangfang", "公告1送达了多少")
    assert reach.splitlines() == [
        "公告 #1「4.2 版上线」已发布 11月23日（周一）10:00，给全部客户：共送达 2 人，已读 1 人。",
        "· 别家公司：送达 1，已读 0",
        "· 艾克米科技：送达 1，已读 1",
    ]
    await press_ack(provider.acme, "zhangsan", 1, card["task_id"] + "-again")
    assert await AnnouncementRead.all().count() == 1


@pytest.mark.parametrize(
    ("text", "reaches", "audience"),
    [
        ("发布公告 1 给 售后服务版", {"zhangsan"}, "售后服务版"),
        ("发布公告 1 给售后服务", {"zhangsan"}, "售后服务版"),
        ("发布公告 1 给 呼叫中心模块", {"zhaoliu"}, "呼叫中心模块"),
        ("发布1号公告给别家公司", {"zhaoliu"}, "别家公司"),
        ("发布公告 1 给 别家公司，艾克米科技", {"zhaoliu", "zhangsan"}, "别家公司、艾克米科技"),
        ("把公告1发给所有客户", {"zhaoliu", "zhangsan"}, "全部客户"),
    ],
)
async def test_the_audience_decides_who_gets_the_card(
    provider: Provider, clock: FrozenClock, text: str, reaches: set[str], audience: str
) -> None:
    await drafted(provider)
    [reply] = await provider.vendor.say("wangfang", text)
    assert reply.startswith(f"已发布公告 #1「4.2 版上线」给{audience}（{len(reaches)} 家企业）")
    sent = await provider.run_sweep(clock)
    assert {u for u in ("zhangsan", "zhaoliu") if cards_to(sent, u)} == reaches


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        (
            "发布公告 1 给 旗舰版",
            "没有叫「旗舰版」的版本、模块或客户企业。版本有：标准版、售后服务版、ERP版、呼叫中心版；"
            "模块有：客户管理、售后工单、进销存、呼叫中心、订单管理、知识库、安装服务。",
        ),
        (
            "发布公告 1 给 售后服务版、别家公司",
            "一次只能按一种方式选受众（版本、模块或企业），「别家公司」和前面的不是一类。",
        ),
        ("发布公告 1 给 ERP版", "ERP版目前没有客户企业，公告没有发布。"),
        (
            "发布公告 1 赶紧",
            "请按这个格式写：发布公告 5（现在发给全部客户），或 发布公告 5 明天10点 给 售后服务版"
            "（受众可写版本、模块或企业名，多个用逗号分开）。",
        ),
    ],
)
async def test_an_audience_that_cannot_be_reached_publishes_nothing(
    provider: Provider, text: str, reply: str
) -> None:
    await drafted(provider)
    assert await provider.vendor.say("wangfang", text) == [reply]
    assert (await Announcement.get(id=1)).status is AnnouncementStatus.DRAFT


async def test_a_scheduled_announcement_goes_out_when_due(
    provider: Provider, clock: FrozenClock
) -> None:
    await drafted(provider)
    assert await provider.vendor.say("wangfang", "把公告1明天上午10点发给售后服务版") == [
        "公告 #1「4.2 版上线」将在 11月24日（周二）10:00 发给售后服务版（目前 1 家企业）。"
        "发送「撤回公告 1」可取消。"
    ]
    row = await Announcement.get(id=1)
    assert (row.status, row.audience, row.audience_values) == (
        AnnouncementStatus.SCHEDULED,
        AudienceKind.EDITION,
        ["aftersales"],
    )
    assert await provider.run_sweep(clock) == []
    clock.set(TUESDAY_10AM - timedelta(minutes=1))
    assert await provider.run_sweep(clock) == []
    clock.set(TUESDAY_10AM)
    sent = await provider.run_sweep(clock)
    assert len(cards_to(sent, "zhangsan")) == 1 and cards_to(sent, "zhaoliu") == []
    assert (await Announcement.get(id=1)).status is AnnouncementStatus.PUBLISHED


async def test_revoking_before_the_time_sends_nothing(
    provider: Provider, clock: FrozenClock
) -> None:
    await drafted(provider)
    await provider.vendor.say("wangfang", "发布公告 1 明天10点")
    assert await provider.vendor.say("wangfang", "把公告1撤回") == [
        "已撤回公告 #1「4.2 版上线」。它还没发出，以后也不会发送。"
    ]
    clock.set(TUESDAY_10AM + timedelta(hours=1))
    assert await provider.run_sweep(clock) == []
    assert await AnnouncementDelivery.all().count() == 0
    assert await provider.vendor.say("wangfang", "撤回公告 1") == ["公告 #1 已经撤回过了。"]
    assert await provider.vendor.say("wangfang", "发布公告 1") == [
        "公告 #1 已撤回，不能再发布；请另起草一条。"
    ]


async def test_revoking_after_publishing_stops_the_cards_not_yet_swept(
    provider: Provider, clock: FrozenClock
) -> None:
    await drafted(provider)
    await provider.vendor.say("wangfang", "发布公告 1")
    [reply] = await provider.vendor.say("wangfang", "撤销1号公告")
    assert reply.startswith("已撤回公告 #1「4.2 版上线」。")
    assert await provider.run_sweep(clock) == []
    assert await provider.acme.say("zhangsan", "公告") == ["最近没有新公告。"]


async def test_members_read_announcements_unread_first(
    provider: Provider, clock: FrozenClock
) -> None:
    await drafted(provider)
    await drafted(provider, "新公告 标题：安装服务上线 内容：约安装、上门打卡都能在聊天里完成。")
    await provider.vendor.say("wangfang", "发布公告 1")
    clock.set(MONDAY_10AM + timedelta(hours=1))
    await provider.vendor.say("wangfang", "发布公告 2")
    await provider.run_sweep(clock)
    await press_ack(provider.acme, "zhangsan", 2, "t-2")
    [listing] = await provider.acme.say("zhangsan", "最近有什么新功能")
    assert listing == (
        "最近的公告（1 条未读）：\n\n"
        "【未读】#1 4.2 版上线（11月23日（周一）10:00）\n工单支持批量派单，订单支持分期收款。\n\n"
        "#2 安装服务上线（11月23日（周一）11:00）\n约安装、上门打卡都能在聊天里完成。"
    )
    [again] = await provider.acme.say("zhangsan", "公告")
    assert again.startswith("最近的公告（0 条未读）：\n\n#2 安装服务上线")
    # A member who is not an admin reads them too, and is counted.
    [lisi] = await provider.acme.say("lisi", "看看公告")
    assert lisi.startswith("最近的公告（2 条未读）：\n\n【未读】#2")
    assert await AnnouncementRead.filter(userid="lisi").count() == 2


async def test_a_card_shows_user_text_safely(provider: Provider, clock: FrozenClock) -> None:
    # Typed elsewhere (the console, a pasted draft): control characters and blank lines.
    body = "第一行\x07\n\n\n第二行" + "很长" * 80
    await Announcement.create(
        title="<b>4.2</b> 上线", body=body, author="vendor:wangfang", created_at=MONDAY_10AM
    )
    await provider.vendor.say("wangfang", "发布公告 1 给 艾克米科技")
    [card] = cards_to(await provider.run_sweep(clock), "zhangsan")
    assert card["main_title"]["title"] == "<b>4.2</b> 上线"  # a card shows text, not HTML
    text = card["sub_title_text"]
    assert "\x07" not in text and "\n\n" not in text
    assert text.startswith("第一行\n第二行") and len(text) == 112 and text.endswith("…")


async def test_the_list_shows_each_announcement_and_its_reach(
    provider: Provider, clock: FrozenClock
) -> None:
    assert await provider.vendor.say("wangfang", "公告列表") == [
        "还没有公告。发送「新公告 标题：… 内容：…」起草一条。"
    ]
    await drafted(provider)
    await drafted(provider, "新公告 标题：维护通知 内容：周六凌晨维护。")
    await drafted(provider, "新公告 标题：草稿 内容：还没想好。")
    await provider.vendor.say("wangfang", "发布公告 1")
    await provider.vendor.say("wangfang", "发布公告 2 周六上午9点")
    await provider.run_sweep(clock)
    assert await provider.vendor.say("wangfang", "发过哪些公告") == [
        "公告（最近 3 条）：\n"
        "#3 草稿 · 草稿 · 送达 0\n"
        "#2 维护通知 · 定时 11月28日（周六）09:00 · 送达 0\n"
        "#1 4.2 版上线 · 已发布 11月23日（周一）10:00 · 送达 2"
    ]
    assert await provider.vendor.say("wangfang", "公告送达 2") == [
        "公告 #2「维护通知」还没有发布（定时 11月28日（周六）09:00），没有送达记录。"
    ]


async def test_help_lists_reading_and_operators_find_their_commands_under_announcements(
    provider: Provider,
) -> None:
    [help_page] = await provider.acme.say("lisi", "帮助 公告")
    assert "公告" in help_page and "新公告" not in help_page
    [commands] = await provider.vendor.say("wangfang", "公告")
    assert commands.startswith("公告管理（服务商）：\n· 新公告 标题：4.2 版上线 内容：……")
    assert "· 发布公告 5、发布公告 5 明天10点 给 售后服务版" in commands
