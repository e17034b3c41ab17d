"""The similarity index (``bot.nlu.similarity``) compares what a sentence asks, not whom it
names: a surname with a form of address (张总, 刘工, 陈老师) is one mark."""

from __future__ import annotations

from bot.nlu.similarity import PERSON, ExampleIndex, features, masked


def test_a_person_addressed_by_title_is_one_mark() -> None:
    assert masked("给张总加个备注") == f"给{PERSON}加个备注"
    assert masked("刘工和陈老师都要回访") == f"{PERSON}和{PERSON}都要回访"
    assert features("给张总加个备注") == features("给刘工加个备注")


def test_words_that_only_look_like_a_title_stay() -> None:
    # 汇总 and 总数 have no surname before 总
    assert masked("本月汇总一下客户总数") == "本月汇总一下客户总数"


def test_whom_an_example_names_does_not_decide_the_command() -> None:
    index = ExampleIndex({"note": ["给张总加个备注"], "tag": ["给王经理打个标签"]})
    [best, _] = index.closest("给王经理加个备注", ["note", "tag"], 2)
    assert best.intent == "note"
