"""Handing a 微信客服 chat to a person, and answering customers' questions from the
knowledge base first."""

from __future__ import annotations

import logging

from bot.tenants import TenantInfo
from bot.wecom.client import WeComAPIError
from bot.wecom.kf import KfAddress, KfAPI
from models.crm.customers import Customer
from models.tenants import Employee

logger = logging.getLogger(__name__)


async def owner_userid(tenant_id: int, external_userid: str) -> str:
    """The employee who owns the customer in the book: the natural person to take over."""
    customer = await Customer.get_or_none(tenant_id=tenant_id, external_userid=external_userid)
    if customer is None or customer.owner_id is None:
        return ""
    owner = await Employee.get_or_none(id=customer.owner_id)
    return owner.userid if owner else ""


async def hand_over(api: KfAPI, tenant: TenantInfo, to: KfAddress) -> bool:
    """Give the session to the customer's owner (service_state 3), or, when there is none or
    they are not receiving, to the waiting pool where the next free servicer takes it."""
    servicer = await owner_userid(tenant.id, to.external_userid)
    if servicer:
        try:
            await api.hand_to_servicer(tenant.credentials, to, servicer)
            return True
        except WeComAPIError as exc:
            logger.info("kf hand-over to %s refused (%s); trying the pool", servicer, exc)
    try:
        await api.hand_to_servicer(tenant.credentials, to)
    except WeComAPIError as exc:
        logger.warning("kf hand-over of %s failed: %s", to, exc)
        return False
    return True
