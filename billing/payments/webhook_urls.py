"""Provider webhooks: outside the language prefix, no CSRF (signature checked)."""

app_name = "webhooks"
urlpatterns = []
