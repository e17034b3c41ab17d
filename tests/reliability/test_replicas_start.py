"""Replicas started at the same moment on one fresh database all come up: migrations, the
tenants from the config and their trials are set up once, by whichever gets there first."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tests.reliability.test_kill9 import free_port, fresh_database, start, stop, write_config

REPLICAS = 4


@pytest.mark.db
async def test_replicas_starting_together_all_come_up(tmp_path: Path) -> None:
    sim_port = free_port()
    async with fresh_database(tmp_path) as database:
        ports = [free_port() for _ in range(REPLICAS)]
        configs = [
            write_config(tmp_path / f"replica{n}.toml", database, port, sim_port)
            for n, port in enumerate(ports)
        ]
        started = await asyncio.gather(
            *(
                start("serve", config, f"http://127.0.0.1:{port}/readyz", instance=f"r{n}")
                for n, (config, port) in enumerate(zip(configs, ports, strict=True))
            ),
            return_exceptions=True,
        )
        processes = [p for p in started if isinstance(p, asyncio.subprocess.Process)]
        try:
            assert len(processes) == REPLICAS, [p for p in started if isinstance(p, Exception)]
            assert all(p.returncode is None for p in processes)  # none exited
        finally:
            for process in processes:
                await stop(process, signal.SIGTERM)
