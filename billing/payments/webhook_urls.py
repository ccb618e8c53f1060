"""Provider webhooks: outside the language prefix, no CSRF (signature checked)."""

from django.urls import path

from . import views

app_name = "webhooks"
urlpatterns = [
    path("stripe/", views.webhook, {"provider": "stripe"}, name="stripe"),
    path("paypal/", views.webhook, {"provider": "paypal"}, name="paypal"),
]
