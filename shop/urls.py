from django.apps import apps
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from oscar.views.decorators import login_forbidden

from conversations import views as conversations_views
from shop import views
from shop.basket_views import BasketView
from shop.catalogue.page_cache import anonymous_page_cache, own_page_cache
from shop.catalogue.views import HomeView
from shop.customer import password_reset

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("media/<path:path>", views.public_media, name="public-media"),
    # Inbound email (replies, requests by email): django-anymail's webhooks,
    # e.g. /webhooks/email/postmark/inbound/ (README, "After-sales").
    path("webhooks/email/", include("conversations.webhook_urls")),
    path("webhooks/", include("billing.payments.webhook_urls")),
    # The fallback challenge of the bot guard (core.antibot): images drawn here.
    path("captcha/", include("captcha.urls")),
]

# French at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    # The Contact page holds a form that opens a conversation (conversations).
    path("pages/contact/", conversations_views.contact, name="contact"),
    path("pages/<slug:slug>/", views.page, name="page"),
    path("orders/", include("orders.urls")),
    path("billing/", include("billing.urls")),
    path("quotes/", include("procurement.urls")),
    path("returns/", include("returns.urls")),
    path("accounts/messages/", include("conversations.urls")),
    path("accounts/entities/", include("shop.customer.entity_urls")),
    path("admin/", admin.site.urls),
    # Oscar's basket page, cached whole for a visitor who has no session,
    # basket or messages cookie yet (it is the same empty page for all),
    # and for the others in their own entry while their basket is unchanged;
    # Oscar's own route serves the rest (its forms' POSTs).
    # (shop.basket_views: Oscar's view, answering a forged formset cleanly.)
    # Named, so that the language switch finds /en/basket/ (translate_url).
    path(
        "basket/",
        anonymous_page_cache(own_page_cache(BasketView.as_view())),
        name="basket-page",
    ),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Oscar's dashboard routes these with <str:pk> on integer keys: anything
    # but digits is a 404 here, not a ValueError (a 500; issue 12's fuzz).
    re_path(r"^dashboard/pages/(?:update|delete)/(?!\d+/$)[^/]+/$", views.not_found),
    re_path(
        r"^dashboard/catalogue/(?:attribute-option-group|option)/(?!\d+/)[^/]+/(?:update|delete)/$",
        views.not_found,
    ),
    # Oscar's password reset, behind the login lockout and a rate limit.
    path(
        "password-reset/",
        login_forbidden(password_reset.PasswordResetView.as_view()),
        name="password-reset",
    ),
    path(
        "password-reset/confirm/<str:uidb64>/<str:token>/",
        login_forbidden(password_reset.PasswordResetConfirmView.as_view()),
        name="password-reset-confirm",
    ),
    path("", include(apps.get_app_config("oscar").urls[0])),
    prefix_default_language=False,
)
