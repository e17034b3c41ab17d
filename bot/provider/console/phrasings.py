"""How an operator asks for a console link, rewritten into 控制台."""

from __future__ import annotations

_END = r"(?:了|呢|啊|吗|吧)?[\s？?。!！~～]*"
_PLACE = r"(?:运营控制台|控制台|运营后台)"
_LINK = r"(?:的)?(?:登录|登陆)?(?:链接|地址|入口)"

CONSOLE = (
    (rf"(?:请)?(?:帮我)?(?:打开|进入|登录|登陆|去)(?:一下)?{_PLACE}(?:{_LINK})?{_END}", "控制台"),
    (rf"(?:请)?(?:给我|发我|发给我)(?:一?个|一下)?{_PLACE}{_LINK}?{_END}", "控制台"),
    (rf"(?:我要|我想要|要)(?:一?个)?{_PLACE}{_LINK}{_END}", "控制台"),
    (rf"{_PLACE}(?:{_LINK})?(?:在哪|在哪里|怎么进|怎么打开)?{_END}", "控制台"),
)
EXAMPLES = (
    "控制台",
    "打开运营控制台",
    "给我控制台链接",
    "运营后台",
    "发我一个运营后台的登录链接",
    "控制台怎么进",
)
