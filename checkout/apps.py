from oscar.apps.checkout import apps


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, forked: the guest form is guarded against bots,
    billing address and payment method steps, the review with the terms of
    sale, and placing an order exactly once."""

    name = "checkout"

    def ready(self):
        super().ready()
        from .analytics import replace_oscar_receiver

        replace_oscar_receiver()
