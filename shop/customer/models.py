from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField


class CustomerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # Owns the customer's orders once they are in progress.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personal manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_customers",
        limit_choices_to={"is_staff": True},
    )
    mobile = PhoneNumberField(_("mobile number"), blank=True)
    sms_opt_in = models.BooleanField(_("agrees to order updates by SMS"), default=False)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self):
        return str(self.user)

    @property
    def sms_number(self) -> str:
        """Where SMS may be sent: only with the customer's consent."""
        return str(self.mobile) if self.sms_opt_in and self.mobile else ""


from oscar.apps.customer.models import *  # noqa: E402,F403
