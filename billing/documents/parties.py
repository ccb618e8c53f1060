"""Who a document is made out to and where the goods go, from an order:
the billed entity (or person), the delivery party and address as printed
(addresses.py), and what each line supplies (goods or services)."""

from __future__ import annotations

import dataclasses

from django.utils.translation import gettext as _

from .addresses import entity_address_lines, postal_address_lines
from .data import Buyer, Line, Nature


def buyer_for_order(order) -> Buyer:
    """Who is billed: the order's legal entity, else the person on the
    billing address (or the shipping address, or the account); where the
    goods go: the entity (its name heads the block) to the person on the
    shipping address, or a pickup at the shop. In the active language."""
    billing = order.billing_address or order.shipping_address
    person = billing.name if billing is not None else ""
    if not person and order.user_id:
        person = order.user.get_full_name() or order.user.email
    entity = order.legal_entity
    delivery = _delivery(order, entity=entity, person=person)
    if entity is not None:
        return Buyer(
            name=person,
            entity_name=entity.name,
            siret=entity.siret,
            vat_number=entity.vat_number,
            billing_address=entity_address_lines(entity),
            email=entity.invoice_email or order.email,
            country=entity.country,
            chorus_service_code=entity.chorus_service_code,
            purchase_order_number=order.purchase_order_number,
            is_business=True,
            is_public_body=entity.is_verified_institution,
            **delivery,
        )
    return Buyer(
        name=person or order.email,
        billing_address=postal_address_lines(billing),
        email=order.email,
        country=billing.country_id if billing is not None else "FR",
        purchase_order_number=order.purchase_order_number,
        **delivery,
    )


def _delivery(order, *, entity, person: str) -> dict:
    if order.ready_for_pickup:
        return {"shipping_address": [_("Collected at the shop")]}
    shipping = order.shipping_address
    if shipping is None:
        return {}
    recipient = shipping.name
    if entity is not None:
        # The company first: a parcel to a company names it. Its own
        # address as the delivery address carries its name as the person.
        contact = recipient if recipient and recipient != entity.name else ""
        return {
            "shipping_name": entity.name,
            "shipping_contact": contact,
            "shipping_address": postal_address_lines(shipping),
        }
    return {
        "shipping_name": recipient or person,
        "shipping_address": postal_address_lines(shipping),
    }


def line_nature(product) -> str:
    """A product whose class needs no shipping is a service."""
    if product is None:
        return Nature.GOODS
    product_class = product.get_product_class()
    if product_class is not None and not product_class.requires_shipping:
        return Nature.SERVICES
    return Nature.GOODS


def with_natures(order, lines: list[Line]) -> list[Line]:
    """The document's lines with what each supplies: the order's lines come
    first, in their order; shipping and surcharges that follow are
    accessories of the goods."""
    products = [
        line.product
        for line in order.lines.select_related(
            "product__product_class", "product__parent__product_class"
        ).order_by("pk")
    ]
    natures = [line_nature(product) for product in products]
    if Nature.SERVICES not in natures or len(natures) > len(lines):
        return lines
    return [
        dataclasses.replace(line, nature=natures[index]) if index < len(natures) else line
        for index, line in enumerate(lines)
    ]
