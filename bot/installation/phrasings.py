"""How people say the installation commands, rewritten into the canonical command.

A job is named ``AZ0001``, ``AZ-20261126-0001``, ``安装单 1`` or ``安装单0001``; a bare
number belongs to work orders and sales orders, so every phrasing here names the job as one
(the letters AZ or the word 安装单).
"""

from __future__ import annotations

_JOB = r"(?P<job>AZ-?(?:\d{8}-?)?\d{1,6}|安装单\s*\d{1,6})"
_SEP = r"[\s，,。：:；;]*"
_END = r"[。!！~～吧了]*"
_WHO = r"(?P<who>[^\s，,：:的]+?)"
_INSTALLER = r"(?P<who>[^\s，,：:。]+?)"

BOOK = (
    (
        rf"(?:帮我)?(?:给|帮|替|为){_WHO}(?:约|预约|安排|约个|预约个|约一下|预约一下)(?:上门)?安装"
        rf"{_SEP}(?P<details>.+)",
        "约安装 {who} {details}",
    ),
    (
        rf"{_WHO}(?:要|需要|想)?(?:预约|约)(?:上门)?安装{_SEP}(?P<details>.+)",
        "约安装 {who} {details}",
    ),
)
BOOK_EXAMPLES = (
    "约安装 星辰科技 周四下午2点 打印机2台 地址朝阳区xx路",
    "给星辰科技约安装 周四下午2点 打印机2台 地址朝阳区xx路",
    "帮星辰科技预约安装，明天上午，空调3台，地址浦东张江路100号",
    "给张总约个安装 周五下午3点 投影仪1台 地址海淀区中关村大街1号",
    "预约安装 星辰科技 下周一上午 门禁2套 地址朝阳区xx路",
    "星辰科技要预约安装 周六上午 打印机1台",
)

FROM_ORDER = (
    (
        r"(?:订单|单号)\s*(?P<order>(?:DD-?\d{8}-?)?\d{1,6})\s*号?\s*(?:安排|预约|约)(?:上门)?安装"
        rf"{_SEP}(?P<when>.*)",
        "订单安装 {order} {when}",
    ),
    (
        r"(?:给|为|帮)?(?:订单|单号)\s*(?P<order>(?:DD-?\d{8}-?)?\d{1,6})\s*号?\s*(?:约|预约)(?:个|一下)?"
        rf"(?:上门)?安装{_SEP}(?P<when>.*)",
        "订单安装 {order} {when}",
    ),
)
FROM_ORDER_EXAMPLES = (
    "订单安装 0001",
    "订单0001安排安装",
    "订单 0001 安排安装 周四下午2点",
    "订单0001预约安装 明天上午",
)

DISPATCH = (
    (
        rf"(?:把)?{_JOB}{_SEP}(?:安排|派|派给|交)给?{_SEP}{_INSTALLER}(?:去装|去安装|安装|装)?{_END}",
        "安排 {job} 给 {who}",
    ),
    (rf"(?:让|叫|请){_INSTALLER}(?:去)?(?:装|安装|负责){_SEP}{_JOB}{_END}", "安排 {job} 给 {who}"),
    (rf"{_JOB}{_SEP}(?:由|让){_INSTALLER}(?:去)?(?:装|安装|负责){_END}", "安排 {job} 给 {who}"),
)
DISPATCH_EXAMPLES = (
    "安排 AZ0001 给 王师傅",
    "派工 AZ0001 给 王师傅",
    "把AZ0001派给王师傅",
    "AZ0001安排给王师傅",
    "让王师傅去装AZ0001",
    "AZ0001由王师傅安装",
)

MOVE = (
    (
        rf"(?:把)?{_JOB}{_SEP}(?:改到|改约到|改成|挪到|推迟到|提前到|换到)(?P<when>.+)",
        "改约 {job} {when}",
    ),
    (rf"(?:改约|改期|重新约){_SEP}{_JOB}{_SEP}(?:到|为|改到)?(?P<when>.+)", "改约 {job} {when}"),
)
MOVE_EXAMPLES = (
    "改约 AZ0001 周五上午",
    "把AZ0001改到周五上午",
    "AZ0001改约到下周一下午3点",
    "改期 AZ0001 周六上午",
)

COMPLETE = (
    (
        rf"{_JOB}{_SEP}(?:完工了?|装好了|安装好了|装完了|安装完成了?){_SEP}(?P<resolution>.+)",
        "完工 {job} {resolution}",
    ),
)
COMPLETE_EXAMPLES = (
    "完工 AZ0001 已装好测试正常",
    "AZ0001完工了，已装好测试正常",
    "AZ0001装好了 调试正常",
)

CONFIRM = (
    (rf"(?:客户)?(?:已)?确认{_SEP}{_JOB}{_SEP}(?:完工|安装)?{_END}", "确认安装 {job}"),
    (rf"{_JOB}{_SEP}客户(?:已|已经)?确认(?:了|完工)?{_END}", "确认安装 {job}"),
)
CONFIRM_EXAMPLES = ("确认安装 AZ0001", "客户确认 AZ0001", "AZ0001客户已确认")

CANCEL = ((rf"(?:把)?{_JOB}{_SEP}(?:取消|不装)了?{_SEP}(?P<reason>.*)", "取消安装 {job} {reason}"),)
CANCEL_EXAMPLES = ("取消安装 AZ0001 客户不装了", "AZ0001取消 客户改期再说", "把AZ0001取消了")

SHOW = (
    (rf"(?:看看?|查看?|查一下)?{_JOB}{_SEP}(?:怎么样了|进度|详情|情况)?[?？]?", "安装单 {job}"),
)
SHOW_EXAMPLES = ("安装单 0001", "AZ0001", "AZ-20261123-0001", "看看AZ0001", "AZ0001进度")

MINE = ((r"(?:我的|我有哪些|我有什么)安装(?:单|任务|活)?[?？]?", "我的安装"),)
MINE_EXAMPLES = ("我的安装", "我的安装单", "我有哪些安装任务")

TODAY = ((r"今天(?:有)?(?:哪些|什么|的)?安装(?:单|任务|活)?[?？]?", "今天的安装"),)
TODAY_EXAMPLES = ("今天的安装", "今日安装", "今天有哪些安装")

UNSCHEDULED = (
    (r"(?:哪些|什么)安装(?:单)?还?没(?:有)?(?:排期|派工)[?？]?", "待排期"),
    (r"待排期的安装(?:单)?", "待排期"),
)
UNSCHEDULED_EXAMPLES = ("待排期", "待排期的安装", "哪些安装还没排期")

_DAY = (
    r"(?P<day>今天|明天|后天|(?:下)?(?:周|星期)[一二三四五六日天]"
    r"|\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号])"
)
PLAN = ((rf"(?:看看?)?{_DAY}(?:的)?(?:安装)?排期(?:怎么样|情况)?[?？]?", "排期 {day}"),)
PLAN_EXAMPLES = ("排期 周四", "排期 明天", "周四的排期", "看看明天的安装排期")
