"""A new customer read from what people type, in the canonical form or the way they say it.

``新建客户 王五 13800138000 公司 华夏科技 来源 展会`` is the precise form; people also write
``张总，北京星辰科技，电话13800138000`` or ``王经理，上海远航贸易的采购，手机 13912345678``.
Parts may be split by spaces or Chinese punctuation, in any order after the name: a phone
number, a keyword and its value (公司, 电话, 来源, 职位 ...), a company name (it ends like
one: 科技, 贸易, 集团 ...), or "公司的职位".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.crm.search import phone_digits
from bot.dispatch.errors import UserFacingError

CREATE_USAGE = (
    "请按这个格式写：新建客户 王五 13800138000 公司 华夏科技 来源 展会"
    "（手机号、公司、来源可以不写）"
)
BAD_PHONE = (
    "手机号「{phone}」不对：应为 11 位手机号（如 13800138000）或带区号的座机（如 010-12345678）。"
)
MISSING_VALUE = "「{word}」后面要写内容。"
UNKNOWN_PART = "看不懂「{part}」。"
NAME_TOO_LONG = "客户名字太长了（最多 64 个字）。"

MAX_NAME = 64
MAX_COMPANY = 128
MAX_SOURCE = 64
MAX_POSITION = 20

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
_PHONE_LIKE = re.compile(r"[0-9+\-]{3,}")
# A mobile number glued to words ("电话13800138000") stands apart.
_GLUED_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9]{9})(?![0-9])")
_SEPARATORS = re.compile(r"[\s，,、；;。：:]+")
_OF = re.compile(r"^(?P<owner>.{2,}?)的(?P<what>.{1,8})$")
# 来源写展会, 来源是官网, 公司为星辰科技: the word between a keyword and its value.
_SAID_AS = re.compile(r"^(?:写的是|写成|写|是|为|填写|填)(?=.)")
# What is asked at the end of the parts, not a part: 帮我建一下档案, 加到客户里, 建成客户.
_FILING = re.compile(
    r"^(?:帮我|麻烦|帮忙|请)?(?:建|录|存|加|登记|新建)(?:一下|下|个|一个)?"
    r"(?:档案?|客户档案|成客户|到客户里|进客户里|客户)?(?:吧|呗)?$"
)
# 做建材的, 开美容院的: the line of business, said instead of a company.
_TRADE = re.compile(r"^(?:做|搞|干|开|卖)(?P<what>[\u4e00-\u9fffA-Za-z]{1,8})的$")

# Each keyword and the field it fills; the longest is tried first when glued to its value.
KEYWORDS = {
    "公司": "company",
    "单位": "company",
    "来源": "source",
    "渠道": "source",
    "电话": "phone",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
    "职位": "position",
    "职务": "position",
}
_BY_LENGTH = sorted(KEYWORDS, key=len, reverse=True)
COMPANY_ENDINGS = (
    "公司", "集团", "科技", "贸易", "商贸", "实业", "工厂", "厂", "银行", "医院", "学校",
    "电子", "网络", "信息", "软件", "传媒", "文化", "教育", "物流", "建材", "机械", "制造",
    "电器", "食品", "餐饮", "酒店", "医药", "药业", "化工", "能源", "汽车", "地产", "置业",
    "装饰", "设计", "咨询", "国际", "控股", "股份", "商行", "工作室", "门店", "超市",
    "五金", "建设", "建筑", "装修", "工程", "印刷", "包装", "服饰", "服装", "家具", "家居",
    "纺织", "塑料", "陶瓷", "照明", "环保", "材料", "生物", "农业", "物业", "广告", "会展",
    "外贸", "进出口", "供应链", "电商", "通信", "通讯", "智能", "自动化", "仪器", "设备",
    "模具", "事务所", "诊所", "药房", "商城", "车行",
)  # fmt: skip
POSITIONS = (
    "采购", "采购经理", "采购主管", "经理", "总经理", "副总", "总监", "老板", "老板娘",
    "负责人", "董事长", "主管", "财务", "行政", "销售", "技术", "店长", "厂长", "院长",
    "校长", "法人", "合伙人", "助理", "前台", "对接人",
)  # fmt: skip


_POSITIONS_BY_LENGTH = sorted(POSITIONS, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class NewCustomer:
    name: str
    phone: str = ""
    company: str = ""
    source: str = ""
    position: str = ""
    trade: str = ""


def valid_phone(token: str, usage: str = CREATE_USAGE) -> str:
    """The phone as stored: a mobile's 11 digits (138-0013-8000 is 13800138000), or a
    landline with its area code as typed."""
    digits = phone_digits(token)
    if _MOBILE.fullmatch(digits):
        return digits
    if _LANDLINE.fullmatch(token):
        return token
    raise UserFacingError(BAD_PHONE.format(phone=token) + "\n" + usage)


# A place and a name (宁波顺达, 成都天府): how companies are said without their legal suffix.
PLACES = (
    "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "宁波", "温州", "绍兴", "嘉兴", "台州",
    "金华", "南京", "苏州", "无锡", "常州", "南通", "扬州", "徐州", "成都", "武汉", "西安", "长沙",
    "郑州", "济南", "青岛", "烟台", "潍坊", "临沂", "厦门", "福州", "泉州", "合肥", "南昌", "沈阳",
    "大连", "长春", "哈尔滨", "昆明", "贵阳", "南宁", "海口", "三亚", "石家庄", "太原", "兰州",
    "东莞", "佛山", "珠海", "中山", "惠州", "江苏", "浙江", "广东", "山东", "河南", "河北", "湖南",
    "湖北", "四川", "福建", "安徽", "江西", "辽宁", "吉林", "云南", "贵州", "广西", "山西", "陕西",
)  # fmt: skip
_PLACE_AND_NAME = re.compile(rf"^(?!.*[的了吗呢])(?:{'|'.join(PLACES)})[\u4e00-\u9fff]{{2,10}}$")


def looks_like_company(text: str) -> bool:
    if _PLACE_AND_NAME.match(text):
        return True
    return len(text) >= 3 and text.endswith(COMPANY_ENDINGS)


def _split_glued(token: str) -> tuple[str, str] | None:
    """("公司", "华夏科技") for "公司华夏科技"; None when the token starts with no keyword."""
    for word in _BY_LENGTH:
        if token.startswith(word) and len(token) > len(word):
            return word, token[len(word) :]
    return None


def _tokens(args: str) -> list[str]:
    spaced = _GLUED_MOBILE.sub(r" \1 ", args)
    return [t for t in _SEPARATORS.split(spaced) if t]


def _name_part(token: str, values: dict[str, str]) -> None:
    """The name, or "星辰科技的张总": the company, then the name."""
    if token in KEYWORDS or _PHONE_LIKE.fullmatch(token):
        raise UserFacingError(CREATE_USAGE)
    of = _OF.match(token)
    if of is not None and looks_like_company(of.group("owner")):
        values["company"], token = of.group("owner"), of.group("what")
        # 远航贸易的采购马经理: the position, then the name
        for position in _POSITIONS_BY_LENGTH:
            if token.startswith(position) and len(token) >= len(position) + 2:
                values["position"], token = position, token[len(position) :]
                break
    if len(token) > MAX_NAME:
        raise UserFacingError(NAME_TOO_LONG)
    values["name"] = token


def _set(values: dict[str, str], field: str, value: str) -> None:
    value = _SAID_AS.sub("", value)
    values[field] = valid_phone(value) if field == "phone" else value


def _plain_part(token: str, values: dict[str, str]) -> bool:
    """A part without a keyword: a phone, a company, a position or "公司的职位"."""
    if _PHONE_LIKE.fullmatch(token) and "phone" not in values:
        values["phone"] = valid_phone(token)
        return True
    # 嘉禾食品的 ("…, from 嘉禾食品"): the company with the 的 people say after it
    company = token if _TRADE.match(token) else token.removesuffix("的")
    if looks_like_company(company) and "company" not in values:
        values["company"] = company
        return True
    if token in POSITIONS and "position" not in values:
        values["position"] = token
        return True
    trade = _TRADE.match(token)
    if trade is not None and "trade" not in values:
        values["trade"] = trade.group("what")
        return True
    of = _OF.match(token)
    if of is not None and "company" not in values and "position" not in values:
        values["company"], values["position"] = of.group("owner"), of.group("what")
        return True
    return False


def parse_new_customer(args: str) -> NewCustomer:
    tokens = _tokens(args)
    if not tokens:
        raise UserFacingError(CREATE_USAGE)
    values: dict[str, str] = {}
    _name_part(tokens.pop(0), values)
    while tokens:
        token = tokens.pop(0)
        glued = None if token in KEYWORDS else _split_glued(token)
        if token in KEYWORDS:
            if not tokens or tokens[0] in KEYWORDS:
                raise UserFacingError(MISSING_VALUE.format(word=token) + "\n" + CREATE_USAGE)
            _set(values, KEYWORDS[token], tokens.pop(0))
        elif glued is not None:
            _set(values, KEYWORDS[glued[0]], glued[1])
        elif _FILING.match(token) and not tokens:
            break
        elif not _plain_part(token, values):
            raise UserFacingError(UNKNOWN_PART.format(part=token) + "\n" + CREATE_USAGE)
    return NewCustomer(
        name=values["name"],
        phone=values.get("phone", ""),
        company=values.get("company", "")[:MAX_COMPANY],
        source=values.get("source", "")[:MAX_SOURCE],
        position=values.get("position", "")[:MAX_POSITION],
        trade=values.get("trade", "")[:MAX_POSITION],
    )
