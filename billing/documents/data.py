"""What a business document says, independently of where it comes from.

An order, a procurement quote or a test builds a ``DocumentData``; the
renderer, the Factur-X writer and the numbering only ever see this. Amounts
are ``Decimal``; line totals, the VAT breakdown and the totals are derived
here once, by core.money (EN 16931: VAT per rate on the sum of the line
nets at that rate, rounded once), so the PDF and the Factur-X XML cannot
disagree, and an order's invoice has the order's totals.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core import money as core_money
from core.money import line_net, to_cents

# What every document prints about the seller (see billing/checks.py).
REQUIRED_LEGAL_FIELDS = (
    "name",
    "address",
    "siret",
    "vat_number",
    "share_capital",
    "rcs",
    "iban",
    "bic",
)


class Kind:
    """The document kinds; each has its own number sequence."""

    QUOTE = "quote"
    PROFORMA = "proforma"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DELIVERY_NOTE = "delivery_note"

    ALL = (QUOTE, PROFORMA, INVOICE, CREDIT_NOTE, DELIVERY_NOTE)
    # Accounting documents: gapless per year, legally numbered.
    ACCOUNTING = (INVOICE, CREDIT_NOTE)
    # Documents that show no price.
    WITHOUT_PRICES = (DELIVERY_NOTE,)


@dataclass(frozen=True)
class Seller:
    name: str
    address_lines: list[str]
    siret: str
    vat_number: str
    share_capital: str = ""
    rcs: str = ""
    iban: str = ""
    bic: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def from_settings(cls) -> Seller:
        """The shop's legal identity (settings.COMPTOIR_LEGAL), read when used."""
        legal = settings.COMPTOIR_LEGAL
        missing = [key for key in REQUIRED_LEGAL_FIELDS if not legal.get(key)]
        if missing:
            raise ImproperlyConfigured(
                f"COMPTOIR_LEGAL is missing {', '.join(missing)}: documents cannot be issued."
            )
        return cls(
            name=legal["name"],
            # "12 rue des Artisans, 69007 Lyon, France" prints on three lines.
            address_lines=[part.strip() for part in legal["address"].split(",") if part.strip()],
            siret=legal.get("siret", ""),
            vat_number=legal.get("vat_number", ""),
            share_capital=legal.get("share_capital", ""),
            rcs=legal.get("rcs", ""),
            iban=legal.get("iban", ""),
            bic=legal.get("bic", ""),
            email=legal.get("email", ""),
            phone=legal.get("phone", ""),
        )

    @property
    def siren(self) -> str:
        return self.siret[:9]


@dataclass(frozen=True)
class Buyer:
    """Who the document is made out to: a person, or a company or public
    body (``entity_name``) with the person ordering for it (``name``)."""

    name: str
    entity_name: str = ""
    siret: str = ""
    vat_number: str = ""
    billing_address: list[str] = field(default_factory=list)
    # Where the goods go: the party receiving them (company, else person),
    # the person there, and the address lines as printed (see addresses.py).
    shipping_name: str = ""
    shipping_contact: str = ""
    shipping_address: list[str] = field(default_factory=list)
    email: str = ""
    country: str = "FR"
    chorus_service_code: str = ""
    purchase_order_number: str = ""
    # A company or public body: prices without VAT first, B2B legal mentions.
    is_business: bool = False
    is_public_body: bool = False

    @property
    def display_name(self) -> str:
        return self.entity_name or self.name

    @property
    def siren(self) -> str:
        """The SIREN (the company's number; its SIRET names one site)."""
        return self.siret[:9]


class Nature:
    """What a line supplies, for the nature of the operation (French
    mentions; BT-23). Accessories (shipping, handling) follow the goods."""

    GOODS = "goods"
    SERVICES = "services"
    # Both, neither accessory to the other.
    MIXED = "mixed"


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price_excl: Decimal
    vat_rate: Decimal  # 0.20 for 20 %
    part_number: str = ""
    # Delivery notes: what is in this shipment (defaults to the quantity).
    unit: str = ""
    # The line's net when it is not quantity × unit price (a discounted
    # order line); unset, it is core.money.line_net(unit price, quantity).
    amount_excl: Decimal | None = None
    nature: str = Nature.GOODS
    # Only in documents issued before the one money model (their lines
    # carried what was paid incl. VAT): read to reproduce their duplicates.
    total_incl: Decimal | None = None

    def __post_init__(self):
        object.__setattr__(self, "quantity", Decimal(str(self.quantity)))
        object.__setattr__(self, "unit_price_excl", Decimal(str(self.unit_price_excl)))
        object.__setattr__(self, "vat_rate", Decimal(str(self.vat_rate)))
        for name in ("total_incl", "amount_excl"):
            if getattr(self, name) is not None:
                object.__setattr__(self, name, to_cents(getattr(self, name)))

    @property
    def total_excl(self) -> Decimal:
        if self.amount_excl is not None:
            return self.amount_excl
        return line_net(self.unit_price_excl, self.quantity)

    @property
    def vat_percent(self) -> Decimal:
        return (self.vat_rate * 100).normalize()


