"""Quotes say who and where: a quote for an organisation is addressed to
it and to the person; accepting asks where the goods go (an address, or a
pickup) and who is billed, and the order uses both; the request page says
what "sourced" means."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from billing.documents.invoicing import order_document_data
from procurement.exceptions import ProcurementError
from procurement.services.acceptance import DeliveryInput, purchase_order_attach, quote_accept
from procurement.services.documents import SOURCED_GOODS_NOTICE, quote_pdf_bytes
from shop.customer.models import LegalEntity
from tests.documents.helpers import pdf_text

from .conftest import DELIVERED, checked, offer, quoted, submit

pytestmark = pytest.mark.django_db

LAB = DeliveryInput(
    name="Laboratoire LMI",
    line1="21 avenue Claude Bernard",
    postcode="69100",
    city="Villeurbanne",
    country="FR",
)


def test_a_quote_for_an_institution_is_addressed_to_it_and_the_person(
    buyer, institution, suppliers, staff
):
    quote = quoted(buyer, suppliers, staff, entity=institution)
    text = pdf_text(quote_pdf_bytes(quote))
    assert "Université de Lyon" in text and "Ada Buyer" in text
    assert "1 rue de l'Université" in text and "69007 Lyon" in text
    assert "SIRET 73282932000074" in text and "SIREN 732829320" in text
    assert "SERV-01" in text
    # The address ends with the country's name, never its code.
    assert "France" in text


def test_a_guests_organisation_is_on_the_quote(suppliers, staff):
    from procurement.services.quotes import quote_send

    qr = submit(
        None,
        organisation_name="Lycée Ampère",
        organisation_address="31 rue de la Bourse\n69002 Lyon",
        organisation_siret="19690026600015",
        organisation_service_code="LYC-42",
    )
    line = qr.lines.get()
    line.chosen_offer = offer(line, suppliers[0])
    line.save()
    quote = quote_send(request_id=qr.pk, by=staff)
    text = pdf_text(quote_pdf_bytes(quote))
    assert "Lycée Ampère" in text and "Ada Buyer" in text
    assert "31 rue de la Bourse" in text and "69002 Lyon" in text
    assert "19690026600015" in text and "LYC-42" in text
    # The quote is in the guest's language, the shop's default.
    with translation.override("fr"):
        assert str(SOURCED_GOODS_NOTICE)[:40] in text


def test_accepting_delivers_where_asked_and_bills_the_entity(buyer, suppliers, staff):
    company = LegalEntity.objects.create(
        user=buyer,
        name="Atelier Lumière",
        line1="8 quai Saint-Vincent",
        postcode="69001",
        city="Lyon",
        siret="73282932000074",
    )
    quote = quoted(buyer, suppliers, staff)
    order = quote_accept(
        quote_id=quote.pk,
        customer=buyer,
        payment_method="transfer",
        legal_entity_id=company.pk,
        delivery=LAB,
    )
    assert order.legal_entity == company
    address = order.shipping_address
    assert (address.line1, address.postcode, address.line4, address.country_id) == (
        "21 avenue Claude Bernard",
        "69100",
        "Villeurbanne",
        "FR",
    )
    assert order.total_incl_tax == quote.total_incl_tax
    buyer_data = order_document_data(order, kind="proforma").buyer
    assert buyer_data.entity_name == "Atelier Lumière"
    assert buyer_data.shipping_name == "Atelier Lumière"
    assert buyer_data.shipping_contact == "Laboratoire LMI"
    assert buyer_data.shipping_address[:2] == ["21 avenue Claude Bernard", "69100 Villeurbanne"]


def test_a_pickup_has_no_address_and_no_shipping(buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    assert quote.shipping_excl_tax > 0
    order = quote_accept(
        quote_id=quote.pk,
        customer=buyer,
        payment_method="transfer",
        delivery=DeliveryInput(pickup=True),
    )
    assert order.shipping_address is None
    assert order.shipping_code.startswith("pickup-")
    assert order.shipping_excl_tax == Decimal("0.00")
    assert order.total_excl_tax == quote.total_excl_tax - quote.shipping_excl_tax


def test_an_address_without_a_city_is_refused(buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    # The refusal is in the customer's language.
    with pytest.raises(ProcurementError, match=r"delivery address|adresse de livraison"):
        quote_accept(
            quote_id=quote.pk,
            customer=buyer,
            payment_method="transfer",
            delivery=DeliveryInput(line1="1 rue X", postcode="69001"),
        )
    quote.refresh_from_db()
    assert quote.order is None


def test_the_purchase_order_names_where_to_deliver(buyer, institution, suppliers, staff):
    quote = quoted(buyer, suppliers, staff, entity=institution)
    purchase_order_attach(
        quote_id=quote.pk,
        customer=buyer,
        number="BC-77",
        upload=checked("bc.pdf"),
        legal_entity_id=institution.pk,
        delivery=LAB,
    )
    quote.refresh_from_db()
    assert quote.order.legal_entity == institution
    assert quote.order.shipping_address.line4 == "Villeurbanne"


def test_the_page_asks_where_and_a_post_without_it_places_nothing(client, buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    client.force_login(buyer)
    page = client.get(reverse("procurement:detail", args=[quote.request.number])).content.decode()
    assert 'name="delivery"' in page and 'value="pickup"' in page and 'value="new"' in page
    url = reverse("procurement:accept", args=[quote.request.number])
    client.post(url, {"payment_method": "transfer"})
    quote.refresh_from_db()
    assert quote.order is None
    client.post(url, {"payment_method": "transfer", **DELIVERED})
    quote.refresh_from_db()
    assert quote.order.shipping_address.line1 == "5 rue du Laboratoire"


def test_a_saved_address_of_someone_else_cannot_be_chosen(client, buyer, other, suppliers, staff):
    from oscar.core.loading import get_model

    theirs = get_model("address", "UserAddress").objects.create(
        user=other,
        last_name="Other",
        line1="9 rue Y",
        line4="Paris",
        postcode="75001",
        country_id="FR",
    )
    quote = quoted(buyer, suppliers, staff)
    client.force_login(buyer)
    url = reverse("procurement:accept", args=[quote.request.number])
    client.post(url, {"payment_method": "transfer", "delivery": f"address-{theirs.pk}"})
    quote.refresh_from_db()
    assert quote.order is None


def test_the_request_page_says_sourced_goods_are_shipped_as_received(client):
    page = client.get(reverse("procurement:request")).content.decode()
    assert 'id="sourced-notice"' in page
    assert str(SOURCED_GOODS_NOTICE) in page
