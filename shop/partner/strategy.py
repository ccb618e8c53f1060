"""How Comptoir prices and stocks a product: French VAT by product class, and
products out of stock still for sale "to order"."""

from decimal import Decimal

from django.conf import settings
from oscar.apps.partner.strategy import *  # noqa: F403
from oscar.apps.partner.strategy import FixedRateTax, Structured, UseFirstStockRecord

from .availability import StockOrToOrder, Unavailable


def vat_rate_for(product) -> Decimal:
    """The VAT rate of a product, from its product class (standard rate by default)."""
    product_class = product.get_product_class()
    slug = product_class.slug if product_class else ""
    rate = settings.COMPTOIR_VAT_RATES.get(slug, settings.COMPTOIR_VAT_STANDARD_RATE)
    return Decimal(rate)


class ProductClassVAT(FixedRateTax):
    exponent = Decimal("0.01")

    def get_rate(self, product, stockrecord):
        return vat_rate_for(product)


class SourcedOnDemand:
    def availability_policy(self, product, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return Unavailable()
        return StockOrToOrder(
            stockrecord.net_stock_level,
            lead_time_days=stockrecord.lead_time_days,
            low_threshold=stockrecord.low_stock_threshold,
        )

    def parent_availability_policy(self, product, children_stock):
        for child, stockrecord in children_stock:
            policy = self.availability_policy(child, stockrecord)
            if policy.is_available_to_buy:
                return policy
        return Unavailable()


class FrenchReseller(UseFirstStockRecord, SourcedOnDemand, ProductClassVAT, Structured):
    def fetch_for_line(self, line, stockrecord=None):
        """A basket line's own stock record, loaded with the line: Oscar
        queries the product's records again for every line."""
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return FrenchReseller(request)
