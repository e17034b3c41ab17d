"""Reading a customer's reply to an installation confirmation as people type it in WeChat."""

from __future__ import annotations

import pytest

from bot.installation.reply_words import Reading, Reply, read_reply


@pytest.mark.parametrize(
    "text",
    [
        "确认",
        "没问题",
        "好的，已经装好了",
        "时间可以",
        "可以的",
        "OK",
        "嗯嗯",
        "好的谢谢",
        "没有问题，按时来",
    ],
)
def test_yes(text: str) -> None:
    assert read_reply(text).reading is Reading.YES


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("改约", ""),
        ("申请改约：周六上午", "周六上午"),
        ("改到周六上午", "改到周六上午"),
        ("那天不在家", "那天不在家"),
        ("可以改到周六吗", "可以改到周六吗"),
        ("还有问题", ""),
        ("还有问题，打印机卡纸", "打印机卡纸"),
        ("打印机还是不出纸", "打印机还是不出纸"),
        ("不可以，那天没空", "不可以，那天没空"),
        ("你好，好像还是不行", "你好，好像还是不行"),
    ],
)
def test_no_keeps_what_the_customer_said(text: str, note: str) -> None:
    assert read_reply(text) == Reply(Reading.NO, note)


@pytest.mark.parametrize(
    "text", ["好的，但是打印机还是不出纸", "装好了吗？", "时间可以吗", "可以，不过能提前吗"]
)
def test_unclear_is_not_guessed(text: str) -> None:
    assert read_reply(text).reading is Reading.UNCLEAR


@pytest.mark.parametrize(
    "text", ["你们周末上班吗？", "有个问题想问一下", "师傅哪天来？", "人工", ""]
)
def test_no_answer_at_all(text: str) -> None:
    assert read_reply(text).reading is Reading.NONE
