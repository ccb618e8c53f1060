"""Settings shared by every environment, read from the environment.

The embedded default (no variables set) runs on SQLite, a file cache and a
filesystem Celery broker, so a first look needs no server at all.
"""

from pathlib import Path
from urllib.parse import urlparse

import environ
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
# A local .env fills in what the environment leaves unset (COMPTOIR_ENV_FILE
# names another file, or a missing one to read none).
environ.Env.read_env(env.str("COMPTOIR_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)
# Everything the embedded default writes (database, media, queues) lives here.
VAR_DIR = Path(env("COMPTOIR_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env("SECRET_KEY", default="django-insecure-comptoir-dev-only-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ---------------------------------------------------------

# Oscar apps we fork replace Oscar's own in place (same label).
FORKED_OSCAR_APPS = {
    "oscar.apps.catalogue.apps.CatalogueConfig": "shop.catalogue.apps.CatalogueConfig",
    "oscar.apps.partner.apps.PartnerConfig": "shop.partner.apps.PartnerConfig",
    "oscar.apps.search.apps.SearchConfig": "shop.search.apps.SearchConfig",
    "oscar.apps.order.apps.OrderConfig": "orders.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig": "shop.customer.apps.CustomerConfig",
    "oscar.apps.communication.apps.CommunicationConfig": (
        "shop.communication.apps.CommunicationConfig"
    ),
    "oscar.apps.checkout.apps.CheckoutConfig": "checkout.apps.CheckoutConfig",
    "oscar.apps.shipping.apps.ShippingConfig": "shop.shipping.apps.ShippingConfig",
}
OSCAR_APPS = [
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "core.apps.CoreConfig",
    "shop.apps.ShopConfig",
    *[FORKED_OSCAR_APPS.get(app, app) for app in OSCAR_APPS],
    "procurement.apps.ProcurementConfig",
    "conversations.apps.ConversationsConfig",
    "billing.apps.BillingConfig",
    "returns.apps.ReturnsConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.basket_middleware.BasketMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "shop.context_processors.shop",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'comptoir.sqlite3'}")}
# Persistent connections: without them every request pays a new PostgreSQL
# connection, which cuts throughput about tenfold (see bench/README.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction mode (bench/README.md, "PgBouncer"), each
# transaction may run on another server connection: nothing may outlive a
# transaction. The shop keeps no session state (no advisory lock, LISTEN,
# SET or temporary table; row locks live in their transaction; psycopg 3
# prepares nothing, Django sets prepare_threshold to None), but QuerySet
# .iterator() opens a server-side cursor (a named cursor) outside one.
DATABASE_TRANSACTION_POOLING = env.bool("DATABASE_TRANSACTION_POOLING", default=False)
if DATABASE_TRANSACTION_POOLING:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite makes the file, not its folder: a fresh checkout has no var/.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # Writers take the lock when the transaction starts, so row-lock
        # based code (stock reservation) behaves on SQLite as on PostgreSQL.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = env("REDIS_URL", default="")
# The cache may have a Redis of its own, run with maxmemory and allkeys-lru
# (docker-compose.yml's "cache"): any key of it may be evicted, which the
# Celery broker's queues must never be.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default=REDIS_URL)

if REDIS_CACHE_URL:
    # Redis down or slow: the shop renders without its cache (core/cache.py),
    # waiting at most these timeouts.
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "comptoir",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    # A file cache is shared by the web process and the worker, so an
    # invalidation made by one is seen by the other.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Django's cached_db, an existing session saved in one UPDATE (core.sessions).
SESSION_ENGINE = "core.sessions"

# --- Celery -------------------------------------------------------------------

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env(
    "CELERY_RESULT_BACKEND", default=REDIS_URL or f"file://{VAR_DIR / 'celery' / 'results'}"
)
# A web request that queues a task must not hang while the broker is down:
# give up within a second; the outbox and beat catch up (DESIGN.md rule 6).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
if CELERY_BROKER_URL == "filesystem://":
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
# The jobs and their times: shop/beat.py (the Celery app reads it).
HOUSEKEEPING_INTERVAL = env.float("HOUSEKEEPING_INTERVAL", default=3600.0)

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# English dates day-first with a month name and 24 h (shop/formats/en).
FORMAT_MODULE_PATH = ["shop.formats"]

# --- Files ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Email ----------------------------------------------------------------------

# ANYMAIL_ESP names an anymail provider ("postmark", "brevo", "mailgun"...);
# its keys come from the environment as ANYMAIL_<SETTING> (see README).
ANYMAIL_ESP = env("ANYMAIL_ESP", default="console")
EMAIL_BACKEND = env("EMAIL_BACKEND", default=f"anymail.backends.{ANYMAIL_ESP}.EmailBackend")
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_") and key != "ANYMAIL_ESP"
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Comptoir <boutique@comptoir.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Authentication ---------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# URL names, reversed in the visitor's language (/ or /en/).
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Oscar ------------------------------------------------------------------------

OSCAR_SHOP_NAME = "Comptoir"
OSCAR_SHOP_TAGLINE = _("Electronic parts and lab supplies")
OSCAR_DEFAULT_CURRENCY = "EUR"
OSCAR_HOMEPAGE = reverse_lazy("home")
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = True
# Stock changes in bulk (reservations) send no signal: a beat job sends the
# back-in-stock alerts instead (shop/alerts.py).
OSCAR_EAGER_ALERTS = False
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "postcode", "country")
# orders.statuses.OrderStatus.NEW (settings import no app code; a test
# holds the two equal).
OSCAR_INITIAL_ORDER_STATUS = "new"
OSCAR_INITIAL_LINE_STATUS = ""
# Oscar's pipeline (OSCAR_ORDER_STATUS_PIPELINE) is set on orders.models.Order
# itself: its dashboard may list the states but move none.
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
# Search is ours (shop.search); nothing to index on save.
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"
# Where sorl remembers the thumbnails it made: Redis, or a file; never the
# database, so a product grid costs no query per picture.
if REDIS_URL:
    _redis = urlparse(REDIS_URL)
    THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.redis_kvstore.KVStore"
    THUMBNAIL_REDIS_HOST = _redis.hostname or "127.0.0.1"
    THUMBNAIL_REDIS_PORT = _redis.port or 6379
    THUMBNAIL_REDIS_DB = int(_redis.path.strip("/") or 0)
    THUMBNAIL_REDIS_PASSWORD = _redis.password or ""
else:
    THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.dbm_kvstore.KVStore"
    THUMBNAIL_DBM_FILE = str(VAR_DIR / "thumbnail-kvstore")

# --- Comptoir ---------------------------------------------------------------------

# VAT by product class slug; anything not listed pays the standard rate.
COMPTOIR_VAT_STANDARD_RATE = env("COMPTOIR_VAT_STANDARD_RATE", default="0.20")
COMPTOIR_VAT_RATES = {"books": "0.055"}
# Stock at or below this shows "low stock" when the record sets no threshold.
COMPTOIR_LOW_STOCK_THRESHOLD = 5
COMPTOIR_DEFAULT_LEAD_TIME_DAYS = 10
COMPTOIR_BASKET_STALE_DAYS = env.int("COMPTOIR_BASKET_STALE_DAYS", default=30)
COMPTOIR_CATALOGUE_CACHE_SECONDS = env.int("COMPTOIR_CATALOGUE_CACHE_SECONDS", default=600)
# A stale page is rebuilt by one request while the others get the previous
# copy for at most this long (shop/catalogue/page_cache.py).
COMPTOIR_CACHE_STALE_SECONDS = env.int("COMPTOIR_CACHE_STALE_SECONDS", default=10)
# How far apart the clocks of the web and worker processes may be (cache tags
# are times: shop/catalogue/cache.py). 0 on one machine; with web or worker
# processes on several, their NTP skew (e.g. 0.05).
COMPTOIR_CACHE_CLOCK_MARGIN = env.float("COMPTOIR_CACHE_CLOCK_MARGIN", default=0.0)
# How many cached entries (pages, visitors' headers) each process keeps a
# copy of, checked against their tags at each use: a page is about 50 kB.
COMPTOIR_CACHE_LOCAL_ENTRIES = env.int("COMPTOIR_CACHE_LOCAL_ENTRIES", default=400)
COMPTOIR_TERMS_VERSION = "2026-11"

# Order lifecycle (DESIGN.md): stock held 3 days; bank transfers reminded
# after 5 days and cancelled after 7.
COMPTOIR_RESERVATION_DAYS = env.int("COMPTOIR_RESERVATION_DAYS", default=3)
COMPTOIR_TRANSFER_REMINDER_DAYS = env.int("COMPTOIR_TRANSFER_REMINDER_DAYS", default=5)
COMPTOIR_TRANSFER_CANCEL_DAYS = env.int("COMPTOIR_TRANSFER_CANCEL_DAYS", default=7)
# Owns orders in progress when the customer's account names no manager.
COMPTOIR_DEFAULT_MANAGER_USERNAME = env("COMPTOIR_DEFAULT_MANAGER_USERNAME", default="")
COMPTOIR_SMS_BACKEND = env("COMPTOIR_SMS_BACKEND", default="core.sms.ConsoleBackend")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE = env("TWILIO_API_BASE", default="")
# Public address of the shop, for links in emails and SMS.
COMPTOIR_BASE_URL = env("COMPTOIR_BASE_URL", default="http://127.0.0.1:8000")

# The shop's legal identity, printed in the footer and on every document.
COMPTOIR_LEGAL = {
    "name": env("COMPTOIR_LEGAL_NAME", default="Comptoir Électronique SAS"),
    "address": env("COMPTOIR_LEGAL_ADDRESS", default="12 rue des Artisans, 69007 Lyon, France"),
    "phone": env("COMPTOIR_PHONE", default="+33 4 78 00 00 00"),
    "email": env("COMPTOIR_EMAIL", default="contact@comptoir.example"),
    "siret": env("COMPTOIR_SIRET", default="73282932000074"),
    "vat_number": env("COMPTOIR_VAT_NUMBER", default="FR44732829320"),
    "share_capital": env("COMPTOIR_SHARE_CAPITAL", default="10 000 €"),
    "rcs": env("COMPTOIR_RCS", default="RCS Lyon 732 829 320"),
    "iban": env("COMPTOIR_IBAN", default="FR76 3000 6000 0112 3456 7890 189"),
    "bic": env("COMPTOIR_BIC", default="AGRIFRPPXXX"),
    # Opening hours, Monday to Friday (templates say the days).
    "hours": env("COMPTOIR_HOURS", default="9:00–18:00"),
    # Legal notice and terms; left empty, the pages print a sensible default.
    "publication_director": env("COMPTOIR_PUBLICATION_DIRECTOR", default=""),
    "host": env("COMPTOIR_HOST", default=""),
    "mediator": env("COMPTOIR_MEDIATOR", default=""),
}

# --- Checkout and shipping ---------------------------------------------------------
# (checkout, shop.shipping, core.antibot)

# Public forms (registration, guest checkout...) against bots: the fewest
# seconds between showing a form and sending it, and how old its signed stamp
# may be (what is counted and when a captcha is asked: "Security" below).
COMPTOIR_ANTIBOT_MIN_SECONDS = env.float("COMPTOIR_ANTIBOT_MIN_SECONDS", default=2.0)
COMPTOIR_ANTIBOT_MAX_AGE = 24 * 3600
# Reverse proxies in front of the app that append to X-Forwarded-For (the
# client's IP is read from there); 0: the client connects directly.
COMPTOIR_TRUSTED_PROXIES = env.int("COMPTOIR_TRUSTED_PROXIES", default=0)

# --- Payments -------------------------------------------------------------------------
# (billing.payments: Stripe, PayPal, bank transfer, cheque, counter, mandate)

# Online providers offered on the pay page (each is offered once its keys are set).
COMPTOIR_PAYMENT_PROVIDERS = env.list(
    "COMPTOIR_PAYMENT_PROVIDERS",
    default=[
        "billing.payments.providers.stripe.StripeProvider",
        "billing.payments.providers.paypal.PayPalProvider",
    ],
)
# Who hears of an overpayment, an amount that differs, a payment on a
# cancelled order (besides the order's manager); empty: Django's MANAGERS,
# else the superusers.
COMPTOIR_PAYMENT_ALERT_EMAILS = env.list("COMPTOIR_PAYMENT_ALERT_EMAILS", default=[])
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
# The signing secret of the webhook endpoint (whsec_...): without it every
# webhook is refused.
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Another API address (tests point it at localstripe), and Stripe.js's.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
STRIPE_TIMEOUT = env.float("STRIPE_TIMEOUT", default=20.0)
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
# PayPal (Orders v2): the REST app's credentials, sandbox or live, and the id
# of the webhook PayPal gives when it is created (without it every PayPal
# webhook is refused: its signature cannot be verified).
PAYPAL_CLIENT_ID = env("PAYPAL_CLIENT_ID", default="")
PAYPAL_CLIENT_SECRET = env("PAYPAL_CLIENT_SECRET", default="")
PAYPAL_ENVIRONMENT = env("PAYPAL_ENVIRONMENT", default="sandbox")  # sandbox or live
PAYPAL_WEBHOOK_ID = env("PAYPAL_WEBHOOK_ID", default="")
# Another API address (tests point it at a local fake PayPal).
PAYPAL_API_BASE = env("PAYPAL_API_BASE", default="")
# The name the customer sees on PayPal's pages (empty: the PayPal account's).
PAYPAL_BRAND_NAME = env("PAYPAL_BRAND_NAME", default="")
PAYPAL_TIMEOUT = env.float("PAYPAL_TIMEOUT", default=20.0)

# --- Business documents ------------------------------------------------------------
# (billing.documents: PDF, numbering, Factur-X, Chorus Pro)

# Chorus Pro API (PISTE): off by default; Factur-X invoices to public bodies
# are then exported (admin action, `manage.py chorus_export`) and uploaded by hand.
COMPTOIR_CHORUS_ENABLED = env.bool("COMPTOIR_CHORUS_ENABLED", default=False)
COMPTOIR_CHORUS_API_URL = env("COMPTOIR_CHORUS_API_URL", default="https://api.piste.gouv.fr")
COMPTOIR_CHORUS_OAUTH_URL = env(
    "COMPTOIR_CHORUS_OAUTH_URL", default="https://oauth.piste.gouv.fr/api/oauth/token"
)
COMPTOIR_CHORUS_CLIENT_ID = env("COMPTOIR_CHORUS_CLIENT_ID", default="")
COMPTOIR_CHORUS_CLIENT_SECRET = env("COMPTOIR_CHORUS_CLIENT_SECRET", default="")
# The Chorus Pro technical account the deposits are made with.
COMPTOIR_CHORUS_LOGIN = env("COMPTOIR_CHORUS_LOGIN", default="")
COMPTOIR_CHORUS_PASSWORD = env("COMPTOIR_CHORUS_PASSWORD", default="")
COMPTOIR_CHORUS_TIMEOUT = env.float("COMPTOIR_CHORUS_TIMEOUT", default=20.0)

# --- Procurement ------------------------------------------------------------------------
# (procurement: quote requests, suppliers, quotes, supplier orders)

# Customers' files (request attachments, purchase orders, quotes): outside
# MEDIA_ROOT, served only by authenticated views.
COMPTOIR_PRIVATE_ROOT = Path(env("COMPTOIR_PRIVATE_ROOT", default=str(VAR_DIR / "private")))
# Each file a customer sends (attachment, purchase order): PDF or image, at most.
COMPTOIR_PROCUREMENT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Days a quote stays valid; margin on supplier cost by margin category
# ("default" for lines without one); handling fee added to every quote (€).
COMPTOIR_QUOTE_VALIDITY_DAYS = env.int("COMPTOIR_QUOTE_VALIDITY_DAYS", default=30)
COMPTOIR_PROCUREMENT_MARGINS = {
    "default": env("COMPTOIR_PROCUREMENT_MARGIN", default="0.25"),
    "electronics": "0.30",
    "lab": "0.20",
    "spare-parts": "0.35",
}
COMPTOIR_PROCUREMENT_HANDLING_FEE = env("COMPTOIR_PROCUREMENT_HANDLING_FEE", default="15.00")
# Who gets the daily digest of late supplier orders (default: active staff).
COMPTOIR_PROCUREMENT_DIGEST_TO = env.list("COMPTOIR_PROCUREMENT_DIGEST_TO", default=[])
# An email to this address becomes a quote request for staff to complete
# (received through the inbound webhook; see README, "After-sales").
COMPTOIR_PROCUREMENT_EMAIL = env("COMPTOIR_PROCUREMENT_EMAIL", default="devis@comptoir.example")

# --- After-sales: conversations and replies by email ----------------------------------
# (conversations: the threads of orders, quote requests, returns, the contact form)

# Emails about an order, a quote request or a conversation carry the Reply-To
# reply+<signed token>@COMPTOIR_REPLY_DOMAIN (core.replies); the provider
# routes that domain's mail to the inbound webhook. Empty: no Reply-To.
COMPTOIR_REPLY_DOMAIN = env("COMPTOIR_REPLY_DOMAIN", default="reply.comptoir.example")
# The providers whose anymail webhooks are served (/webhooks/email/<provider>/...).
COMPTOIR_EMAIL_WEBHOOK_PROVIDERS = env.list(
    "COMPTOIR_EMAIL_WEBHOOK_PROVIDERS", default=["postmark", "mailgun"]
)
# The largest email the inbound webhook reads (attachments included, base64 in
# Postmark's JSON); each attachment is then held to the upload limit above.
COMPTOIR_INBOUND_MAX_BYTES = env.int("COMPTOIR_INBOUND_MAX_BYTES", default=40 * 1024 * 1024)
# Who hears of a customer's message while no one handles the thread.
COMPTOIR_CONVERSATIONS_STAFF_EMAILS = env.list(
    "COMPTOIR_CONVERSATIONS_STAFF_EMAILS", default=["sav@comptoir.example"]
)

# Returns (returns/): asked within so many days of delivery; claims (damaged
# or missing) within so many; refunded within so many French business days
# of receipt; the daily digest of late refunds goes to these (default: staff).
COMPTOIR_RETURN_DAYS = env.int("COMPTOIR_RETURN_DAYS", default=14)
COMPTOIR_CLAIM_DAYS = env.int("COMPTOIR_CLAIM_DAYS", default=3)
COMPTOIR_REFUND_BUSINESS_DAYS = env.int("COMPTOIR_REFUND_BUSINESS_DAYS", default=7)
# A return is "at risk" this many business days before its refund deadline.
COMPTOIR_REFUND_RISK_BUSINESS_DAYS = 2
COMPTOIR_RETURNS_DIGEST_TO = env.list("COMPTOIR_RETURNS_DIGEST_TO", default=[])
# Where returned parcels go (the slip prints it): default, the shop's address.
COMPTOIR_RETURN_ADDRESS = env("COMPTOIR_RETURN_ADDRESS", default="")

# Plain lines, each with its request's id (core.logs); production writes
# one JSON object per line instead, and a line per request (production.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Security: hostile input, login guessing, headers, bots (issue 12) ---------------
# core.http_guard, core.lockout, core.headers, core.antibot; README "Security and
# operations". Production enforces the CSP, `make run` only reports (dev.py).
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

INSTALLED_APPS += ["axes", "captcha"]
MIDDLEWARE.insert(
    # After the locale middleware (the 400 page speaks the visitor's language),
    # before anything that reads the session, a form or the database.
    MIDDLEWARE.index("django.middleware.locale.LocaleMiddleware") + 1,
    "core.http_guard.NulByteGuardMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "core.headers.SecurityHeadersMiddleware"
)
MIDDLEWARE.append("core.http_guard.StaffAreaForgedIdMiddleware")
# Staff trying to change an issued document or a settled payment: a message.
MIDDLEWARE.append("core.immutable.FrozenRowMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")  # last, as axes asks
# Third-party staff screens trusting the ids they post: a forged one is a
# logged 400 there, not a 500 (core.http_guard.StaffAreaForgedIdMiddleware).
COMPTOIR_FORGED_ID_AREAS = ["/admin/", "/dashboard/"]

# Login guessing (django-axes): the storefront login, the admin login and the
# password reset. After AXES_FAILURE_LIMIT failures an account (whatever the
# IP), and separately an IP (whatever the account), is locked for
# AXES_COOLOFF_TIME; a success resets the count. Unlock by hand with
# `manage.py axes_reset_username <email>` / `axes_reset_ip <ip>` / `axes_reset`.
AUTHENTICATION_BACKENDS.insert(0, "core.lockout.LockoutBackend")
AXES_FAILURE_LIMIT = env.int("COMPTOIR_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("COMPTOIR_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The same client IP as the bot guard (COMPTOIR_TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "core.antibot.client_ip"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "core.lockout.login_name"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# Password reset: at most this many emails per address and per IP an hour
# (beyond, the same "email sent" page, nothing sent).
COMPTOIR_PASSWORD_RESET_RATES = {"email": "3/h", "ip": "20/h"}

# Bot guard (core.antibot, django-ratelimit on the default cache): what is
# counted is what bots do, failed or empty submissions of a guarded form, per
# session and (with a much higher ceiling, for shared company and university
# networks) per IP. Over either, the form asks for a captcha
# (django-simple-captcha, drawn locally) instead of refusing. A visitor with
# a basket and a session is never throttled.
COMPTOIR_ANTIBOT_SESSION_RATE = env("COMPTOIR_ANTIBOT_SESSION_RATE", default="5/10m")
COMPTOIR_ANTIBOT_IP_RATE = env("COMPTOIR_ANTIBOT_IP_RATE", default="100/10m")
# The cache down: let people through rather than ask everyone for a captcha.
RATELIMIT_FAIL_OPEN = True
CAPTCHA_FONT_SIZE = 30
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes

# Content-Security-Policy (django-csp 4). Inline scripts carry the request's
# nonce; Stripe.js and PayPal are added only by the pay page
# (billing.payments.views). The whole-page cache re-nonces cached pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Inline style attributes remain in Oscar's dashboard and the admin.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# Browser features the shop never uses (core.headers adds the header).
COMPTOIR_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), usb=()"
)
# Pages never kept by a browser or a shared cache (account, checkout, basket,
# documents, pay page): `Cache-Control: private, no-store`.
COMPTOIR_NO_STORE_PATHS = [
    "/accounts/",
    "/checkout/",
    "/basket/",
    "/billing/",
    "/orders/",
    "/quotes/",
    "/returns/",
    "/password-reset/",
    "/admin/",
    "/dashboard/",
]

# --- Operations (issue 12): request logs, Sentry, task time limits, backups -------------
# README "Security and operations".

# First: its request id and timing cover every other middleware (core.logs).
MIDDLEWARE.insert(0, "core.logs.RequestLogMiddleware")

# Errors to Sentry only when SENTRY_DSN is set; no personal data (no user
# ids, IPs, cookies or request bodies): the request id tags each event.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        environment=env("SENTRY_ENVIRONMENT", default="production"),
        release=env("SENTRY_RELEASE", default=None),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# Every task is stopped if it runs too long: SoftTimeLimitExceeded at the
# soft limit (the outbox puts the message it was sending back and stops
# the batch), the worker process killed at the hard one. The outbox's
# sender and the documents' renderer render PDFs (0.3 s a page) for a batch
# of messages or documents: they get more.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
_PDF_TASK_LIMITS = {
    "soft_time_limit": env.int("COMPTOIR_PDF_TASK_SOFT_TIME_LIMIT", default=300),
    "time_limit": env.int("COMPTOIR_PDF_TASK_TIME_LIMIT", default=360),
}
CELERY_TASK_ANNOTATIONS = {
    "core.outbox.tasks.outbox_send": _PDF_TASK_LIMITS,
    "billing.documents.tasks.document_render": _PDF_TASK_LIMITS,
}

# `make backup` / `make restore` (shop/management/backup.py): where the
# dated backups go.
COMPTOIR_BACKUP_DIR = Path(env("COMPTOIR_BACKUP_DIR", default=str(VAR_DIR / "backups")))
