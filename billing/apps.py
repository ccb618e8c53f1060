from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Payment providers, payments and refunds, and the business documents."""

    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from billing import checks  # noqa: F401
        from billing.documents import emails, receivers  # noqa: F401 (outbox renderer)
        from billing.payments import checks as payment_checks  # noqa: F401
