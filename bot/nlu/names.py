"""People named the way sales people talk: 张总, 李经理, 王老师, 刘姐, 陈哥, or a full name."""

from __future__ import annotations

import re
from dataclasses import dataclass

TITLES = ("总经理", "经理", "老师", "总", "姐", "哥")
# The common surnames (about 96% of people in China carry one of these); with a title after
# them they are a person whatever the rest of the sentence says.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘"
    "祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
)
# How people address each other at work, after a surname: 刘工, 陈老师, 何姐.
FORMS_OF_ADDRESS = (
    "总经理", "经理", "老师", "总", "姐", "哥", "工", "先生", "女士", "小姐", "主任", "老板",
    "师傅", "律师", "医生", "教授", "博士", "院长", "校长", "科长", "处长", "部长", "局长", "董",
)  # fmt: skip
ADDRESSED = re.compile(rf"[{SURNAMES}](?:{'|'.join(FORMS_OF_ADDRESS)})")
_TITLED = re.compile(rf"([\u4e00-\u9fff])({'|'.join(TITLES)})")
# Verbs a follow-up puts before the person it is about ("回访张三", "给李四打电话").
_AFTER_VERB = re.compile(
    r"(?:回访|拜访|联系|跟进|约|见|给|找|问)(?!他|她|我|你|大家|客户|对方)"
    r"([\u4e00-\u9fff]{2,3}?)(?:打|发|聊|的|吧|呀|啊|$)"
)


@dataclass(frozen=True, slots=True)
class NameRef:
    text: str  # as written: 张总
    surname: str  # 张 for a titled reference, the full name otherwise
    titled: bool


def find_reference(text: str) -> NameRef | None:
    """The person a sentence is about, or None."""
    titled = _TITLED.search(text)
    if titled is not None:
        return NameRef(titled.group(0), titled.group(1), True)
    plain = _AFTER_VERB.search(text)
    if plain is not None:
        return NameRef(plain.group(1), plain.group(1), False)
    return None


def fits(ref: NameRef, name: str) -> bool:
    """Whether a stored name answers to the reference: 张总 fits 张总 and 张伟, not 张家口科技."""
    if name == ref.text:
        return True
    if ref.titled:
        return name.startswith(ref.surname) and 2 <= len(name) <= 3
    return name == ref.surname
