"""Knowledge-base queries over 10,000 articles of one tenant: latency of ``answer`` (the call
behind 问 and 微信客服's ``best_answer``) on SQLite and PostgreSQL.

Usage (from the repository root):

    .venv/bin/python bench/knowledge_bench.py sqlite
    .venv/bin/python bench/knowledge_bench.py postgres --url postgres://postgres@127.0.0.1:5432/bench

The database is created fresh and migrated; ``--articles`` articles are generated from an
office-equipment vocabulary (models × symptoms × topics, answers of several sentences) and
loaded with the importer ``scrm-bot kb import`` uses, with a synonym list. The first query
builds the tenant's index (timed on its own, its garbage collected after); then ``--rounds``
questions, one at a time, each a full ``answer`` call: the revision-stamp read, the BM25
search and, for the questions that find nothing, the unanswered-question write. Prints
p50/p99/max and writes JSON to bench/results/.
"""

from __future__ import annotations

import gc
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from benchlib import (
    database_parser,
    fresh_database,
    latency,
    machine,
    run_on_database,
    save,
)

from bot.knowledge.importing import Row, upsert_articles  # noqa: E402
from bot.knowledge.retrieval import IndexCache, answer  # noqa: E402
from bot.knowledge.store import ArticleFields, set_synonyms  # noqa: E402
from bot.nlu.segment import load_segmenter  # noqa: E402
from models.tenants import Tenant  # noqa: E402

BRANDS = ["惠普", "佳能", "兄弟", "理光", "柯尼卡", "京瓷", "夏普", "爱普生", "富士", "联想"]
DEVICES = ["打印机", "复印机", "扫描仪", "一体机", "传真机", "碎纸机", "投影仪", "绘图仪"]
SYMPTOMS = [
    "卡纸", "无法开机", "打印发淡", "有黑线", "报错", "不进纸", "噪音大", "连不上网络",
    "扫描模糊", "过热", "缺粉", "漏粉", "出纸褶皱", "双面打印失败", "识别不了墨盒", "速度慢",
    "显示乱码", "无法驱动", "频繁重启", "指示灯闪烁",
]  # fmt: skip
TOPICS = ["怎么办", "如何处理", "收费标准", "保修吗", "多久修好", "需要换配件吗"]
SENTENCES = [
    "请先关闭电源并拔下电源线，等待一分钟后重新开机。",
    "打开前盖检查是否有异物或残留的纸张，轻轻取出。",
    "检查硒鼓和墨盒是否安装到位，必要时更换原装耗材。",
    "在电脑上重新安装驱动程序，并确认端口设置正确。",
    "如果问题仍然存在，请发送新建工单提交报修，工程师会尽快联系你。",
    "保修期内免费维修，保修期外按配件和人工收费，报价确认后才维修。",
    "清洁扫描玻璃和输稿器扫描条，使用柔软的无尘布。",
    "将机器放在通风良好的位置，远离热源和阳光直射。",
    "更新机器固件到最新版本，可以在官网下载。",
    "联系客户经理预约上门服务，市区一般当天或次日上门。",
]
ASKED = [
    "{brand}{device}老是{symptom}",
    "我们的{device}{symptom}了怎么弄",
    "{device}{symptom}",
    "{brand}的机器{symptom}能保修吗",
    "{symptom}找谁修",
]
SYNONYMS = {"卡纸": ["夹纸"], "打印机": ["打印设备"], "维修": ["修理", "报修"], "保修": ["质保"]}


def articles(count: int, rng: random.Random) -> list[Row]:
    rows, seen = [], set()
    while len(rows) < count:
        brand, device = rng.choice(BRANDS), rng.choice(DEVICES)
        model = f"{rng.choice('ABCDEFGHMPX')}{rng.randrange(100, 9999)}"
        question = f"{brand}{device}{model}{rng.choice(SYMPTOMS)}{rng.choice(TOPICS)}"
        if question in seen:
            continue
        seen.add(question)
        answer_text = "".join(rng.sample(SENTENCES, rng.randint(2, 5)))
        keywords = " ".join(rng.sample(SYMPTOMS, 2) + [device])
        fields = ArticleFields(question, answer_text, keywords, device)
        rows.append(Row(len(rows) + 1, fields))
    return rows


def questions(rounds: int, rng: random.Random) -> list[str]:
    asked = [
        rng.choice(ASKED).format(
            brand=rng.choice(BRANDS), device=rng.choice(DEVICES), symptom=rng.choice(SYMPTOMS)
        )
        for _ in range(rounds)
    ]
    misses = ["今天天气怎么样", "公司年会在哪里", "食堂几点开饭", "怎么申请年假"]
    return [rng.choice(misses) if i % 10 == 9 else q for i, q in enumerate(asked)]


async def fill(count: int, seed: int) -> int:
    tenant = await Tenant.create(
        key="bench", corp_id="wwbench", name="bench", agent_id=1, secret="s", token="t",
        encoding_aes_key="x" * 43,
    )  # fmt: skip
    now = datetime.now(UTC)
    report = await upsert_articles(tenant.id, articles(count, random.Random(seed)), now)
    assert report.added == count, report
    for word, synonyms in SYNONYMS.items():
        await set_synonyms(tenant.id, word, synonyms, "bench", now)
    return tenant.id


async def measure(tenant_id: int, rounds: int, seed: int) -> dict[str, float]:
    segmenter, cache = load_segmenter(), IndexCache()
    now = datetime.now(UTC)
    started = time.perf_counter()
    await answer(tenant_id, "打印机卡纸", segmenter, channel="app", now=now, cache=cache)
    build_ms = (time.perf_counter() - started) * 1000
    gc.collect()  # the build's garbage, so its collection does not land on a measured query
    times, answered = [], 0
    for question in questions(rounds, random.Random(seed)):
        started = time.perf_counter()
        found = await answer(tenant_id, question, segmenter, channel="app", now=now, cache=cache)
        times.append((time.perf_counter() - started) * 1000)
        answered += found.hit is not None
    return {"index_build_ms": round(build_ms, 1), **latency(times), "answered": answered}


async def run(backend: str, url: str, count: int, rounds: int) -> dict[str, object]:
    async with fresh_database(backend, url):
        started = time.perf_counter()
        tenant_id = await fill(count, seed=7)
        filled = time.perf_counter() - started
        results = await measure(tenant_id, rounds, seed=11)
    return {
        "backend": backend,
        "articles": count,
        "rounds": rounds,
        "import_seconds": round(filled, 1),
        **machine(),
        "results": results,
    }


def main() -> None:
    parser = database_parser(__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1_000)
    args = parser.parse_args()
    report = run_on_database(args, lambda url: run(args.backend, url, args.articles, args.rounds))
    numbers: dict[str, float] = report["results"]
    print(f"{args.backend}: {args.articles:,} articles, imported in {report['import_seconds']} s")
    print(f"  index build {numbers['index_build_ms']} ms (once per change)")
    print(
        f"  {args.rounds} questions: p50 {numbers['p50_ms']} ms   p99 {numbers['p99_ms']} ms   "
        f"max {numbers['max_ms']} ms   answered {numbers['answered']}"
    )
    save("knowledge", args.backend, report)


if __name__ == "__main__":
    main()
