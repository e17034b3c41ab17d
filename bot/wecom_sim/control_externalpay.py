"""``DirectorySimControl`` plus the 对外收款 control endpoints (``/_sim/externalpay/...``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from bot.wecom_sim.control_directory import DirectorySimControl


class ExternalPaySimControl(DirectorySimControl):
    def _pay(self, tenant_key: str) -> str:
        return f"/_sim/externalpay/{quote(tenant_key)}"

    async def add_bill(self, tenant_key: str, total_fee: int, **fields: Any) -> dict[str, Any]:
        """A paid bill (``external_userid``, ``payee_userid``, ``pay_time`` in seconds,
        ``transaction_id``, ``remark``, ``payment_id`` in ``fields``); answers it as
        get_bill_list would."""
        body = {"total_fee": total_fee, **fields}
        return await self._object("POST", f"{self._pay(tenant_key)}/bills", body)

    async def add_payment(self, tenant_key: str, total_fee: int, **fields: Any) -> str:
        """A payment project (``description``, ``payment_type``, ``by_app``); its id."""
        body = {"total_fee": total_fee, **fields}
        answer = await self._object("POST", f"{self._pay(tenant_key)}/payments", body)
        return str(answer["payment_id"])

    async def add_bill_refund(
        self, tenant_key: str, transaction_id: str, refund_fee: int, **fields: Any
    ) -> dict[str, Any]:
        path = f"{self._pay(tenant_key)}/bills/{quote(transaction_id)}/refunds"
        return await self._object("POST", path, {"refund_fee": refund_fee, **fields})

    async def allow_externalpay(self, tenant_key: str, allowed: bool) -> dict[str, Any]:
        body = {"allowed": allowed}
        return await self._object("PUT", f"{self._pay(tenant_key)}/permission", body)

    async def bill_requests(self, tenant_key: str) -> list[dict[str, Any]]:
        answer = await self._request("GET", f"{self._pay(tenant_key)}/requests")
        return list(answer)
