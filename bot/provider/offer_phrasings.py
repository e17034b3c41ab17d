"""How operators offer a discount, list offers and withdraw one, and how a client's admin
accepts one, rewritten into 发优惠, 优惠列表, 撤回优惠 and 接受优惠."""

from __future__ import annotations

_TENANT = r"(?P<tenant>[^\s，,。？?！!：:的]{2,12}?)"
_END = r"(?:了|呢|啊|吧)?[\s？?。!！~～]*"
# What an offer is about starts with one of these (优惠 升级…, 打个八折…, 加10个席位…).
_OFFER_START = r"(?:优惠|打|加|增加|升级|升到|开通|减|便宜|让利)"

PROPOSE = (
    (
        rf"给{_TENANT}(?P<details>{_OFFER_START}.*(?:折|元|块|减\s*\d+).*)",
        "发优惠 {tenant} {details}",
    ),
    (
        rf"{_TENANT}(?:要是|如果|若是|假如)(?P<details>.*(?:折|元|块|减\s*\d+).*)",
        "发优惠 {tenant} {details}",
    ),
)
PROPOSE_EXAMPLES = (
    "发优惠 星辰科技 升级售后服务版 8折 有效期至月底",
    "给星辰科技优惠 升级售后服务版 8折 有效期至月底",
    "给星辰科技打个八折升级到售后服务版，月底前有效",
    "星辰科技要是升级售后服务版，给他们85折，本周内有效",
    "给星辰科技加10个席位优惠500元",
    "给艾克米科技开通工单 九折 有效期至12月20日",
)

RECORDS = (
    (rf"(?:看看|查查|查看)?{_TENANT}的优惠(?:记录|情况|结果)?{_END}", "优惠列表 {tenant}"),
    (
        r"(?:看看|查查|查看)?(?:发出的|发过的|我们的)?优惠(?:都)?(?:记录|列表|结果|情况)" + _END,
        "优惠列表",
    ),
)
RECORDS_EXAMPLES = (
    "优惠列表",
    "星辰科技的优惠",
    "看看优惠列表",
    "发过的优惠列表",
    "优惠列表 星辰科技",
)

WITHDRAW = (
    (r"(?:把)?优惠\s*#?(?P<number>\d+)\s*(?:撤回|撤销|收回|取消)" + _END, "撤回优惠 {number}"),
    (r"(?:撤销|收回|取消)优惠\s*#?(?P<number>\d+)" + _END, "撤回优惠 {number}"),
    (r"(?:撤回|撤销|收回|取消)(?:第)?\s*#?(?P<number>\d+)\s*号?优惠" + _END, "撤回优惠 {number}"),
)
WITHDRAW_EXAMPLES = ("撤回优惠 3", "把优惠3撤回", "取消3号优惠", "撤销优惠 #3", "优惠3收回吧")

ACCEPT = (
    (
        r"(?:我们)?(?:接受|同意|要)(?:了)?(?:第)?\s*#?(?P<number>\d+)\s*号?(?:的)?优惠" + _END,
        "接受优惠 {number}",
    ),
    (r"(?:我们)?(?:接受|同意)(?:了)?优惠\s*#?(?P<number>\d+)" + _END, "接受优惠 {number}"),
)
ACCEPT_EXAMPLES = ("接受优惠 3", "我们接受优惠3", "同意优惠 #3", "接受3号优惠", "我们要3号优惠")
