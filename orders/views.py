"""What a customer does to their own order: confirm, cancel, change."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from .exceptions import OrderError
from .selectors import EDIT, order_customer_refusal, order_for_customer, order_path
from .services import editing
from .services import transitions as t

Product = get_model("catalogue", "Product")


def _order(request, number):
    return order_for_customer(request, number, guest_hash=request.GET.get("h", ""))


def _done(request, order, success):
    messages.success(request, success)
    return redirect(order_path(order))


@require_POST
def order_confirm(request, number):
    order = _order(request, number)
    try:
        t.order_confirm(order_id=order.pk, by=_user(request), source=t.CUSTOMER)
    except OrderError as exc:
        messages.error(request, exc.message)
        return redirect(order_path(order))
    return _done(request, order, _("Thank you: your order is confirmed."))


@require_POST
def order_cancel(request, number):
    order = _order(request, number)
    reason = request.POST.get("reason", "").strip()[:500]
    try:
        t.order_cancel(order_id=order.pk, by=_user(request), source=t.CUSTOMER, note=reason)
    except OrderError as exc:
        messages.error(request, exc.message)
        return redirect(order_path(order))
    return _done(request, order, _("Your order is cancelled."))


class AddProductForm(forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Add a product (part number or our reference)"),
        max_length=64,
        required=False,
    )
    # Only read when a reference is given: changing quantities alone must
    # not trip over an empty "add" quantity.
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity"),
        min_value=1,
        max_value=editing.MAX_QUANTITY,
        initial=1,
        required=False,
    )

    def clean(self):
        data = super().clean()
        reference = data.get("reference", "").strip()
        data["quantity"] = data.get("quantity") or 1
        data["product"] = None
        if reference:
            data["product"] = (
                Product.objects.filter(is_public=True, parent=None)
                .filter(mpn__iexact=reference)
                .first()
                or Product.objects.filter(
                    is_public=True, parent=None, upc__iexact=reference
                ).first()
            )
            if data["product"] is None:
                raise forms.ValidationError(_("No product has this reference."))
        return data


def order_edit(request, number):
    order = _order(request, number)
    lines = list(order.lines.order_by("pk"))
    refusal = order_customer_refusal(order, EDIT)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(order_path(order))
    add_form = AddProductForm(request.POST or None)
    errors = []
    if request.method == "POST":
        quantities = {}
        for line in lines:
            raw = request.POST.get(f"line-{line.pk}", str(line.quantity))
            if not raw.isdecimal() or not raw.isascii():
                errors.append(
                    _("“%(title)s”: the quantity must be a whole number.") % {"title": line.title}
                )
                continue
            if int(raw) != line.quantity:
                quantities[line.pk] = int(raw)
        if add_form.is_valid() and not errors:
            product = add_form.cleaned_data["product"]
            additions = [(product.pk, add_form.cleaned_data["quantity"])] if product else []
            try:
                editing.order_edit(
                    order_id=order.pk,
                    by=_user(request),
                    quantities=quantities,
                    additions=additions,
                )
            except OrderError as exc:
                errors.append(exc.message)
            else:
                return _done(
                    request, order, _("Your changes are saved and the stock checked again.")
                )
    return render(
        request,
        "orders/order_edit.html",
        {"order": order, "lines": lines, "add_form": add_form, "errors": errors},
    )


def _user(request):
    return request.user if request.user.is_authenticated else None
