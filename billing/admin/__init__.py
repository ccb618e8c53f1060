from django.template.loader import render_to_string

from core.admin import admin_extension

from . import documents, payments


def order_admin_extend() -> None:
    """Billing's part of the order's admin page (called from
    BillingConfig.ready): the payments summary in its "Payment" fieldset,
    the payments and documents inlines, the document buttons, the
    payment-method filter of the order list."""
    order_admin = admin_extension("order.Order")
    order_admin.add_field("payment", payments.order_payment_summary)
    order_admin.add_inline(payments.OrderPaymentInline)
    order_admin.add_inline(documents.DocumentInline)
    order_admin.add_tools(order_document_tools)
    order_admin.add_list_filter(payments.OrderPaymentMethodFilter)


def order_document_tools(request, order) -> str:
    """The order's document buttons, above its admin page."""
    context = {"original": order, "document_buttons": documents.order_document_buttons(order)}
    return render_to_string("billing/documents/admin/order_tools.html", context, request)
