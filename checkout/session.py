"""What the customer chose at the billing and payment step, kept in
Oscar's checkout session beside the addresses and delivery method."""

from .methods import method_label

NAMESPACE = "comptoir"


class CheckoutChoices:
    def __init__(self, checkout_session):
        self.session = checkout_session

    def _get(self, key, default=None):
        return self.session._get(NAMESPACE, key, default)

    @property
    def legal_entity_id(self) -> int | None:
        return self._get("legal_entity_id")

    @property
    def payment_method(self) -> str:
        return self._get("payment_method", "")

    @property
    def payment_method_label(self) -> str:
        return method_label(self.payment_method) if self.payment_method else ""

    @property
    def purchase_order_number(self) -> str:
        return self._get("purchase_order_number", "")

    def save(self, *, legal_entity_id, payment_method, purchase_order_number) -> None:
        self.session._set(NAMESPACE, "legal_entity_id", legal_entity_id)
        self.session._set(NAMESPACE, "payment_method", payment_method)
        self.session._set(NAMESPACE, "purchase_order_number", purchase_order_number)
