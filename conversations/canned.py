"""Canned replies for the frequent cases: staff pick one in the inbox and
edit it before sending; written in the customer's language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from billing.documents.selectors import order_has_invoice

CANNED_REPLIES = {
    "duplicate-invoice": (
        _("Duplicate invoice"),
        _(
            "Hello,\n\nYour invoice for order %(order)s is in your account at any time: "
            "Order history, then the order, then “Documents”. If you need it addressed "
            "to another organisation or with a purchase order number, reply to this email "
            "with the details and we send you a corrected copy.\n\nBest regards,\n"
            "Customer service"
        ),
    ),
    "where-is-my-parcel": (
        _("Where is my parcel?"),
        _(
            "Hello,\n\nYour order %(order)s has left our warehouse: the carrier's tracking "
            "link is in the shipping email and on the order page in your account. Parcels "
            "arrive within 2 to 3 working days. If nothing has arrived by then, reply to "
            "this email and we open an enquiry with the carrier at once.\n\nBest regards,\n"
            "Customer service"
        ),
    ),
    "how-to-return": (
        _("How to return an item"),
        _(
            "Hello,\n\nYou can ask for a return from the order page in your account, within "
            "14 days of delivery: choose the items, the quantities and the reason. Once we "
            "accept it, you get a return number and a return slip. Send the goods in their "
            "original packaging with all their accessories, by a tracked carrier, and keep "
            "the waybill until we confirm receipt.\n\nBest regards,\nCustomer service"
        ),
    ),
}


# "Duplicate invoice" for an order whose invoice is not issued yet: promise
# nothing that is not there (canned_text picks it).
NO_INVOICE_YET = {
    "duplicate-invoice": _(
        "Hello,\n\nOrder %(order)s has no invoice yet: it is issued when the order "
        "ships, emailed to you, and then kept in your account (Order history, then the "
        "order, then “Documents”). If you need it addressed to another organisation or "
        "with a purchase order number, reply to this email with the details before it "
        "ships.\n\nBest regards,\nCustomer service"
    ),
}


def canned_choices():
    return [("", "—")] + [(key, label) for key, (label, _text) in CANNED_REPLIES.items()]


def canned_text(key: str, *, conversation) -> str:
    """The reply ``key`` in the conversation's language, with its order's number."""
    _label, text = CANNED_REPLIES[key]
    order = conversation.order.number if conversation.order_id else "—"
    if key in NO_INVOICE_YET and not (
        conversation.order_id and order_has_invoice(conversation.order)
    ):
        text = NO_INVOICE_YET[key]
    with translation.override(conversation.language or settings.LANGUAGE_CODE):
        return str(text) % {"order": order}
