"""One order from placing to delivered, in a real browser: the customer
places it, billing records the payment (it then confirms itself and goes to
picking, in one email), staff ship it and mark it delivered in the admin. At each step
the customer's order page shows the step in its timeline, and an email says so.

Emails leave through the outbox; the test runs the beat job's sweep
(messages_send_due) where a worker would."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from oscar.core.loading import get_model
from playwright.sync_api import expect

from core.outbox.services import messages_send_due
from orders.services.transitions import order_payment_received
from orders.statuses import OrderStatus
from tests.factories import make_product

Country = get_model("address", "Country")
Order = get_model("order", "Order")
S = OrderStatus
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(live_server, django_user_model):
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={"name": "France", "printable_name": "France", "is_shipping_country": True},
    )
    staff = django_user_model.objects.create_superuser(
        "claire", "claire@comptoir.example", "staff-pw", first_name="Claire", last_name="Dubois"
    )
    customer = django_user_model.objects.create_user(
        "alice", "alice@example.com", "alice-pw", first_name="Alice", last_name="Martin"
    )
    product = make_product("Timer NE555", mpn="NE555P", price="0.45", stock=25)
    with translation.override(settings.LANGUAGE_CODE):
        urls = {
            "login": reverse("customer:login"),
            "product": product.get_absolute_url(),
            "add": reverse("basket:add", kwargs={"pk": product.pk}),
            "checkout": reverse("checkout:index"),
            "preview": reverse("checkout:preview"),
            "admin_login": reverse("admin:login"),
        }
    return {"staff": staff, "customer": customer, "product": product, "urls": urls}


def log_in(page, url, username, password, prefix=""):
    page.goto(url)
    page.fill(f"input[name='{prefix}username']", username)
    page.fill(f"input[name='{prefix}password']", password)
    page.locator(f"input[name='{prefix}password']").press("Enter")
    page.wait_for_load_state()


def emails_about(order, status_label):
    messages_send_due()  # what the beat job does every minute
    return [m for m in mail.outbox if order.number in m.subject and status_label in m.subject]


def check_step(page, base, order, status, timeline_steps, subject=None):
    """The customer's order page shows the step; one email tells of it
    (``subject``: the words of that email's subject, the state by default)."""
    order.refresh_from_db()
    assert order.status == status
    with translation.override(settings.LANGUAGE_CODE):
        page.goto(base + reverse("customer:order", kwargs={"order_number": order.number}))
        label = str(S(status).label)
    expect(page.locator(".order-status__label")).to_have_text(label)
    steps = page.locator(".order-timeline__step")
    expect(steps).to_have_count(timeline_steps)
    expect(steps.last).to_have_class(f"order-timeline__step order-timeline__step--{status}")
    with translation.override(order.language):
        words = subject or str(S(status).label)
        assert len(emails_about(order, words)) == 1, [m.subject for m in mail.outbox]


@pytest.fixture
def card_offered(settings):
    """Card is offered only with Stripe configured; here the customer pays
    by card and staff record it, so Stripe itself is never reached (its API
    points at a closed port: the pay page says the service is unavailable)."""
    settings.STRIPE_SECRET_KEY = "sk_test_dummy"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_dummy"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0


def test_an_order_from_placing_to_delivered(
    page, browser, live_server, shop, artifacts_dir, card_offered
):
    base, urls = live_server.url, shop["urls"]

    # The customer places the order.
    log_in(page, base + urls["login"], "alice@example.com", "alice-pw", prefix="login-")
    page.goto(base + urls["product"])
    page.locator(f"form[action='{urls['add']}'] [type=submit]").click()
    page.wait_for_load_state()
    page.goto(base + urls["checkout"])
    page.fill("input[name='first_name']", "Alice")
    page.fill("input[name='last_name']", "Martin")
    page.fill("input[name='line1']", "3 rue des Lilas")
    page.fill("input[name='line4']", "Lyon")
    page.fill("input[name='postcode']", "69003")
    page.locator("input[name='postcode']").press("Enter")
    page.wait_for_load_state()
    # Delivery, then billing and payment by card, then the review.
    page.locator("#shipping_method_form [type=submit]").click()
    page.locator("#payment-card input").check()
    page.locator("#payment_method_submit").click()
    page.wait_for_selector("#place_order_form")
    page.locator("input[name='accept_terms']").check()
    page.locator("#place-order").click()
    page.wait_for_load_state()
    order = Order.objects.get(user=shop["customer"])
    # Placing sends one email: the confirmation (the checkout's).
    with translation.override(order.language):
        placed = gettext("Order %(number)s: thank you for your order") % {"number": order.number}
    check_step(page, base, order, S.RESERVED, 1, subject=placed)

    # Nothing changed since the basket: nothing for the customer to confirm.
    expect(page.locator(f"form[action*='/{order.number}/confirm/']")).to_have_count(0)

    # Billing records the card payment: the order confirms itself, goes to
    # the personal manager and, every unit being in hand, to picking. Both
    # moves are made together: one email, about picking (issue 10).
    order_payment_received(order_id=order.pk)
    check_step(page, base, order, S.PICKING, 3)
    expect(page.locator(".order-manager")).to_contain_text("Claire Dubois")
    with translation.override(order.language):
        assert emails_about(order, str(S(S.IN_PROGRESS).label)) == []

    # Staff ship it, then mark it delivered, in the admin.
    staff = browser.new_context(locale="fr-FR").new_page()
    staff.set_default_timeout(10_000)
    log_in(staff, base + urls["admin_login"] + "?next=/admin/", "claire", "staff-pw")
    with translation.override(settings.LANGUAGE_CODE):
        change_url = base + reverse("admin:order_order_change", args=[order.pk])
    staff.goto(change_url)
    staff.locator("a.order-move--shipped").click()
    staff.fill("input[name='carrier']", "Colissimo")
    staff.fill("input[name='tracking_number']", "6A12345678901")
    staff.locator("input[type=submit]").click()
    staff.wait_for_url(change_url)
    check_step(page, base, order, S.SHIPPED, 4)
    expect(page.locator(".order-status")).to_contain_text("6A12345678901")

    staff.locator("a.order-move--delivered").click()
    staff.locator("input[type=submit]").click()
    staff.wait_for_url(change_url)
    check_step(page, base, order, S.DELIVERED, 5)
    page.screenshot(path=artifacts_dir / "order-delivered.png", full_page=True)
    staff.context.close()

    shipped_mail = emails_about(order, str(S(S.SHIPPED).label))[0]
    assert "6A12345678901" in shipped_mail.body
