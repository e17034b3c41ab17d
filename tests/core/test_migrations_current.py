"""Every model change comes with its migration. A field added to a model without one would
pass the tests that build their schema from the models and then fail on every database that
was created, or upgraded, from the migrations."""

from __future__ import annotations

from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from bot.db import tortoise_config


async def pending_changes() -> dict[str, list[str]]:
    """What ``tortoise makemigrations`` would write, by app, without writing anything."""
    config = tortoise_config("sqlite://:memory:")
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        assert ctx.apps is not None
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    return {w.app_label: [type(op).__name__ for op in w.operations] for w in writers}


async def test_the_models_have_no_change_without_a_migration() -> None:
    assert await pending_changes() == {}, (
        "models changed without a migration: run "
        "`.venv/bin/tortoise -c bot.db.TORTOISE_ORM makemigrations` and name the new file"
    )
