"""What the customer chose at the billing and payment step, kept in
Oscar's checkout session beside the addresses and delivery method."""

from core.payment_methods import payment_method_label

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
        return payment_method_label(self.payment_method)

    @property
    def purchase_order_number(self) -> str:
        return self._get("purchase_order_number", "")

    @property
    def seen_availability(self) -> dict[str, int | None]:
        """Units available per basket line (its id, as a string) when the
        customer last saw the review page."""
        return self._get("seen_availability", {}) or {}

    def save_seen_availability(self, basket) -> None:
        """What the review page shows: the reservation compares with this
        (not with the stock at placing), so losing a race to another buyer
        between review and placing asks the customer to confirm."""
        self.session._set(
            NAMESPACE,
            "seen_availability",
            {
                str(line.pk): getattr(line.purchase_info.availability, "num_available", None)
                for line in basket.all_lines()
            },
        )

    def save(self, *, legal_entity_id, payment_method, purchase_order_number) -> None:
        self.session._set(NAMESPACE, "legal_entity_id", legal_entity_id)
        self.session._set(NAMESPACE, "payment_method", payment_method)
        self.session._set(NAMESPACE, "purchase_order_number", purchase_order_number)
