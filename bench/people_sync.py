"""Syncing a 1,000-member address book through the simulator: the wall time of
``sync_directory`` (department/simplelist, department/get and user/simplelist per department,
user/get per new member, every row stored) with the production pacing, then of a second,
unchanged sync. Target: the first sync under 10 s.

Usage (from the repository root):

    .venv/bin/python bench/people_sync.py sqlite
    .venv/bin/python bench/people_sync.py postgres --url postgres://postgres@127.0.0.1:5432/bench

The database is created fresh and migrated; the bot and the simulator run in this process on
loopback (``bot.embedded``), without the scheduler. JSON goes to bench/results/.
"""

from __future__ import annotations

import time
from typing import Any

import aiohttp
from benchlib import database_parser, fresh_database, machine, run_on_database, save

from bot.app import Options
from bot.config import parse_settings
from bot.demo.tour import DEMO_TENANT
from bot.embedded import run_embedded
from bot.people.sync import CALLS_PER_SECOND, sync_directory
from bot.wecom_sim.control_directory import DirectorySimControl
from models.people import DirectoryMember


async def run(url: str, backend: str, members: int, departments: int) -> dict[str, Any]:
    settings = parse_settings({"database": {"url": url}, "tenants": [DEMO_TENANT]})
    options = Options(manage_database=False, run_scheduler=False)
    async with fresh_database(backend, url), run_embedded(settings, options) as embedded:
        async with aiohttp.ClientSession() as session:
            control = DirectorySimControl(session, embedded.simulator_url)
            await control.seed_directory("demo", departments=departments, members=members)
        runtime = embedded.runtime
        tenant = await runtime.tenants.get("demo")
        assert tenant is not None and runtime.client is not None
        timings = {}
        for label in ("first", "again"):
            started = time.perf_counter()
            report = await sync_directory(runtime.client, tenant, runtime.options.clock)
            timings[label] = round(time.perf_counter() - started, 2)
            print(f"{label}: {timings[label]} s, {report.members} members, joined {report.joined}")
        stored = await DirectoryMember.filter(tenant_id=tenant.id).count()
    return {
        "members": members,
        "departments": departments,
        "stored": stored,
        "calls_per_second": CALLS_PER_SECOND,
        "seconds": timings,
        "machine": machine(),
    }


def main() -> None:
    parser = database_parser(__doc__ or "")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--departments", type=int, default=20)
    args = parser.parse_args()
    report = run_on_database(
        args, lambda url: run(url, args.backend, args.members, args.departments)
    )
    print(save("people_sync", args.backend, report))


if __name__ == "__main__":
    main()
