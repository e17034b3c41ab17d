"""ERP-lite (进销存): products and warehouses, stock moves and inquiries, suppliers and
purchasing with partial receipts."""

from bot.capability import Capability
from handlers.erp import cards, inquiry, products, purchases, stock, suppliers

capability = Capability(
    name="erp",
    title="进销存",
    module="erp",
    routers=(
        cards.router,
        products.router,
        stock.router,
        inquiry.router,
        inquiry.questions,
        suppliers.router,
        purchases.router,
    ),
)
