"""Oscar's checkout views, as Comptoir changes them."""

from oscar.apps.checkout import views as oscar_views


class IndexView(oscar_views.IndexView):
    """Identify: sign in, register, or a guest's email (guarded against bots)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
