"""Oscar's password reset views, guarded against guessing and flooding.

- An IP that django-axes locked out (too many wrong passwords) sees the
  lockout page here too.
- At most ``COMPTOIR_PASSWORD_RESET_RATES`` emails per address and per IP;
  beyond, the same "email sent" page and nothing sent, so the page never
  tells whether an account exists, nor lets anyone flood a mailbox.
- Setting a new password from the emailed link proves the account is the
  person's: it clears the account's failed logins (its lockout).
"""

from axes.decorators import axes_dispatch
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django_ratelimit.core import is_ratelimited
from oscar.core.loading import get_class

from core.antibot import client_ip
from core.lockout import login_name

PasswordResetForm = get_class("customer.forms", "PasswordResetForm")


def _over_limit(request, *, email: str) -> bool:
    rates = settings.COMPTOIR_PASSWORD_RESET_RATES
    by_email = is_ratelimited(
        request,
        group="password-reset:email",
        key=lambda _group, _request: email.strip().lower(),
        rate=rates["email"],
        increment=True,
    )
    by_ip = is_ratelimited(
        request,
        group="password-reset:ip",
        key=lambda _group, request: client_ip(request),
        rate=rates["ip"],
        increment=True,
    )
    return by_email or by_ip


@method_decorator(axes_dispatch, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("password-reset-done")
    template_name = "oscar/registration/password_reset_form.html"

    def form_valid(self, form):
        if _over_limit(self.request, email=form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password-reset-complete")
    template_name = "oscar/registration/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        typed = (user.get_username(), user.email)
        for name in {login_name(self.request, {"username": value}) for value in typed} - {None}:
            axes_reset(username=name)
        return response