@dataclass(frozen=True)
class VatAmount:
    rate: Decimal
    base: Decimal
    amount: Decimal

    @property
    def percent(self) -> Decimal:
        return (self.rate * 100).normalize()


@dataclass(frozen=True)
class References:
    order_number: str = ""
    quote_number: str = ""
    # A credit note's invoice (number and date).
    invoice_number: str = ""
    invoice_date: datetime.date | None = None
    purchase_order_number: str = ""


@dataclass(frozen=True)
class DocumentData:
    kind: str
    buyer: Buyer
    lines: list[Line]
    date: datetime.date
    language: str = "fr"
    seller: Seller = field(default_factory=Seller.from_settings)
    # Filled in by issue_document from the kind's sequence.
    number: str = ""
    # Invoice: payment due date; quote and proforma: valid until.
    due_date: datetime.date | None = None
    references: References = field(default_factory=References)
    payment_method: str = ""  # e.g. "Bank transfer"
    payment_terms: str = ""  # e.g. "30 days from the invoice date"
    # Already paid (card, PayPal): the invoice says so and nothing is due.
    paid: bool = False
    notes: str = ""
    currency: str = "EUR"
    # Delivery notes: parcels and carrier.
    parcels: int | None = None
    carrier: str = ""
    tracking_number: str = ""
    # A credit note: why (correction, refund, return).
    reason: str = ""
    # Re-rendered copy of an issued document, marked as such.
    duplicate: bool = False

    def __post_init__(self):
        if self.kind not in Kind.ALL:
            raise ValueError(f"Unknown document kind {self.kind!r}.")

    # --- derived amounts ---------------------------------------------------

    @property
    def totals(self) -> core_money.Totals:
        """The lines' totals by core.money: VAT per rate on the rate's nets."""
        return core_money.totals((line.vat_rate, line.total_excl) for line in self.lines)

    @property
    def vat_breakdown(self) -> list[VatAmount]:
        """Base and VAT per rate, highest rate first."""
        rows = [VatAmount(rate=row.rate, base=row.base, amount=row.vat) for row in self.totals.rows]
        if self.lines and all(line.total_incl is not None for line in self.lines):
            rows = [dataclasses.replace(row, amount=self._legacy_vat(row)) for row in rows]
        return rows

    def _legacy_vat(self, row: VatAmount) -> Decimal:
        """A document issued before the one money model printed, per rate,
        what was paid incl. VAT less the base: its duplicate prints it too."""
        paid = sum((x.total_incl for x in self.lines if x.vat_rate == row.rate), Decimal(0))
        return to_cents(paid) - row.base

    @property
    def total_excl(self) -> Decimal:
        return sum((row.base for row in self.vat_breakdown), Decimal("0.00"))

    @property
    def total_vat(self) -> Decimal:
        return sum((row.amount for row in self.vat_breakdown), Decimal("0.00"))

    @property
    def total_incl(self) -> Decimal:
        return self.total_excl + self.total_vat

    @property
    def amount_due(self) -> Decimal:
        return Decimal("0.00") if self.paid else self.total_incl

    @property
    def operation_nature(self) -> str:
        """Goods, services, or mixed, from the lines."""
        natures = {line.nature for line in self.lines} or {Nature.GOODS}
        return natures.pop() if len(natures) == 1 else Nature.MIXED

    @property
    def shows_prices(self) -> bool:
        return self.kind not in Kind.WITHOUT_PRICES

    @property
    def shows_bank_details(self) -> bool:
        """Where the customer may pay by transfer: unpaid invoices, proformas, quotes."""
        return self.shows_prices and self.kind != Kind.CREDIT_NOTE and not self.paid

    # --- storage -----------------------------------------------------------

    def with_number(self, number: str) -> DocumentData:
        return dataclasses.replace(self, number=number)

    def to_json(self) -> dict:
        """A JSON-safe dict (Decimals and dates as strings) kept with the
        issued document, from which a duplicate is re-rendered."""
        return _jsonable(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, payload: dict) -> DocumentData:
        payload = dict(payload)
        payload["seller"] = Seller(**payload["seller"])
        payload["buyer"] = Buyer(**payload["buyer"])
        payload["lines"] = [Line(**line) for line in payload["lines"]]
        refs = dict(payload.get("references") or {})
        if refs.get("invoice_date"):
            refs["invoice_date"] = datetime.date.fromisoformat(refs["invoice_date"])
        payload["references"] = References(**refs)
        for key in ("date", "due_date"):
            if payload.get(key):
                payload[key] = datetime.date.fromisoformat(payload[key])
        return cls(**payload)


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
