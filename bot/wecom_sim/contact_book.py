"""What the simulator knows about each tenant's customers (客户联系): customers and the
members who follow them, the corp tag library, customer groups, welcome codes and pending
handovers, plus the knobs tests turn (injected faults, the concurrency limit).

Tables the bot can grow (welcome codes, the call log) are capped; the rest only grows through
the control API.
"""

from __future__ import annotations

import secrets
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web

# WeCom accepts send_welcome_msg only within 20 seconds of the add event, and only once.
WELCOME_WINDOW = timedelta(seconds=20)
WELCOME_CODE_LIMIT = 10_000
CALL_LOG_LIMIT = 10_000


def new_id(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(18).replace("-", "A").replace("_", "B")


@dataclass
class SimFollow:
    userid: str
    createtime: int
    remark: str = ""
    description: str = ""
    add_way: int = 1
    state: str = ""
    remark_corp_name: str = ""
    remark_mobiles: list[str] = field(default_factory=list)
    tag_ids: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "userid": self.userid,
            "remark": self.remark,
            "description": self.description,
            "createtime": self.createtime,
            "remark_corp_name": self.remark_corp_name,
            "remark_mobiles": list(self.remark_mobiles),
            "add_way": self.add_way,
            "oper_userid": self.userid,
            "state": self.state,
        }


@dataclass
class SimCustomer:
    external_userid: str
    name: str
    kind: int = 1
    corp_name: str = ""
    gender: int = 0
    avatar: str = ""
    follows: dict[str, SimFollow] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "external_userid": self.external_userid,
            "name": self.name,
            "type": self.kind,
            "gender": self.gender,
            "avatar": self.avatar,
        }
        if self.kind == 2:  # WeCom only reports a corp for customers who use WeCom themselves
            data["corp_name"] = self.corp_name
        return data


@dataclass
class SimTag:
    tag_id: str
    name: str
    create_time: int
    order: int = 0


@dataclass
class SimTagGroup:
    group_id: str
    group_name: str
    create_time: int
    order: int = 0
    tags: list[SimTag] = field(default_factory=list)

    def as_json(self, only: set[str] | None = None) -> dict[str, Any]:
        tags = [t for t in self.tags if only is None or t.tag_id in only]
        return {
            "group_id": self.group_id,
            "group_name": self.group_name,
            "create_time": self.create_time,
            "order": self.order,
            "tag": [
                {"id": t.tag_id, "name": t.name, "create_time": t.create_time, "order": t.order}
                for t in tags
            ],
        }


@dataclass
class SimChat:
    chat_id: str
    name: str
    owner: str
    notice: str
    create_time: int
    members: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class SimTransfer:
    external_userid: str
    handover: str
    takeover: str


# transfer_result statuses: 1 done, 2 waiting, 3 refused by the customer, 4 takeover full.
TRANSFER_DONE, TRANSFER_WAITING, TRANSFER_REFUSED, TRANSFER_FULL = 1, 2, 3, 4
TRANSFER_STATUS_OF_FAILURE = {"customer_refused": TRANSFER_REFUSED, "customer_limit_exceed": 4}
AUTO_TAKEOVER_SECONDS = 24 * 3600  # WeCom moves the customer a day later unless they refuse


class ContactBook:
    """One tenant's customer-contact data."""

    def __init__(self) -> None:
        self.customers: dict[str, SimCustomer] = {}
        self.tag_groups: dict[str, SimTagGroup] = {}
        self.chats: dict[str, SimChat] = {}
        self.transfers: dict[str, SimTransfer] = {}
        # What transfer_result reports: (handover, takeover) -> external_userid -> (status, time)
        self.transfer_results: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
        self._welcome_codes: OrderedDict[str, datetime] = OrderedDict()

    def issue_welcome_code(self, now: datetime) -> str:
        code = new_id("WELCOME")
        self._welcome_codes[code] = now
        while len(self._welcome_codes) > WELCOME_CODE_LIMIT:
            self._welcome_codes.popitem(last=False)
        return code

    def use_welcome_code(self, code: str, now: datetime) -> bool:
        """True once per code, within the window; a used code is forgotten."""
        issued = self._welcome_codes.pop(code, None)
        return issued is not None and now - issued <= WELCOME_WINDOW

    def record_transfer(self, transfer: SimTransfer, status: int, at: int) -> None:
        pair = (transfer.handover, transfer.takeover)
        self.transfer_results.setdefault(pair, {})[transfer.external_userid] = (status, at)

    def tag(self, tag_id: str) -> SimTag | None:
        return next(
            (t for g in self.tag_groups.values() for t in g.tags if t.tag_id == tag_id), None
        )

    def pairs_of(self, userids: list[str]) -> list[tuple[SimCustomer, SimFollow]]:
        """Every (customer, follow) of these members, in a stable order for cursor paging."""
        return [
            (customer, customer.follows[userid])
            for userid in userids
            for customer in sorted(self.customers.values(), key=lambda c: c.external_userid)
            if userid in customer.follows
        ]

    def follow_users(self) -> list[str]:
        return sorted({u for c in self.customers.values() for u in c.follows})


@dataclass(frozen=True)
class CallRecord:
    api: str
    body: dict[str, Any]
    at: str


class SimContacts:
    """Customer-contact state for every simulated tenant, plus test knobs."""

    def __init__(self, tenant_keys: list[str]) -> None:
        self.books = {key: ContactBook() for key in tenant_keys}
        # WeCom does not publish its per-API concurrency limit; 3 keeps 45033 easy to reach.
        self.batch_concurrency = 3
        self.batch_latency = 0.0
        self.in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self.faults: dict[str, deque[int | None]] = {}
        self.calls: deque[CallRecord] = deque(maxlen=CALL_LOG_LIMIT)

    def book(self, tenant_key: str) -> ContactBook:
        return self.books[tenant_key]

    def record(self, api: str, body: dict[str, Any], now: datetime) -> None:
        self.calls.append(CallRecord(api, body, now.isoformat()))

    def inject(self, api: str, errcode: int, times: int, after: int = 0) -> None:
        """The ``after`` calls of ``api`` after the ones already planned pass, then ``times``
        calls answer ``errcode``."""
        self.faults.setdefault(api, deque()).extend([None] * after + [errcode] * times)

    def next_fault(self, api: str) -> int | None:
        queue = self.faults.get(api)
        return queue.popleft() if queue else None


SIM_CONTACTS = web.AppKey("sim_contacts", SimContacts)
