"""How Comptoir prices and stocks a product: French VAT by product class, and
products out of stock still for sale "to order"."""

from oscar.apps.partner.prices import FixedPrice, TaxInclusiveFixedPrice
from oscar.apps.partner.prices import Unavailable as UnavailablePrice
from oscar.apps.partner.strategy import *  # noqa: F403
from oscar.apps.partner.strategy import FixedRateTax, Structured, UseFirstStockRecord

from core.money import display_gross

from .availability import StockOrToOrder, Unavailable
from .vat import rate_code, vat_rate_for


class ProductClassVAT(FixedRateTax):
    """Prices held excl. VAT; the unit price incl. VAT is for display
    (core.money.display_gross, half-up), and the price carries its rate as
    ``tax_code`` so that the basket and order lines record it."""

    def get_rate(self, product, stockrecord):
        return vat_rate_for(product)

    def _price(self, price_class, product, stockrecord):
        rate = self.get_rate(product, stockrecord)
        net = stockrecord.price
        return price_class(
            currency=stockrecord.price_currency,
            excl_tax=net,
            tax=display_gross(net, rate) - net,
            tax_code=rate_code(rate),
        )

    def pricing_policy(self, product, stockrecord):
        if not stockrecord or stockrecord.price is None:
            return UnavailablePrice()
        return self._price(TaxInclusiveFixedPrice, product, stockrecord)

    def parent_pricing_policy(self, product, children_stock):
        stockrecords = [record for _child, record in children_stock if record is not None]
        if not stockrecords:
            return UnavailablePrice()
        return self._price(FixedPrice, product, stockrecords[0])


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
    def __init__(self, request=None):
        # Prices and stock are the same for every customer, so the strategy
        # never reads the user: Oscar's would load it (a query) on every
        # request, cached pages included (shop/catalogue/page_cache.py).
        self.request = request
        self.user = None

    def fetch_for_line(self, line, stockrecord=None):
        """A basket line's own stock record, loaded with the line: Oscar
        queries the product's records again for every line."""
        return self.fetch_for_product(line.product, stockrecord or line.stockrecord)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return FrenchReseller(request)
