"""What people type is tidied before it is understood (bot.nlu.normalise)."""

from __future__ import annotations

import pytest

from bot.nlu.normalise import normalise, without_softener


@pytest.mark.parametrize(
    ("typed", "understood"),
    [
        ("帮我查一下张总", "查一下张总"),
        ("麻烦你帮我 新建客户 王五", "新建客户 王五"),
        ("帮忙，查张总", "查张总"),
        ("请帮我查李经理", "查李经理"),
        ("手机 139 1234 5678", "手机 13912345678"),
        ("电话139-1234-5678", "电话13912345678"),
        ("查客户 张三　１３８００１３８０００", "查客户 张三 13800138000"),
        ("ＨＥＬＰ", "HELP"),
        # Left alone: words that only start like a polite opening, and the opening alone.
        ("请假", "请假"),
        ("请问退款流程是怎样的", "请问退款流程是怎样的"),
        ("帮我", "帮我"),
        ("给我的客户发满意度", "给我的客户发满意度"),
        ("帮我们再续十二个月", "再续十二个月"),
        ("麻烦帮我们升级到售后服务版", "升级到售后服务版"),
        # Chinese punctuation stays: the commands' forms use it.
        ("添加知识 问：打印机卡纸 答：打开后盖", "添加知识 问：打印机卡纸 答：打开后盖"),
        # A longer number is not a grouped phone number.
        ("订单 12 1234 56789", "订单 12 1234 56789"),
    ],
)
def test_normalise(typed: str, understood: str) -> None:
    assert normalise(typed) == understood


def test_a_softener_after_the_command_word_goes() -> None:
    assert without_softener("一下张总") == "张总"
    assert without_softener("一下，张总") == "张总"
    assert without_softener("张总一下") == "张总一下"
    assert without_softener("一下：扫描到邮箱怎么设置") == "扫描到邮箱怎么设置"
    assert without_softener("下张总") == "张总"
    assert without_softener("下 138") == "138"
    # times and words that start with 下 stay whole
    for args in ("下周三的跟进", "下午3点", "下个月", "下单", "下一页"):
        assert without_softener(args) == args
