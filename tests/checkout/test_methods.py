"""Which payment methods are offered (billing/payments/methods.py), and a
forged POST of one that is not offered."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from billing.payments.methods import payment_method_refusal, payment_methods_available
from shop.customer.models import LegalEntity
from tests.factories import make_product

from .conftest import ADDRESS, add_to_basket, gateway_guest, place, to_review

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db
EVERYONE = ["card", "paypal", "transfer", "cheque"]


def entity(user, *, kind="public", verified=True, name="Université de Lyon"):
    return LegalEntity.objects.create(
        user=user,
        kind=kind,
        name=name,
        line1="92 rue Pasteur",
        postcode="69007",
        city="Lyon",
        verified_at=timezone.now() if verified else None,
    )


@pytest.fixture
def lab(django_user_model):
    return django_user_model.objects.create_user("lab", "lab@example.com", "lab-password-42")


def test_a_guest_with_delivery_gets_the_methods_for_everyone():
    offered = payment_methods_available(user=AnonymousUser(), entity=None)
    assert offered == EVERYONE


def test_pickup_adds_payment_at_the_counter():
    offered = payment_methods_available(user=AnonymousUser(), entity=None, pickup=True)
    assert offered == [*EVERYONE, "counter"]


def test_a_verified_institution_of_the_account_may_pay_by_mandate(lab, django_user_model):
    university = entity(lab)
    assert "mandate" in payment_methods_available(user=lab, entity=university)
    # Not as a person, not for an unverified body or a company, not for
    # another account's institution.
    assert "mandate" not in payment_methods_available(user=lab, entity=None)
    for other in (entity(lab, verified=False), entity(lab, kind="company")):
        assert payment_method_refusal(code="mandate", user=lab, entity=other)
    thief = django_user_model.objects.create_user("eve", "eve@example.com", "pw")
    assert payment_method_refusal(code="mandate", user=thief, entity=university)


def test_an_unknown_method_is_refused():
    assert payment_method_refusal(code="barter", user=None, entity=None)


def guest_at_payment_step(client, method="standard"):
    add_to_basket(client, make_product(stock=3))
    client.post(reverse("checkout:index"), gateway_guest())
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    if method == "pickup":
        from shop.shipping.repository import delivery_methods

        method = next(m.code for m in delivery_methods() if m.is_pickup)
    client.post(reverse("checkout:shipping-method"), {"method_code": method})


def test_the_page_offers_only_the_allowed_methods(client, france):
    guest_at_payment_step(client)
    page = client.get(reverse("checkout:payment-method")).content.decode()
    for code in EVERYONE:
        assert f'value="{code}"' in page
    assert 'value="counter"' not in page and 'value="mandate"' not in page


def test_a_forged_counter_payment_with_delivery_is_refused(client, france):
    guest_at_payment_step(client)
    response = client.post(
        reverse("checkout:payment-method"),
        {"payment_method": "counter", "billing_same_as_shipping": "on"},
    )
    assert response.status_code == 200
    assert "only possible when you collect" in response.content.decode()
    assert client.get(reverse("checkout:preview")).status_code == 302


def test_a_forged_mandate_by_a_guest_is_refused(client, france):
    guest_at_payment_step(client)
    response = client.post(
        reverse("checkout:payment-method"),
        {
            "payment_method": "mandate",
            "billing_same_as_shipping": "on",
            "purchase_order_number": "BC-1",
        },
    )
    assert response.status_code == 200
    assert "reserved to verified public institutions" in response.content.decode()


def test_a_forged_mandate_for_a_company_is_refused(client, france, lab):
    company = entity(lab, kind="company", name="Lab Instruments SARL")
    client.force_login(lab)
    add_to_basket(client, make_product(stock=3))
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    response = client.post(
        reverse("checkout:payment-method"),
        {
            "payment_method": "mandate",
            "legal_entity": company.pk,
            "billing_same_as_shipping": "on",
            "purchase_order_number": "BC-1",
        },
    )
    assert response.status_code == 200
    assert "reserved to verified public institutions" in response.content.decode()


def test_another_accounts_entity_cannot_be_billed(client, france, lab, django_user_model):
    theirs = entity(django_user_model.objects.create_user("other", "o@example.com", "pw"))
    entity(lab, kind="company", name="Mine")
    client.force_login(lab)
    add_to_basket(client, make_product(stock=3))
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    response = client.post(
        reverse("checkout:payment-method"),
        {"payment_method": "mandate", "legal_entity": theirs.pk, "purchase_order_number": "X"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["legal_entity"]


def test_pickup_and_counter_payment(client, france):
    """Collected at a counter from the admin: the thank-you page and the
    email say where and when."""
    from shop.shipping.models import PickupLocation
    from tests.factories import sent_message

    PickupLocation.objects.create(
        name="Comptoir Villeurbanne", line1="5 cours Émile Zola", postcode="69100",
        city="Villeurbanne", opening_hours="Tue–Sat 10:00–19:00",
    )  # fmt: skip
    add_to_basket(client, make_product(stock=3))
    review = to_review(client, method="pickup", payment="counter")
    assert "Cash or card at the counter" in review.content.decode()
    response = place(client)
    order = Order.objects.get()
    assert order.payment_method == "counter"
    assert order.shipping_code.startswith("pickup-")
    assert order.shipping_incl_tax == 0
    thanks = client.get(response.url).content.decode()
    email = sent_message(order).body_text
    for text in (thanks, email):
        assert "5 cours Émile Zola, 69100 Villeurbanne" in text
        assert "Tue–Sat 10:00–19:00" in text


def test_a_method_refused_after_the_delivery_changed_sends_back_to_payment(client, france):
    """Counter chosen with pickup, then the customer switches to delivery:
    the review refuses to show and says why."""
    add_to_basket(client, make_product(stock=3))
    to_review(client, method="pickup", payment="counter")
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    response = client.get(reverse("checkout:preview"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:payment-method")
    assert "only possible when you collect" in response.content.decode()
    assert place(client, basket_id=response.context["basket"].pk).status_code == 302
    assert not Order.objects.exists()


def test_an_institution_pays_by_mandate_with_its_purchase_order(client, france, lab):
    university = entity(lab)
    client.force_login(lab)
    add_to_basket(client, make_product(stock=3))
    page = None
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "standard"})
    page = client.get(reverse("checkout:payment-method")).content.decode()
    assert 'value="mandate"' in page and university.name in page

    missing = client.post(
        reverse("checkout:payment-method"),
        {
            "payment_method": "mandate",
            "legal_entity": university.pk,
            "billing_same_as_shipping": "on",
        },
    )
    assert "needs your purchase order number" in missing.content.decode()

    review = to_review(
        client, guest=None, payment="mandate", legal_entity=university.pk,
        purchase_order_number="BC-2026-118",
    )  # fmt: skip
    assert "BC-2026-118" in review.content.decode()
    assert university.name in review.content.decode()
    place(client)
    order = Order.objects.get()
    assert (order.payment_method, order.legal_entity, order.purchase_order_number) == (
        "mandate",
        university,
        "BC-2026-118",
    )


def test_a_company_buyer_bills_one_of_its_entities(client, france, lab):
    company = entity(lab, kind="company", name="Lab Instruments SARL", verified=False)
    client.force_login(lab)
    add_to_basket(client, make_product(stock=3))
    to_review(client, guest=None, payment="transfer", legal_entity=company.pk)
    place(client)
    order = Order.objects.get()
    assert order.legal_entity == company
    assert order.purchase_order_number == ""


def test_online_methods_are_offered_only_with_a_configured_provider(settings, client, france):
    """No provider keys (a first look): card and PayPal would end on a dead
    pay page, so they are neither offered nor accepted from a forged POST."""
    settings.STRIPE_SECRET_KEY = settings.PAYPAL_CLIENT_ID = ""
    offered = payment_methods_available(user=AnonymousUser(), entity=None)
    assert "card" not in offered and "paypal" not in offered and "transfer" in offered
    guest_at_payment_step(client)
    page = client.get(reverse("checkout:payment-method")).content.decode()
    assert 'value="card"' not in page and 'value="transfer"' in page
    response = client.post(
        reverse("checkout:payment-method"),
        {"payment_method": "card", "billing_same_as_shipping": "on"},
    )
    assert response.status_code == 200 and "not available" in response.content.decode()


def test_an_unused_billing_form_shows_no_errors(client, france):
    """Billing same as shipping: the billing address form is not validated,
    so a refusal of the method does not come with a hidden postcode error."""
    guest_at_payment_step(client)
    response = client.post(
        reverse("checkout:payment-method"),
        {"payment_method": "mandate", "billing_same_as_shipping": "on", "billing-postcode": "x"},
    )
    assert response.status_code == 200
    assert not response.context["billing_form"].is_bound
