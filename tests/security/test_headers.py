"""Response headers (issue 12, item 3): a Content-Security-Policy with a
nonce per response (cached catalogue pages included), Stripe.js allowed
only on the card page, Permissions-Policy, and no-store on private pages."""

import re

import pytest
from django.urls import reverse

from orders.services import transitions as t
from tests.factories import make_order, make_product
from tests.fakes.localstripe import localstripe, stripe_env  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
CSP = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    policy = response[CSP]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def nonce_of(response) -> str:
    (nonce,) = set(re.findall(r'<script nonce="([^"]+)"', response.content.decode()))
    return nonce


def test_pages_carry_an_enforced_policy_whose_nonce_is_the_inline_scripts(client):
    response = client.get("/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert f"'nonce-{nonce_of(response)}'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("stripe" in source for source in response[CSP].split())
    # No inline script without the nonce.
    assert "<script>" not in response.content.decode()


def test_a_cached_catalogue_page_gets_a_fresh_nonce_for_each_visitor(client, django_user_model):
    """The whole-page cache serves anonymous first visits from one stored
    copy: each copy still carries its own visitor's nonce, the one in its
    header (a nonce served twice would be known to anyone)."""
    make_product("Op-amp LM358", stock=3)
    first, second, third = (client.get("/") for _ in range(3))
    client.cookies.clear()
    nonces = [nonce_of(r) for r in (first, second, third)]
    assert len(set(nonces)) == 3
    for response, nonce in zip((first, second, third), nonces, strict=True):
        assert f"'nonce-{nonce}'" in directives(response)["script-src"]


def test_every_page_says_which_browser_features_it_never_uses(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/en/accounts/login/", "/basket/", "/checkout/", "/password-reset/"],
)
def test_private_pages_are_never_stored(client, path):
    response = client.get(path)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control


def test_documents_and_the_account_are_never_stored(client, customer):
    client.force_login(customer)
    for path in (
        reverse("customer:profile-view"),
        reverse("customer:order-list"),
        reverse("billing:documents"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_catalogue_pages_may_be_stored(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_stripe_js_is_allowed_on_the_card_page_only(stripe_env, client, customer, settings):  # noqa: F811
    settings.STRIPE_JS_URL = f"{stripe_env.url}/js.stripe.com/v3/"
    order = make_order(lines=[(make_product(), 1)], user=customer, payment_method="card")
    t.order_reserve(order_id=order.pk)
    client.force_login(customer)
    card_page = client.get(
        reverse("billing:pay-with", kwargs={"number": order.number, "provider": "stripe"})
    )
    assert card_page.status_code == 200
    policy = directives(card_page)
    assert stripe_env.url in policy["script-src"]
    assert stripe_env.url in policy["connect-src"]
    assert stripe_env.url in policy["frame-src"]
    assert "no-store" in card_page["Cache-Control"]

    assert stripe_env.url not in client.get(reverse("customer:profile-view"))[CSP]
