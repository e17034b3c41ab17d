"""对外收款 in the simulator: ``externalpay/get_bill_list`` with WeCom's rules, and control
endpoints (``/_sim/externalpay/{tenant_key}/...``) to make bills and refunds.

``get_bill_list`` ``{"begin_time", "end_time", "cursor", "limit", "payee_userid"}``: times are
Unix seconds and the window may span at most one month (31 days); ``limit`` is 1..1000
(default 1000). Anything else answers 40058. A page is cut from the bills paid in the window
(both ends included, oldest first) and then the bills whose payee is outside the app's visible
range (the address book's, ``/_sim/directory``) are dropped, so a page may be shorter than
``limit``. ``next_cursor`` is present only while more remain. 48002 (api forbidden) while the
tenant's permission is switched off. A bill shows ``trade_state`` 3, its ``refund_list`` and
``total_refund_fee`` (successful refunds, ``refund_status`` 2) once a refund was added.

Control:
``POST .../bills`` ``{"transaction_id" (generated), "external_userid", "payee_userid",
    "total_fee" (fen), "pay_time" (seconds; now), "out_trade_no", "remark", "payment_type" (0)}``
``POST .../bills/{transaction_id}/refunds`` ``{"out_refund_no" (generated), "refund_fee",
    "refund_status" (2), "refund_comment", "refund_userid"}``
``POST .../payments`` ``{"total_fee" (fen, 1..5,000,000), "description" (≤ 32 characters in
    chat, ≤ 16 for a QR code), "payment_type" (0 在聊天中收款 | 1 收款码收款), "by_app" (true)}``
    → ``{"payment_id"}``: a payment project, as JS-SDK ``createExternalPayment`` makes one
    (``by_app`` false: started from another app or the workbench). A bill added with its
    ``payment_id`` is one payment into it.
``PUT .../permission`` ``{"allowed": bool}``
``GET .../requests`` every ``get_bill_list`` body the tenant's app sent, oldest first

``get_payment_info`` ``{"payment_id"}`` → ``{"bill_list": [{"out_trade_no"}, …]}``, one per
payment into the project, oldest first (WeCom doc path/95936). Only projects this app created
are answered: another app's, an unknown id or a missing one answer 40058 (WeCom's code for
this case is not documented); 48002 while the permission is off, as for get_bill_list. It
carries no amounts, payers or refunds: those are in get_bill_list.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.wecom_sim.api_call import ApiCall, ApiError, ApiRoute, json_body
from bot.wecom_sim.directory import SIM_DIRECTORY, SimDirectory
from bot.wecom_sim.state import SIM_STATE

MAX_WINDOW_SECONDS = 31 * 86400
MAX_LIMIT = 1000
MAX_PAYMENT_FEE = 5_000_000  # createExternalPayment's totalFee, in fen
MAX_DESCRIPTION = {0: 32, 1: 16}  # by paymentType: in a chat, by QR code
SUCCESS = 2  # refund_status 退款成功


@dataclass
class SimBill:
    transaction_id: str
    external_userid: str
    payee_userid: str
    total_fee: int
    pay_time: int
    out_trade_no: str
    remark: str
    payment_type: int
    refunds: list[dict[str, Any]] = field(default_factory=list)

    def answer(self) -> dict[str, Any]:
        refunded = sum(r["refund_fee"] for r in self.refunds if r["refund_status"] == SUCCESS)
        return {
            "transaction_id": self.transaction_id,
            "bill_type": 0,
            "trade_state": 3 if refunded else 1,
            "pay_time": self.pay_time,
            "out_trade_no": self.out_trade_no,
            "external_userid": self.external_userid,
            "total_fee": self.total_fee,
            "payee_userid": self.payee_userid,
            "payment_type": self.payment_type,
            "mch_id": "1900000001",
            "remark": self.remark,
            "commodity_list": [{"description": self.remark or "商品", "amount": 1}],
            "total_refund_fee": refunded,
            "refund_list": [dict(r) for r in self.refunds],
            "payer_info": {"name": "", "phone": "", "address": ""},
        }


@dataclass
class SimPaymentProject:
    payment_id: str
    total_fee: int
    description: str
    payment_type: int
    by_app: bool
    out_trade_nos: list[str] = field(default_factory=list)


@dataclass
class SimPayments:
    bills: dict[str, SimBill] = field(default_factory=dict)
    projects: dict[str, SimPaymentProject] = field(default_factory=dict)
    allowed: bool = True
    requests: list[dict[str, Any]] = field(default_factory=list)


class SimExternalPay:
    def __init__(self) -> None:
        self.tenants: dict[str, SimPayments] = {}
        self.ids = itertools.count(1)

    def of(self, tenant_key: str) -> SimPayments:
        return self.tenants.setdefault(tenant_key, SimPayments())


SIM_EXTERNALPAY = web.AppKey("sim_externalpay", SimExternalPay)


def _seconds(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApiError(40058, f"invalid {name}")
    return value


def _payee_visible(book: SimDirectory, userid: str) -> bool:
    member = book.members.get(userid)
    if member is None:
        return not book.visible_departments and not book.visible_users
    return book.member_visible(member)


async def get_bill_list(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    payments = call.request.app[SIM_EXTERNALPAY].of(call.tenant.key)
    payments.requests.append(dict(body))
    if not payments.allowed:
        raise ApiError(48002, "api forbidden")
    begin, end = _seconds(body, "begin_time"), _seconds(body, "end_time")
    if end < begin or end - begin > MAX_WINDOW_SECONDS:
        raise ApiError(40058, "invalid time range: at most one month")
    limit = body.get("limit", MAX_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ApiError(40058, "invalid limit")
    cursor = str(body.get("cursor") or "")
    if cursor and not (cursor.startswith("c") and cursor[1:].isdigit()):
        raise ApiError(40058, "invalid cursor")
    offset = int(cursor[1:]) if cursor else 0
    payee = str(body.get("payee_userid") or "")
    found = sorted(
        (
            b
            for b in payments.bills.values()
            if begin <= b.pay_time <= end and (not payee or b.payee_userid == payee)
        ),
        key=lambda b: (b.pay_time, b.transaction_id),
    )
    page = found[offset : offset + limit]
    book = call.request.app[SIM_DIRECTORY].book(call.tenant.key)
    answer: dict[str, Any] = {
        "bill_list": [b.answer() for b in page if _payee_visible(book, b.payee_userid)]
    }
    if offset + limit < len(found):
        answer["next_cursor"] = f"c{offset + limit}"
    return answer


async def get_payment_info(call: ApiCall) -> dict[str, Any]:
    body = await json_body(call.request)
    payments = call.request.app[SIM_EXTERNALPAY].of(call.tenant.key)
    if not payments.allowed:
        raise ApiError(48002, "api forbidden")
    payment_id = body.get("payment_id")
    project = payments.projects.get(payment_id) if isinstance(payment_id, str) else None
    if project is None or not project.by_app:
        raise ApiError(40058, "invalid payment_id")
    return {"bill_list": [{"out_trade_no": number} for number in project.out_trade_nos]}


EXTERNALPAY_APIS: Mapping[str, ApiRoute] = {
    "externalpay/get_bill_list": ApiRoute("POST", get_bill_list),
    "externalpay/get_payment_info": ApiRoute("POST", get_payment_info),
}


def add_externalpay_controls(app: web.Application) -> None:
    app[SIM_EXTERNALPAY] = SimExternalPay()
    base = "/_sim/externalpay/{tenant_key}"
    app.router.add_post(f"{base}/bills", add_bill)
    app.router.add_post(f"{base}/payments", add_payment)
    app.router.add_post(f"{base}/bills/{{transaction_id}}/refunds", add_refund)
    app.router.add_put(f"{base}/permission", set_permission)
    app.router.add_get(f"{base}/requests", list_requests)


def _fail(error: type[web.HTTPError], message: str) -> web.HTTPError:
    return error(text=json.dumps({"error": message}), content_type="application/json")


def _payments(request: web.Request) -> SimPayments:
    key = request.match_info["tenant_key"]
    if key not in request.app[SIM_STATE].tenants:
        raise _fail(web.HTTPNotFound, f"unknown tenant {key!r}")
    return request.app[SIM_EXTERNALPAY].of(key)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError as exc:
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise _fail(web.HTTPBadRequest, "the body must be a JSON object")
    return body


def _int(body: Mapping[str, Any], name: str, default: int | None = None) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(web.HTTPBadRequest, f"{name} must be a non-negative integer")
    return value


def _str(body: Mapping[str, Any], name: str, default: str = "") -> str:
    value = body.get(name, default)
    if not isinstance(value, str):
        raise _fail(web.HTTPBadRequest, f"{name} must be a string")
    return value


async def add_bill(request: web.Request) -> web.Response:
    payments = _payments(request)
    body = await _body(request)
    n = next(request.app[SIM_EXTERNALPAY].ids)
    now = int(request.app[SIM_STATE].clock.now().timestamp())
    bill = SimBill(
        transaction_id=_str(body, "transaction_id") or f"42000{n:023d}",
        external_userid=_str(body, "external_userid"),
        payee_userid=_str(body, "payee_userid"),
        total_fee=_int(body, "total_fee"),
        pay_time=_int(body, "pay_time", now),
        out_trade_no=_str(body, "out_trade_no") or f"T{n:010d}",
        remark=_str(body, "remark"),
        payment_type=_int(body, "payment_type", 0),
    )
    if bill.total_fee <= 0:
        raise _fail(web.HTTPBadRequest, "total_fee must be above 0")
    payment_id = _str(body, "payment_id")
    project = payments.projects.get(payment_id) if payment_id else None
    if payment_id and project is None:
        raise _fail(web.HTTPNotFound, "unknown payment_id")
    if project is not None:
        project.out_trade_nos.append(bill.out_trade_no)
    payments.bills[bill.transaction_id] = bill
    return web.json_response(bill.answer())


async def add_payment(request: web.Request) -> web.Response:
    """A payment project, checked as ``createExternalPayment`` checks its arguments."""
    payments = _payments(request)
    body = await _body(request)
    payment_type = _int(body, "payment_type", 0)
    if payment_type not in MAX_DESCRIPTION:
        raise _fail(web.HTTPBadRequest, "payment_type must be 0 or 1")
    fee = _int(body, "total_fee")
    if not 1 <= fee <= MAX_PAYMENT_FEE:
        raise _fail(web.HTTPBadRequest, f"total_fee must be 1..{MAX_PAYMENT_FEE} fen")
    description = _str(body, "description")
    if len(description) > MAX_DESCRIPTION[payment_type]:
        limit = MAX_DESCRIPTION[payment_type]
        raise _fail(web.HTTPBadRequest, f"description must be at most {limit} characters")
    by_app = body.get("by_app", True)
    if not isinstance(by_app, bool):
        raise _fail(web.HTTPBadRequest, "by_app must be true or false")
    n = next(request.app[SIM_EXTERNALPAY].ids)
    project = SimPaymentProject(f"P{n:010d}", fee, description, payment_type, by_app)
    payments.projects[project.payment_id] = project
    return web.json_response({"payment_id": project.payment_id})


async def add_refund(request: web.Request) -> web.Response:
    payments = _payments(request)
    bill = payments.bills.get(request.match_info["transaction_id"])
    if bill is None:
        raise _fail(web.HTTPNotFound, "unknown transaction_id")
    body = await _body(request)
    n = next(request.app[SIM_EXTERNALPAY].ids)
    now = int(request.app[SIM_STATE].clock.now().timestamp())
    fee = _int(body, "refund_fee")
    refund: dict[str, Any] = {
        "out_refund_no": _str(body, "out_refund_no") or f"R{n:010d}",
        "refund_userid": _str(body, "refund_userid", bill.payee_userid),
        "refund_comment": _str(body, "refund_comment"),
        "refund_reqtime": now,
        "refund_status": _int(body, "refund_status", SUCCESS),
        "refund_fee": fee,
    }
    refunded = sum(r["refund_fee"] for r in bill.refunds if r["refund_status"] == SUCCESS)
    if fee <= 0 or refunded + fee > bill.total_fee:
        raise _fail(web.HTTPBadRequest, "refund_fee must be above 0 and within the bill")
    bill.refunds = [r for r in bill.refunds if r["out_refund_no"] != refund["out_refund_no"]]
    bill.refunds.append(refund)
    return web.json_response(bill.answer())


async def set_permission(request: web.Request) -> web.Response:
    payments = _payments(request)
    allowed = (await _body(request)).get("allowed")
    if not isinstance(allowed, bool):
        raise _fail(web.HTTPBadRequest, "allowed must be true or false")
    payments.allowed = allowed
    return web.json_response({"allowed": allowed})


async def list_requests(request: web.Request) -> web.Response:
    return web.json_response(_payments(request).requests)
