"""Procurement on demand (DESIGN.md): a customer's quote request (demande de
devis) and its files (requests.py); suppliers (fournisseurs) and their offers
per request line (suppliers.py); the quote (devis) priced from the chosen
offers and the customer's purchase order (bon de commande) (quotes.py);
orders to suppliers (commandes fournisseur) and goods receipt (réception)
(supplier_orders.py).

Rules live in ``procurement.services``; these are the tables."""

from .quotes import PurchaseOrder, Quote, QuoteLine
from .quotes import _purchase_order_path as _purchase_order_path  # migration 0001
from .quotes import _quote_pdf_path as _quote_pdf_path  # migration 0001
from .requests import (
    MAX_QUANTITY,
    PrivateFile,
    QuoteRequest,
    QuoteRequestEvent,
    QuoteRequestLine,
    QuoteRequestNote,
    RequestFile,
    RequestState,
)
from .requests import _attachment_path as _attachment_path  # migration 0001
from .supplier_orders import (
    GoodsReceipt,
    GoodsReceiptLine,
    SupplierOrder,
    SupplierOrderLine,
    SupplierOrderState,
)
from .suppliers import Supplier, SupplierOffer

__all__ = [
    "MAX_QUANTITY",
    "GoodsReceipt",
    "GoodsReceiptLine",
    "PrivateFile",
    "PurchaseOrder",
    "Quote",
    "QuoteLine",
    "QuoteRequest",
    "QuoteRequestEvent",
    "QuoteRequestLine",
    "QuoteRequestNote",
    "RequestFile",
    "RequestState",
    "Supplier",
    "SupplierOffer",
    "SupplierOrder",
    "SupplierOrderLine",
    "SupplierOrderState",
]
