"""PayPal through its Server SDK (``paypal-server-sdk``, Orders v2).

``sdk`` wires the SDK (base URL, shared token, errors), ``answers`` reads
PayPal's answers, ``webhooks`` verifies and reads its webhooks, ``provider``
is the PaymentProvider the pay page uses.
"""

from .provider import PayPalProvider

__all__ = ["PayPalProvider"]
