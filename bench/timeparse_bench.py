"""Throughput of bot.nlu.timeparse.parse_time on chat-like sentences.

    .venv/bin/python bench/timeparse_bench.py [--seconds 5]

Parses a fixed corpus of sentences (with and without a time in them) in a loop for the given
time and prints expressions per second. Single process, single thread, no I/O.
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nlu.timeparse import parse_time

CORPUS = [
    "明天下午3点提醒我回访张总",
    "下周三上午10点跟王总开会",
    "后天晚上8点半给李经理打电话",
    "3天后提醒我续费",
    "半小时后提醒我发报价",
    "今天下午1点半到3点在会议室",
    "下个月5号交付",
    "2026年12月1日上线",
    "周五之前把合同发给客户",
    "十月第一个星期一回访",
    "查客户 华夏科技",
    "新建客户 王五 13800138000 公司 华夏科技",
    "帮助",
    "客户说价格再便宜一点就签",
]


def run(seconds: float) -> tuple[int, float, int]:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    parsed = done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for sentence in CORPUS:
            parsed += parse_time(sentence, now) is not None
        done += len(CORPUS)
    return done, time.perf_counter() - start, parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    done, elapsed, parsed = run(args.seconds)
    print(f"python {platform.python_version()} on {platform.machine()}")
    print(
        f"{done} sentences in {elapsed:.2f}s: {done / elapsed:,.0f} sentences/s "
        f"({parsed} held a time expression)"
    )


if __name__ == "__main__":
    main()
