"""Changing a customer by hand: which fields, what they may hold, and the timeline line that
says what changed (old → new), so an edit never silently loses the old value."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.crm.book import add_note
from bot.crm.intake import MAX_COMPANY, MAX_NAME, MAX_SOURCE, valid_phone
from bot.crm.search import phone_digits
from bot.dispatch.errors import UserFacingError
from models.crm.customers import Customer, NoteKind
from models.tenants import Employee

EDIT_USAGE = "请按这个格式写：修改客户 张总 电话 13911112222（可以改：电话、公司、来源、名字）"
NO_VALUE = "「{word}」要改成什么？\n" + EDIT_USAGE
TOO_LONG = "{label}太长了（最多 {limit} 个字）。"
PHONE_TAKEN = "已有客户「{name}」使用手机号 {phone}，不能重复。发送「查 {phone}」查看。"
NOTHING_CHANGED = "{name} 的{label}已经是「{value}」，没有改动。"
EMPTY = "（空）"

# The words people use for each field, longest first when glued to the value.
FIELDS = {
    "手机号码": "phone",
    "联系电话": "phone",
    "电话号码": "phone",
    "手机号": "phone",
    "电话": "phone",
    "手机": "phone",
    "号码": "phone",
    "公司名": "company",
    "公司": "company",
    "单位": "company",
    "来源": "source",
    "渠道": "source",
    "名字": "name",
    "姓名": "name",
    "名称": "name",
}
LABELS = {"phone": "电话", "company": "公司", "source": "来源", "name": "名字"}
LIMITS = {"company": MAX_COMPANY, "source": MAX_SOURCE, "name": MAX_NAME}
_SEPARATORS = re.compile(r"[\s，,、；;：:]+")
_GLUED_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9]{9})(?![0-9])")


@dataclass(frozen=True, slots=True)
class Change:
    field: str
    value: str

    @property
    def label(self) -> str:
        return LABELS[self.field]


def _field_at(token: str) -> tuple[str, str] | None:
    """(field, glued value) when ``token`` starts with a field word ("电话139…")."""
    for word, field in FIELDS.items():
        if token.startswith(word):
            return field, token[len(word) :]
    return None


def _checked(field: str, value: str) -> str:
    if field == "phone":
        return phone_digits(valid_phone(value, EDIT_USAGE))
    if len(value) > LIMITS[field]:
        raise UserFacingError(TOO_LONG.format(label=LABELS[field], limit=LIMITS[field]))
    return value


def parse_changes(text: str) -> list[Change]:
    """ "电话 13911112222 公司 星辰集团" → the changes, each value checked; the last value
    given for a field wins."""
    tokens = [t for t in _SEPARATORS.split(_GLUED_MOBILE.sub(r" \1 ", text)) if t]
    if not tokens:
        raise UserFacingError(EDIT_USAGE)
    found: dict[str, list[str]] = {}
    current: str | None = None
    for token in tokens:
        start = _field_at(token)
        if start is not None:
            current = start[0]
            found[current] = [start[1]] if start[1] else []
        elif current is None:
            raise UserFacingError(EDIT_USAGE)
        else:
            found[current].append(token)
    changes = []
    for field, parts in found.items():
        if not parts:
            raise UserFacingError(NO_VALUE.format(word=LABELS[field]))
        changes.append(Change(field, _checked(field, " ".join(parts))))
    return changes


def parse_edit(args: str) -> tuple[str, str]:
    """(who, the changes as typed): "张总 电话 13911112222"."""
    who, _, rest = args.strip().partition(" ")
    if not who or not rest.strip():
        raise UserFacingError(EDIT_USAGE)
    parse_changes(rest)  # bad input is answered before anyone is searched for
    return who, rest.strip()


async def phone_taken(tenant_id: int, phone: str, except_id: int | None = None) -> Customer | None:
    """The customer still in the book who already has ``phone`` (archived ones do not count)."""
    query = Customer.filter(tenant_id=tenant_id, phone=phone, archived_at__isnull=True)
    if except_id is not None:
        query = query.exclude(id=except_id)
    return await query.first()


async def apply_changes(
    customer: Customer, changes: list[Change], now: datetime, employee: Employee | None
) -> list[str]:
    """Writes the changes and one timeline line; returns "电话：old → new" per real change
    (empty when nothing differs)."""
    lines, values = [], {}
    for change in changes:
        old = str(getattr(customer, change.field) or "")
        if old == change.value:
            continue
        if change.field == "phone":
            same = await phone_taken(customer.tenant_id, change.value, customer.id)
            if same is not None:
                raise UserFacingError(
                    PHONE_TAKEN.format(name=same.display_name, phone=change.value)
                )
        values[change.field] = change.value
        lines.append(f"{change.label}：{old or EMPTY} → {change.value}")
    if not values:
        return []
    await Customer.filter(id=customer.id).update(**values, updated_at=now)
    for name, value in values.items():
        setattr(customer, name, value)
    await add_note(customer, NoteKind.EDIT, "；".join(lines), now, employee)
    return lines
