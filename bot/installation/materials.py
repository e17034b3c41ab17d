"""Materials used on a job (用料): what the installer says (``用料 网线2米 水晶头4个``, inside
完工 or on its own), kept on the job, and handed to the stock when the tenant has one.

The ERP-lite capability plugs in as ``deps["install_materials"]``, a ``MaterialsPoster``
awaited in the command's transaction with the job's materials not yet posted; it returns what
to add to the reply. Without one (no ERP-lite) the materials are recorded on the job only.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.dispatch.context import Context
from bot.dispatch.errors import UserFacingError
from models.installation import InstallJob, InstallMaterial

DEPS_KEY = "install_materials"
MAX_ITEMS = 20
USAGE = "用料请写名称和数量，例如：用料 {tail} 网线2米 水晶头4个"
RECORDED = "用料已记在安装单上：{items}。"

# The canonical word and the ways people say it inside a sentence. 用料 always means
# materials; 用了 only when what follows reads as materials (``用了两个小时`` stays text).
STRICT_MARK = re.compile(r"(?:^|[\s，,。；;])(?:用料|材料|耗材)[：:\s]*")
LOOSE_MARK = re.compile(r"(?:^|[\s，,。；;])(?:用了|用掉了?|消耗了?)[：:\s]*")
_UNITS = (
    "公斤|千克|kg|KG|米|m|M|个|根|卷|盒|只|套|台|条|箱|包|袋|瓶|支|片|块|张|把|副|对|节|段|"
    "克|升|桶|件|组|颗|粒|本|份|头|圈"
)
_ITEM = re.compile(
    rf"(?P<name>[^\d\s、，,；;。]+?)\s*[x×*]?\s*(?P<qty>\d{{1,6}})\s*(?P<unit>{_UNITS})?"
)
_BETWEEN = re.compile(r"^[\s、，,；;。和及还有另外]*$")


@dataclass(frozen=True, slots=True)
class Used:
    name: str
    qty: int
    unit: str

    def words(self) -> str:
        return f"{self.name}{self.qty}{self.unit}"


MaterialsPoster = Callable[[Context, InstallJob, Sequence[InstallMaterial]], Awaitable[str]]


def poster_in(deps: Mapping[str, Any]) -> MaterialsPoster | None:
    poster = deps.get(DEPS_KEY)
    return poster if callable(poster) else None


def read_materials(text: str) -> list[Used] | None:
    """``网线2米 水晶头4个`` (or ``网线 2``, ``网线2米、水晶头4个``) item by item; None when
    something in it is not a name followed by a whole number."""
    used, at = [], 0
    for found in _ITEM.finditer(text):
        if not _BETWEEN.match(text[at : found.start()]):
            return None
        name = re.sub(r"^(?:和|及|还有|另外)", "", found["name"]).strip()
        if not name or int(found["qty"]) <= 0:
            return None
        used.append(Used(name[:60], int(found["qty"]), found["unit"] or ""))
        at = found.end()
    if not used or not _BETWEEN.match(text[at:]) or len(used) > MAX_ITEMS:
        return None
    return used


def split_materials(text: str, tail: str) -> tuple[str, list[Used]]:
    """(the resolution, the materials) of what follows ``完工 AZ0001``. After 用料 the rest
    must read as materials, or the reply says how to write them."""
    strict = STRICT_MARK.search(text)
    if strict is not None:
        used = read_materials(text[strict.end() :])
        if used is None:
            raise UserFacingError(USAGE.format(tail=tail))
        return text[: strict.start()].strip(" ，,。；;"), used
    loose = LOOSE_MARK.search(text)
    if loose is not None:
        used = read_materials(text[loose.end() :])
        if used is not None:
            return text[: loose.start()].strip(" ，,。；;"), used
    return text, []


async def record(job: InstallJob, used: Sequence[Used], now: datetime) -> list[InstallMaterial]:
    return [
        await InstallMaterial.create(
            job_id=job.id, name=u.name, qty=u.qty, unit=u.unit, created_at=now
        )
        for u in used
    ]


def material_words(materials: Sequence[InstallMaterial]) -> str:
    return "、".join(f"{m.name}{m.qty}{m.unit}" for m in materials)


async def unposted(job: InstallJob) -> list[InstallMaterial]:
    return await InstallMaterial.filter(job_id=job.id, posted_at=None).order_by("id")


async def hand_to_stock(ctx: Context, job: InstallJob, fresh: Sequence[InstallMaterial]) -> str:
    """What the reply says of the materials: posted (or refused) by the stock when the tenant
    has one, else recorded on the job."""
    poster = poster_in(ctx.deps)
    pending = await unposted(job)
    if poster is not None and pending:
        said = await poster(ctx, job, pending)
        if said:
            return said
    return RECORDED.format(items=material_words(fresh)) if fresh else ""


async def material_lines(job: InstallJob) -> list[str]:
    """用料：网线2米（已出库）、水晶头4个（未出库）, for the job's card."""
    materials = await InstallMaterial.filter(job_id=job.id).order_by("id")
    if not materials:
        return []
    state = {True: "已出库", False: "未出库"}
    with_stock = any(m.posted_at is not None for m in materials)
    words = [
        f"{m.name}{m.qty}{m.unit}" + (f"（{state[m.posted_at is not None]}）" if with_stock else "")
        for m in materials
    ]
    return [f"用料：{'、'.join(words)}"]
