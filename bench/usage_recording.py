"""What recording each command as a usage event adds to handling it: CPU per update.

    .venv/bin/python bench/usage_recording.py sqlite [--commands 2000]
    .venv/bin/python bench/usage_recording.py postgres --url postgres://postgres@127.0.0.1:5432/scrm_bench

One tenant on a plan with every module (bench/nlu_eval.py's), two dispatchers over the same
routes: one with the provider's ``on_command.`` hook (``bot.provider.usage.record_usage``),
one without. Each command is handled as the inbox does it: understood and prepared, then run
in a transaction that also writes (as the inbox's commit does) and commits. The same mix of
ordinary commands (我的客户, 查客户 张三, 我的待办, 工单列表, 帮助) goes through both, in
alternating rounds of 100 so that drift hits both alike; the bot process's CPU time
(``time.process_time``: the PostgreSQL server's own work is not in it) is summed per
dispatcher. Prints the CPU per update of each and the
difference, for bench/README.md.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from benchlib import database_parser, fresh_database, machine, run_on_database, save
from nlu_eval import MEMBER, NOW, SNAPSHOT_SETTLE_S, message, tenant_in
from tortoise.transactions import in_transaction

from bot.capabilities import all_routers
from bot.clock import FrozenClock
from bot.dispatch.dispatcher import Dispatcher
from bot.nlu.segment import load_segmenter
from bot.provider.usage import DEPS_KEY, record_usage
from bot.subscription.guard import EntitlementGuard
from bot.subscription.service import Billing
from bot.tenants import TenantInfo
from models.provider import UsageEvent
from models.tenants import Employee

MIX = ("我的客户", "查客户 张三", "我的待办", "工单列表", "帮助")
ROUND = 100


def dispatcher(billing: Billing, recording: bool) -> Dispatcher:
    guard = EntitlementGuard(billing)
    deps: dict[str, Any] = {"segmenter": load_segmenter(), "billing": billing}
    if recording:
        deps[DEPS_KEY] = record_usage
    return Dispatcher(
        all_routers(),
        clock=FrozenClock(NOW),
        entitlement=guard,
        open_modules=guard.open_modules,
        deps=deps,
    )


async def handle_round(dispatch: Dispatcher, tenant: TenantInfo, first: int) -> float:
    started = time.process_time()
    for n in range(first, first + ROUND):
        prepared = await dispatch.prepare(message(MIX[n % len(MIX)], MEMBER, n), tenant)
        async with in_transaction():
            await prepared.run()
            # The inbox's own commit writes in this transaction anyway (the update marked
            # done, the replies queued): one UPDATE stands in for it, so the event's INSERT
            # is measured as the extra row it is, not as the first write of the transaction.
            await Employee.filter(tenant_id=tenant.id, userid=MEMBER).update(last_seen_at=NOW)
    return time.process_time() - started


async def run(url: str, backend: str, commands: int) -> dict[str, Any]:
    async with fresh_database(backend, url):
        tenant, billing = await tenant_in(url)
        await asyncio.sleep(SNAPSHOT_SETTLE_S)  # the plan's snapshot cached, as in steady state
        plain, recording = dispatcher(billing, False), dispatcher(billing, True)
        await handle_round(plain, tenant, 0)  # warm-up: caches, first queries
        await handle_round(recording, tenant, 0)
        cpu = {"without": 0.0, "with": 0.0}
        for first in range(0, commands, ROUND):
            cpu["without"] += await handle_round(plain, tenant, first)
            cpu["with"] += await handle_round(recording, tenant, first)
        recorded = await UsageEvent.all().count()
    per_update = {k: round(v / commands * 1000, 3) for k, v in cpu.items()}
    added = round(per_update["with"] - per_update["without"], 3)
    print(f"usage recording, {backend}: {commands} commands each way, {recorded} events written")
    print(f"  CPU per update without recording {per_update['without']:.3f} ms")
    print(f"  CPU per update with recording    {per_update['with']:.3f} ms")
    print(f"  added by recording               {added:.3f} ms")
    return {
        "commands": commands,
        "events_written": recorded,
        "cpu_ms_per_update_without": per_update["without"],
        "cpu_ms_per_update_with": per_update["with"],
        "added_ms": added,
        **machine(),
    }


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--commands", type=int, default=2_000)
    args = parser.parse_args()
    report = run_on_database(args, lambda url: run(url, args.backend, args.commands))
    save("usage_recording", args.backend, report)


if __name__ == "__main__":
    main()
