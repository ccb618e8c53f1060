import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from procurement.models import Supplier, SupplierOffer
from procurement.services.requests import FileInput, LineInput, quote_request_submit
from procurement.services.uploads import check_upload
from shop.customer.models import LegalEntity
from tests.fixtures import english_messages, online_providers_configured  # noqa: F401


def pdf_bytes(*, javascript: str = "", pages: int = 1) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if javascript:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        action = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(javascript),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def upload(name="spec.pdf", content=None, content_type="application/pdf"):
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content, content_type)


def checked(name="spec.pdf", content=None, line_index=None) -> FileInput:
    return FileInput(check_upload(upload(name, content)), name, line_index)


@pytest.fixture(autouse=True)
def _private_root(tmp_path, settings):
    settings.COMPTOIR_PRIVATE_ROOT = tmp_path / "private"
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 0


@pytest.fixture
def buyer(db):
    return get_user_model().objects.create_user(
        "buyer", "buyer@univ.example", "pw-buyer-123", first_name="Ada", last_name="Buyer"
    )


@pytest.fixture
def other(db):
    return get_user_model().objects.create_user("other", "other@example.com", "pw-other-123")


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        "staff", "staff@comptoir.example", "pw-staff-123", is_staff=True, is_superuser=True
    )


@pytest.fixture
def institution(buyer, staff):
    return LegalEntity.objects.create(
        user=buyer,
        kind=LegalEntity.Kind.PUBLIC_BODY,
        name="Université de Lyon",
        siret="73282932000074",
        line1="1 rue de l'Université",
        postcode="69007",
        city="Lyon",
        chorus_service_code="SERV-01",
        verified_at=timezone.now(),
        verified_by=staff,
    )


@pytest.fixture
def suppliers(db):
    return (
        Supplier.objects.create(name="Farnell", lead_time_days=3, email="orders@farnell.example"),
        Supplier.objects.create(name="RS", lead_time_days=5),
    )


def submit(user=None, *, lines=None, entity=None, **kwargs):
    defaults = {
        "contact_name": "Ada Buyer",
        "email": user.email if user else "guest@example.com",
        "phone": "+33611223344",
    }
    return quote_request_submit(
        user=user,
        legal_entity=entity,
        lines=lines or [LineInput(quantity=2, description="Oscilloscope probe, 100 MHz")],
        **{**defaults, **kwargs},
    )


def offer(line, supplier, *, cost="10.00", lead=3, shipping="5.00", **fields):
    return SupplierOffer.objects.create(
        line=line,
        supplier=supplier,
        supplier_reference=f"{supplier.name}-REF",
        unit_cost=Decimal(cost),
        lead_time_days=lead,
        shipping_cost=Decimal(shipping),
        valid_until=timezone.localdate() + timedelta(days=30),
        **fields,
    )


def quoted(user, suppliers, staff, *, entity=None, **send):
    """A request with one line, two offers, the cheaper chosen, quote sent."""
    from procurement.services.quotes import quote_send

    qr = submit(user, entity=entity)
    line = qr.lines.get()
    cheap = offer(line, suppliers[0], cost="10.00")
    offer(line, suppliers[1], cost="12.00")
    line.chosen_offer = cheap
    line.save()
    return quote_send(request_id=qr.pk, by=staff, **send)


# What the accept form posts for a delivery to a new address in Lyon.
DELIVERED = {
    "delivery": "new",
    "delivery_name": "Ada Buyer, Lab 3",
    "delivery_line1": "5 rue du Laboratoire",
    "delivery_postcode": "69007",
    "delivery_city": "Lyon",
    "delivery_country": "FR",
}


@pytest.fixture(autouse=True)
def _france(db):
    """France, a shipping country (delivery addresses need it)."""
    from oscar.core.loading import get_model

    get_model("address", "Country").objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
