"""The provider interface: what the pay page, the return view and the
webhook view ask of any online provider (Stripe, PayPal...).

Providers only talk to their API and translate its answers into
``ProviderPayment`` / ``ProviderWebhook``; every rule (which amount, what
is paid, what is applied once) lives in billing.payments.services.
"""

from dataclasses import dataclass, field
from decimal import Decimal


class ProviderError(Exception):
    """The provider refused or could not be reached; ``message`` is for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WebhookSignatureError(Exception):
    """The webhook's signature does not verify: answer 400, change nothing."""


@dataclass(frozen=True)
class ProviderPayment:
    """What the provider says about one payment (or refund).

    ``status`` is one of Payment.Status's values; ``message`` explains a
    failure to the customer (a declined card).
    """

    provider_id: str
    status: str
    amount: Decimal
    currency: str
    raw: dict = field(default_factory=dict)
    order_number: str = ""
    message: str = ""
    # For a refund: the provider id of the payment it gives back (a refund
    # news goes to services.refund_apply, not payment_apply).
    refund_of: str = ""
    # What the browser needs to go on (Stripe's client secret, PayPal's
    # approval link); never stored.
    client_token: str = field(default="", repr=False)


@dataclass(frozen=True)
class ProviderWebhook:
    """A verified webhook event; ``payment`` is None for events we ignore."""

    event_id: str
    type: str
    raw: dict
    payment: ProviderPayment | None = None


@dataclass
class PaymentStep:
    """What the pay page does next: render ``template`` with ``context``
    (a card form), or send the customer to ``redirect_url`` (PayPal).
    ``csp`` names the sources the step's page needs beyond the shop's
    Content-Security-Policy (Stripe.js), added to that page only."""

    template: str = ""
    context: dict = field(default_factory=dict)
    redirect_url: str = ""
    csp: dict = field(default_factory=dict)


class PaymentProvider:
    """Base class; subclasses set the class attributes and implement the methods."""

    code: str = ""  # stored in Payment.provider, in URLs and settings
    method: str = ""  # a core.payment_methods.PaymentMethod
    label = ""  # shown on the pay page's choice

    def is_configured(self) -> bool:
        """True when the keys are set, so the pay page may offer it."""
        raise NotImplementedError

    def create_payment(
        self, *, order, amount: Decimal, currency: str, idempotency_key: str
    ) -> ProviderPayment:
        """Open a payment of ``amount`` at the provider (not yet charged)."""
        raise NotImplementedError

    def fetch_payment(self, *, provider_id: str) -> ProviderPayment:
        """The payment as the provider has it now."""
        raise NotImplementedError

    def cancel_payment(self, *, provider_id: str) -> None:
        """Void an open payment that is no longer wanted (the amount changed)."""
        raise NotImplementedError

    def begin(self, *, request, order, payment, current: ProviderPayment) -> PaymentStep:
        """The customer's next step for the open ``payment`` (our row)."""
        raise NotImplementedError

    def provider_id_from_return(self, params) -> str:
        """Which payment the customer comes back from (query parameters)."""
        raise NotImplementedError

    def finalise(self, *, payment) -> ProviderPayment:
        """On the customer's return: the final word (Stripe retrieves, PayPal captures)."""
        return self.fetch_payment(provider_id=payment.provider_id)

    def parse_webhook(self, *, body: bytes, headers) -> ProviderWebhook:
        """Verify the raw body's signature (else WebhookSignatureError) and parse it."""
        raise NotImplementedError

    def refund(self, *, payment, amount: Decimal, idempotency_key: str) -> ProviderPayment:
        """Give back ``amount`` of a succeeded payment; the refund's own id and status."""
        raise NotImplementedError
