"""Checkout forms."""

from oscar.apps.checkout.forms import GatewayForm as OscarGatewayForm

from shop.antibot import BotGuardMixin


class GatewayForm(BotGuardMixin, OscarGatewayForm):
    """Sign in, register or go on as a guest: guarded against bots."""

    antibot_scope = "checkout-gateway"
