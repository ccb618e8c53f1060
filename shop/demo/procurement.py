"""Demo procurement: suppliers, the lab's quote request priced from
supplier offers and sent, the buyer's accepted quote with its supplier
orders (one ordered, one partly received), and the shopper's request
waiting for staff. Everything goes through procurement's services."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from procurement.models import QuoteRequest, Supplier, SupplierOffer
from procurement.services import acceptance, quotes, requests, supplier_orders
from procurement.services.uploads import check_upload

from .organisations import entities_of

# fmt: off
SUPPLIERS = [
    ("Farnell France", "Service clients", "commandes@farnell.example", "+33 4 74 68 99 99",
     "https://fr.farnell.com", 3, Decimal("0"), Decimal("0"), None),
    ("Mouser Electronics", "Équipe France", "france@mouser.example", "+33 1 70 70 20 20",
     "https://www.mouser.fr", 5, Decimal("0"), Decimal("20.00"), Decimal("50.00")),
    ("RS Components", "Agence Lyon", "lyon@rs.example", "+33 8 25 03 40 40",
     "https://fr.rs-online.com", 2, Decimal("25.00"), Decimal("9.90"), Decimal("150.00")),
    ("Labo Verre Lyonnais", "Mme Girard", "contact@laboverre.example", "+33 4 78 00 11 22",
     "", 10, Decimal("100.00"), Decimal("15.00"), None),
]
# fmt: on

LAB_MESSAGE = (
    "Bonjour, pour le projet ANR CAPTEURS nous cherchons les références ci-dessous. "
    "Devis au nom du laboratoire, paiement sur bon de commande (mandat administratif). "
    "Cahier des charges joint."
)
BUYER_MESSAGE = "Pièces pour la révision de nos bancs de test, livraison à l'atelier."
SHOPPER_MESSAGE = (
    "Je cherche un écran e-paper 7,5 pouces compatible ESP32 et son câble FPC. "
    "Photo du modèle actuel jointe."
)


def suppliers_load() -> int:
    created = 0
    for name, contact, email, phone, site, lead, minimum, ship, free_from in SUPPLIERS:
        _supplier, made = Supplier.objects.get_or_create(
            name=name,
            defaults={
                "contact_name": contact,
                "email": email,
                "phone": phone,
                "website": site,
                "lead_time_days": lead,
                "minimum_order": minimum,
                "shipping_cost": ship,
                "free_shipping_from": free_from,
            },
        )
        created += made
    return created


def _pdf(title: str, line_index: int = 0) -> requests.FileInput:
    """A one-page PDF attached to a line, as the request form attaches files."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    upload = SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), "application/pdf")
    return requests.FileInput(checked=check_upload(upload), name=upload.name, line_index=line_index)


def _submit(user, *, entity, message, lines, files=()):
    return requests.quote_request_submit(
        user=user,
        contact_name=user.get_full_name(),
        email=user.email,
        phone="+33 4 72 00 00 00",
        legal_entity=entity,
        message=message,
        lines=[requests.LineInput(**line) for line in lines],
        files=list(files),
        language="fr",
    )


def _offer(line, supplier, reference, cost, lead, available=None, shipping="0"):
    return SupplierOffer.objects.create(
        line=line,
        supplier=supplier,
        supplier_reference=reference,
        unit_cost=Decimal(cost),
        lead_time_days=lead,
        quantity_available=available,
        shipping_cost=Decimal(shipping),
        valid_until=timezone.localdate() + timedelta(days=30),
    )


def _price_and_send(qr, staff, offers_by_line, category="electronics"):
    """Staff's work on a request: claim it, add offers, choose the first of
    each line's, send the quote."""
    requests.quote_request_claim(request_id=qr.pk, by=staff)
    for line, offers in zip(qr.lines.order_by("position"), offers_by_line, strict=True):
        made = [_offer(line, *offer) for offer in offers]
        line.chosen_offer = made[0]
        line.category = category
        line.save(update_fields=["chosen_offer", "category"])
    return quotes.quote_send(request_id=qr.pk, by=staff)


def procurement_load(users: dict) -> int:
    """Create the demo requests once (found again by their message);
    returns how many were created."""
    suppliers_load()
    created = 0
    staff, lab, buyer, shopper = (users[k] for k in ("staff", "lab", "buyer", "shopper"))
    s = {supplier.name: supplier for supplier in Supplier.objects.all()}
    farnell, mouser, rs, verre = (
        s["Farnell France"],
        s["Mouser Electronics"],
        s["RS Components"],
        s["Labo Verre Lyonnais"],
    )

    if not QuoteRequest.objects.filter(user=lab, message=LAB_MESSAGE).exists():
        lab_entity = entities_of("lab")[0]
        qr = _submit(
            lab,
            entity=lab_entity,
            message=LAB_MESSAGE,
            lines=[
                {"quantity": 20, "manufacturer": "Bosch", "part_number": "BME688"},
                {"quantity": 5, "manufacturer": "Analog Devices", "part_number": "AD8232ACPZ"},
                {"quantity": 2, "description": "Bécher forme basse 1000 ml, verre borosilicaté"},
            ],
            files=[_pdf("cahier-des-charges-LMI")],
        )
        _price_and_send(
            qr,
            staff,
            [
                [(farnell, "3879523", "11.84", 3, 250), (mouser, "262-BME688", "12.10", 6)],
                [(mouser, "584-AD8232ACPZ-R7", "3.92", 5), (rs, "145-2843", "4.35", 2)],
                [(verre, "BF-1000-BS", "9.50", 10, None, "15.00")],
            ],
        )
        created += 1

    if not QuoteRequest.objects.filter(user=buyer, message=BUYER_MESSAGE).exists():
        qr = _submit(
            buyer,
            entity=entities_of("buyer")[0],
            message=BUYER_MESSAGE,
            lines=[
                {"quantity": 10, "manufacturer": "Omron", "part_number": "G5LE-1 12DC"},
                {"quantity": 4, "manufacturer": "Mean Well", "part_number": "LRS-100-24"},
            ],
        )
        quote = _price_and_send(
            qr,
            staff,
            [
                [(rs, "369-8560", "1.12", 2, 500)],
                [(farnell, "2815983", "17.40", 3, 40)],
            ],
        )
        order = acceptance.quote_accept(
            quote_id=quote.pk,
            customer=buyer,
            payment_method="transfer",
            legal_entity_id=qr.legal_entity_id,
        )
        made = supplier_orders.supplier_orders_create(order_id=order.pk, by=staff)
        for n, supplier_order in enumerate(made):
            supplier_orders.supplier_order_mark_ordered(
                supplier_order_id=supplier_order.pk,
                by=staff,
                supplier_order_number=f"CMD-2026-{n + 41:04d}",
            )
        if made:
            first = made[0].lines.order_by("pk").first()
            supplier_orders.goods_receipt_record(
                supplier_order_id=made[0].pk,
                by=staff,
                lines=[supplier_orders.ReceivedLine(first.pk, first.quantity // 2)],
                note="Livraison partielle, reliquat annoncé sous 3 jours.",
            )
        created += 1

    if not QuoteRequest.objects.filter(user=shopper, message=SHOPPER_MESSAGE).exists():
        _submit(
            shopper,
            entity=None,
            message=SHOPPER_MESSAGE,
            lines=[
                {"quantity": 1, "manufacturer": "Waveshare", "part_number": "7.5inch e-Paper HAT"},
                {"quantity": 2, "description": "Nappe FPC 24 broches, pas 0,5 mm, 10 cm"},
            ],
            files=[_pdf("ecran-actuel")],
        )
        created += 1
    return created
