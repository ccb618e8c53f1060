"""The customer's returns and claims: "My returns", asking for a return
from a delivered order, its page (thread, slip, tracking, deadline), and
reporting a damaged or missing delivery. Thin: selectors read, services
write; another customer's order or return is a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from orders.selectors import order_for_customer, order_path

from . import selectors as sel
from .exceptions import ReturnError
from .forms import BankDetailsForm, ClaimForm, TrackingForm
from .services import claims, slip
from .services import returns as services
from .statuses import SLIP_STATES, ReturnReason


@login_required
def return_list(request):
    return render(
        request,
        "returns/return_list.html",
        {
            "page_title": _("My returns"),
            "active_tab": "returns",
            "returns": sel.returns_for_customer(request.user),
            "return_days": settings.COMPTOIR_RETURN_DAYS,
            "refund_days": settings.COMPTOIR_REFUND_BUSINESS_DAYS,
            "claims": sel.claims_for_customer(request.user),
        },
    )


def _wanted(request, items) -> list[tuple[int, int, str]]:
    wanted = []
    for item in items:
        raw = request.POST.get(f"qty-{item.line.pk}", "0").strip()
        units = int(raw) if raw.isdecimal() and raw.isascii() and len(raw) < 6 else -1
        if units == 0:
            continue
        wanted.append((item.line.pk, units, request.POST.get(f"reason-{item.line.pk}", "")))
    return wanted


@login_required
def return_create(request, order_number):
    order = order_for_customer(request, order_number)
    refusal = sel.order_return_refusal(order)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(order_path(order))
    items = sel.returnable_lines(order)
    error = None
    if request.method == "POST":
        try:
            ret = services.return_request(
                order_id=order.pk,
                customer=request.user,
                lines=_wanted(request, items),
                comment=request.POST.get("comment", "")[:4000],
            )
        except ReturnError as exc:
            error = exc.message
        else:
            messages.success(
                request, _("Your return request is sent: we answer within two business days.")
            )
            return redirect("returns:detail", pk=ret.pk)
    return render(
        request,
        "returns/return_form.html",
        {
            "page_title": _("Return items of order %(number)s") % {"number": order.number},
            "active_tab": "returns",
            "order": order,
            "items": items,
            "reasons": ReturnReason.choices,
            "window_end": sel.return_window_end(order),
            "error": error,
            "posted": request.POST,
        },
    )


@login_required
def return_detail(request, pk):
    ret = sel.return_for_customer(request.user, pk)
    tracking_form = TrackingForm(
        initial={"carrier": ret.carrier, "tracking_number": ret.tracking_number}
    )
    bank_form = BankDetailsForm(
        initial={"holder": ret.account_holder, "iban": ret.iban, "bic": ret.bic}
    )
    if request.method == "POST":
        action = request.POST.get("action")
        form = TrackingForm(request.POST) if action == "tracking" else BankDetailsForm(request.POST)
        if form.is_valid():
            try:
                if action == "tracking":
                    services.return_ship(
                        return_id=ret.pk,
                        customer=request.user,
                        carrier=form.cleaned_data["carrier"],
                        tracking_number=form.cleaned_data["tracking_number"],
                    )
                    messages.success(request, _("Thank you: we will watch for your parcel."))
                else:
                    services.return_bank_details(
                        return_id=ret.pk,
                        customer=request.user,
                        holder=form.cleaned_data["holder"],
                        iban=form.cleaned_data["iban"],
                        bic=form.cleaned_data["bic"],
                    )
                    messages.success(request, _("Your bank details are saved for the refund."))
            except ReturnError as exc:
                messages.error(request, exc.message)
            else:
                return redirect("returns:detail", pk=ret.pk)
        if action == "tracking":
            tracking_form = form
        else:
            bank_form = form
    return render(
        request,
        "returns/return_detail.html",
        {
            "page_title": str(ret),
            "active_tab": "returns",
            "ret": ret,
            "lines": ret.lines.select_related("line"),
            "moves": ret.transitions.all(),
            "deadline": sel.return_refund_deadline(ret),
            "refund_days": settings.COMPTOIR_REFUND_BUSINESS_DAYS,
            "has_slip": ret.status in SLIP_STATES,
            "tracking_form": tracking_form if ret.status in SLIP_STATES else None,
            "bank_form": bank_form
            if sel.refund_needs_bank_details(ret.order)
            and ret.status not in ("refunded", "refused", "rejected", "exchanged")
            else None,
        },
    )


@never_cache
@login_required
def return_slip(request, pk):
    ret = sel.return_for_customer(request.user, pk)
    if ret.number is None:
        return redirect("returns:detail", pk=ret.pk)
    response = HttpResponse(slip.return_slip_pdf(ret), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{ret.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def claim_create(request, order_number):
    order = order_for_customer(request, order_number)
    refusal = sel.order_claim_refusal(order)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect(order_path(order))
    form = ClaimForm(request.POST or None, request.FILES or None)
    items = sel.returnable_lines(order)
    error = None
    chosen = {line_id: units for line_id, units, _r in _wanted(request, items)}
    if request.method == "POST" and form.is_valid():
        try:
            claim = claims.claim_open(
                order_id=order.pk,
                customer=request.user,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                lines=list(chosen.items()),
                photos=request.FILES.getlist("photos"),
            )
        except ReturnError as exc:
            error = exc.message
        else:
            messages.success(request, _("Your claim is sent: we answer within one business day."))
            return redirect("returns:claim", pk=claim.pk)
    return render(
        request,
        "returns/claim_form.html",
        {
            "page_title": _("Report a delivery problem on order %(number)s")
            % {"number": order.number},
            "active_tab": "returns",
            "order": order,
            "form": form,
            # The units chosen stay chosen after an error (a missing photo...).
            "rows": [(item, chosen.get(item.line.pk, 0)) for item in items],
            "error": error,
            "window_end": sel.claim_window_end(order),
        },
    )


@login_required
def claim_detail(request, pk):
    claim = sel.claim_for_customer(request.user, pk)
    return render(
        request,
        "returns/claim_detail.html",
        {
            "page_title": str(claim),
            "active_tab": "returns",
            "claim": claim,
            "lines": claim.lines.select_related("line"),
        },
    )
