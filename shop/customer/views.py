"""Oscar's account views; the registration forms get the request, for the
bot guard's rate limit (core.antibot)."""

from oscar.apps.customer.views import AccountAuthView as OscarAccountAuthView
from oscar.apps.customer.views import AccountRegistrationView as OscarAccountRegistrationView


class AccountAuthView(OscarAccountAuthView):
    def get_registration_form_kwargs(self, bind_data=False):
        return {**super().get_registration_form_kwargs(bind_data), "request": self.request}


class AccountRegistrationView(OscarAccountRegistrationView):
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
