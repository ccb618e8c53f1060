from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Payment providers, payments and refunds, and the business documents."""

    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from billing import checks  # noqa: F401
        from billing.admin import order_admin_extend
        from billing.documents import emails, receivers  # noqa: F401 (outbox renderer)
        from billing.payments import checks as payment_checks  # noqa: F401

        # The order's admin page shows billing's parts through core.admin's
        # extension point: orders' admin does not import billing's.
        order_admin_extend()

        # The footer lists the payment methods on offer: cached pages vary by
        # the providers configured.
        from billing.payments.providers import available_providers
        from shop.catalogue.page_cache import page_shell_variant_register

        page_shell_variant_register(
            lambda: ",".join(provider.code for provider in available_providers())
        )
