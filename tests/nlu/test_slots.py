"""Slots found in a sentence as people type it (``bot.nlu.slots``): each kind by its own shape,
the free text as typed without the command's verbs around it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dispatch.phrasing import compile_phrasings
from bot.nlu.segment import load_segmenter
from bot.nlu.slots import Sentence, fill, fillable, template_of, tidy

TICKET = "新建工单 {who} {problem}"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Monday


def filled(template: str, text: str, triggers: tuple[str, ...] = ()) -> str | None:
    return fill(template, Sentence(text, load_segmenter(), NOW), triggers)


@pytest.mark.parametrize(
    ("template", "text", "triggers", "canonical"),
    [
        # the problem as typed, without the verbs that asked for a ticket
        (TICKET, "给王经理建个单 网络很慢", ("建个", "单"), "新建工单 王经理 网络很慢"),
        (TICKET, "张总那边打印机又卡纸了 建个工单", ("建个", "工单"),
         "新建工单 张总 打印机又卡纸了"),
        # a verb in the middle splits the rest; the argument is the longest piece
        ("打标签 {who} {tag}", "王经理身上加个标签 老客户", ("加个", "标签"),
         "打标签 王经理 老客户"),
        # a follow-up's number is taken before times: 3号 is the follow-up, 明天 the time
        ("推迟 {ref} 到 {when}", "3号那个推到明天", ("推到",), "推迟 3 到 明天"),
        ("推迟 {ref} 到 {when}", "把第2条推到后天上午10点", ("推到",), "推迟 2 到 后天上午10点"),
        # by what it is about, when there is no number
        ("完成 {ref} {note?}", "张总那个回访做完了", ("做", "完"), "完成 张总那个回访"),
        # two people: the first is who, the last is who it goes to
        ("转交 {who} 给 {to}", "把张总的客户转给lisi", ("转给", "客户"), "转交 张总 给 lisi"),
        # durations and counts as typed
        ("续费 {duration}", "我们再续一年吧", ("续",), "续费 一年"),
        ("加席位 {count}", "再加5个人", ("加",), "加席位 5"),
        # words from a list, anywhere in the sentence
        ("工单列表 {scope?|所有|我创建的} {status?|处理中|等待客户} {page?}",
         "看看所有处理中的工单 第2页", (), "工单列表 所有 处理中 2"),
        ("工单列表 {scope?|所有|我创建的} {status?|处理中|等待客户} {page?}",
         "工单都拿来看看", (), "工单列表"),
        # an @mention and a userid are people too
        ("设为管理员 {who}", "@wangwu 以后也管这个", (), "设为管理员 wangwu"),
    ],
)  # fmt: skip
def test_slots_are_found_as_typed(
    template: str, text: str, triggers: tuple[str, ...], canonical: str
) -> None:
    assert filled(template, text, triggers) == canonical


def test_a_missing_required_slot_gives_no_command() -> None:
    # a tag is required: "弄个" and "吧" are no tag
    assert filled("打标签 {who} {tag}", "张总那边弄个标签吧", ("标签",)) is None
    # a person is required
    assert filled("设为管理员 {who}", "设个管理员", ("管理员",)) is None
    # a phone number is no ticket
    assert filled("工单 {ticket}", "13800138000", ()) is None


def test_an_absent_slot_with_a_default_is_written_as_the_default() -> None:
    template = "新建工单 {who?=待定} {problem}"
    triggers = ("开个", "维修单", "帮我")
    assert filled(template, "客户那边复印机一直卡纸，帮我开个维修单", triggers) == (
        "新建工单 待定 客户那边复印机一直卡纸"
    )
    assert filled(template, "张总那边复印机一直卡纸 开个维修单", triggers) == (
        "新建工单 张总 复印机一直卡纸"
    )
    assert filled(template, "帮我开个", triggers) is None  # the problem is still required


def test_templates_default_to_the_first_word_and_the_slots() -> None:
    assert template_of(("完成", "done"), ("ref", "note")) == "完成 {ref} {note?}"
    assert template_of(("打标签",), ("who", "tag")) == "打标签 {who} {tag}"
    assert template_of(("设置",), ("key", "value"), "") == "设置 {key?} {value?}"
    assert fillable("打标签 {who} {tag}")
    assert fillable("工单列表 {status?|处理中}")
    assert not fillable(template_of(("设置",), ("key", "value")))


def test_a_named_slot_takes_the_longest_name_it_is_given() -> None:
    names = {"edition": ("售后服务版", "售后版", "ERP版"), "item": ("工单", "进销存")}
    sentence = Sentence("直接把标准版升成售后服务版吧", load_segmenter(), NOW, names)
    assert fill("升级 {edition}", sentence) == "升级 售后服务版"
    sentence = Sentence("工单模块下个周期不要了", load_segmenter(), NOW, names)
    assert fill("停用 {item}", sentence) == "停用 工单"
    # without the names (a tenant whose capability gives none) the command is not guessed
    assert not fillable("升级 {edition}")
    assert fillable("升级 {edition}", names)
    assert filled("升级 {edition}", "直接升级售后版吧") is None


@pytest.mark.parametrize(
    ("slot", "typed", "canonical"),
    [
        ("count", "三", "3"),
        ("count", "十二", "12"),
        ("ref", "第五条提醒", "5"),
        ("ref", "3号待办", "3"),
        ("ref", "张总那个", "张总那个"),  # a description stays as typed
        ("duration", "三个月", "三个月"),
        ("tag", "三好客户", "三好客户"),  # free text is never rewritten
    ],
)
def test_values_are_written_as_the_canonical_form_writes_them(
    slot: str, typed: str, canonical: str
) -> None:
    assert tidy(slot, typed) == canonical


def test_a_phrasing_hands_the_command_tidy_values() -> None:
    [phrasing] = compile_phrasings(
        [(r"再加(?P<count>[一二三四五六七八九十]+)个席位", "加席位 {count}")],
        ("加席位",),
        ("count",),
    )
    assert phrasing.rewrite("再加十个席位") == "加席位 10"


def test_a_name_it_does_not_know_is_what_is_left() -> None:
    # no title, not in the address book: the rest of a one-person command is the name
    assert filled("取消管理员 {who}", "钱七管理员撤掉", ("管理员", "撤掉")) == "取消管理员 钱七"
    # never when the command also takes text: the rest is that text
    assert filled("打标签 {who} {tag}", "重点客户", ("打标签",)) is None
