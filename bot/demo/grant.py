"""The provider adds a module to the demo tenant from its console, as
``scrm-bot subscription set demo --modules …`` does: the later scenes show what the module
does, not another purchase (the subscription and order scenes show buying), and the admin's
chat stays within WeCom's 30 messages a minute to one member."""

from __future__ import annotations

import sys

from bot.embedded import Embedded
from bot.subscription import operations as ops

GRANTED = (
    "· 服务商在后台为演示企业加开「{name}」（scrm-bot subscription set demo --modules …），"
    "立即生效："
)


async def grant_module(embedded: Embedded, code: str) -> None:
    billing = embedded.runtime.billing
    assert billing is not None
    tenant = await ops.find_tenant(billing, "demo")
    assert tenant is not None, "the demo tenant is configured"
    term = await ops.current_term(billing, tenant)
    edit = ops.PlanEdit(modules=(*term.plan.modules, code))
    await ops.set_plan(billing, tenant, edit, None, "cli:demo")
    sys.stdout.write(GRANTED.format(name=billing.catalog.module(code).name) + "\n")
