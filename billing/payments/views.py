"""The pay page, the return from the provider, and the provider webhooks.

Thin: who may see the order (selectors), what to do (services), how the
provider talks (providers); here only messages and redirects.
"""

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.templatetags.currency_filters import currency

from billing.models import Payment
from core.headers import csp_allow
from core.payment_methods import PaymentMethod
from orders.selectors import order_path
from orders.services.transitions import CUSTOMER

from . import services
from .exceptions import PaymentError
from .methods import payment_method_refusal
from .providers import (
    ProviderError,
    WebhookSignatureError,
    available_providers,
    get_provider,
)
from .selectors import order_balance, order_for_payer, order_is_payable, order_payments

logger = logging.getLogger(__name__)
Status = Payment.Status


def _provider(code, *, configured=True):
    try:
        return get_provider(code, configured=configured)
    except LookupError:
        raise Http404 from None


def _pay_url(order, request, name="billing:pay", **kwargs) -> str:
    """The same page again, keeping a guest's signed ``h``."""
    url = reverse(name, kwargs={"number": order.number, **kwargs})
    if request.GET.get("h"):
        url += "?h=" + request.GET["h"]
    return url


def _choose_url(order, request) -> str:
    url = _pay_url(order, request)
    return url + ("&" if "?" in url else "?") + "choose=1"


@never_cache
def pay(request, number):
    """What the order owes and how to pay it; straight to the card form when
    the order was placed for card and the card is offered."""
    order = order_for_payer(request, number)
    method = PaymentMethod.of(order.payment_method)
    payable = order_is_payable(order)
    providers = available_providers()
    if payable and not request.GET.get("choose"):
        chosen = [p for p in providers if p.method == order.payment_method]
        if len(chosen) == 1:
            return redirect(_pay_url(order, request, "billing:pay-with", provider=chosen[0].code))
    return render(
        request,
        "billing/payments/pay.html",
        {
            "order": order,
            "payable": payable,
            "balance": order_balance(order),
            "payments": order_payments(order),
            "providers": [
                (p, _pay_url(order, request, "billing:pay-with", provider=p.code))
                for p in providers
            ],
            "order_url": order_path(order),
            # An order on deferred terms is never "paid now": its terms instead.
            "deferred_terms": method.help if method and method.is_deferred else "",
        },
    )


@never_cache
def pay_with(request, number, provider):
    """Open (or reuse) the provider payment and show its step (the card form)."""
    order = order_for_payer(request, number)
    provider = _provider(provider)
    refusal = payment_method_refusal(code=provider.method, order=order)
    if refusal is not None:
        messages.info(request, refusal)
        return redirect(_choose_url(order, request))
    if not order_is_payable(order):
        messages.info(request, _("This order has nothing left to pay online."))
        return redirect(_choose_url(order, request))
    try:
        started = services.payment_start(order_id=order.pk, provider=provider)
    except (PaymentError, ProviderError) as exc:
        messages.error(request, exc.message)
        return redirect(_choose_url(order, request))
    if started.current.status == Status.SUCCEEDED:
        return _after_payment(request, order, started.payment)
    step = provider.begin(
        request=request, order=order, payment=started.payment, current=started.current
    )
    if step.redirect_url:
        return redirect(step.redirect_url)
    response = render(
        request,
        step.template,
        {
            **step.context,
            "order": order,
            "payment": started.payment,
            "provider": provider,
            "choose_url": _choose_url(order, request),
            "order_url": order_path(order),
        },
    )
    csp_allow(response, step.csp)  # Stripe.js on this page only
    return response


@never_cache
def pay_return(request, number, provider):
    """The customer is back from the provider: ask it, apply what it says."""
    order = order_for_payer(request, number)
    provider = _provider(provider)
    payment = Payment.objects.filter(
        order=order,
        provider=provider.code,
        kind=Payment.Kind.PAYMENT,
        provider_id=provider.provider_id_from_return(request.GET) or None,
    ).first()
    if payment is None:
        messages.error(request, _("We could not find this payment. Nothing was charged."))
        return redirect(_choose_url(order, request))
    try:
        reported = provider.finalise(payment=payment)
    except ProviderError as exc:
        messages.error(request, exc.message)
        return redirect(_choose_url(order, request))
    user = request.user if request.user.is_authenticated else None
    payment = services.payment_apply(
        provider=provider.code, reported=reported, by=user, source=CUSTOMER
    )
    if payment.status == Status.SUCCEEDED or payment.flag == Payment.Flag.AMOUNT_MISMATCH:
        return _after_payment(request, order, payment)
    if reported.status == Status.FAILED:
        # The card form shows the provider's reason (last_error) itself.
        return redirect(_pay_url(order, request, "billing:pay-with", provider=provider.code))
    if reported.status == Status.CANCELLED:
        messages.error(request, _("This payment was cancelled. Nothing was charged."))
        return redirect(_choose_url(order, request))
    messages.info(
        request,
        _("Your payment is being processed: we will email you once it is confirmed."),
    )
    return redirect(order_path(order))


def _after_payment(request, order, payment):
    """The money went through at the provider: thank, or say it is checked."""
    if payment.flag == Payment.Flag.AMOUNT_MISMATCH:
        messages.warning(
            request,
            _(
                "The amount paid differs from what your order owes: we are checking it "
                "and will contact you. Your order is not marked as paid yet."
            ),
        )
    else:
        messages.success(
            request,
            _("Thank you: your payment of %(amount)s is received.")
            % {"amount": currency(payment.amount, payment.currency)},
        )
    return redirect(order_path(order))


@csrf_exempt
@require_POST
def webhook(request, provider):
    """A provider's event: verified on the raw body, applied once."""
    provider = _provider(provider, configured=False)
    try:
        event = provider.parse_webhook(body=request.body, headers=request.headers)
    except WebhookSignatureError as exc:
        logger.warning("%s webhook refused: %s", provider.code, exc)
        return HttpResponseBadRequest("invalid signature")
    services.webhook_receive(provider=provider.code, webhook=event)
    return HttpResponse("ok")
