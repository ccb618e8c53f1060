"""Placing the order: exactly once, and one confirmation email with all
the customer needs (bank details for a transfer), in their language."""

import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from core.outbox.services import messages_send_due
from tests.factories import make_product

from .conftest import add_to_basket, place, reviewed, to_review

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def test_a_second_submit_lands_on_the_same_order(client, france):
    """Double click or back button: the review posted again with the same
    basket gives the thank-you page of the order already placed."""
    add_to_basket(client, make_product(stock=5), 2)
    to_review(client)
    form = reviewed(client)

    first = place(client, **form)
    second = place(client, **form)

    assert Order.objects.count() == 1
    assert first.url == second.url == reverse("checkout:thank-you")
    assert Order.objects.get().number in client.get(second.url).content.decode()


def test_a_second_tab_cannot_place_an_empty_basket_again(client, france):
    add_to_basket(client, make_product(stock=5))
    to_review(client)
    form = reviewed(client)
    place(client, **form)
    # The other tab submits a stale form without the basket it showed.
    response = place(client, basket_id=0)
    assert Order.objects.count() == 1
    assert response.status_code == 302


def test_another_visitor_cannot_reach_an_order_by_its_basket_id(client, france):
    add_to_basket(client, make_product(stock=5))
    to_review(client)
    form = reviewed(client)
    place(client, **form)

    stranger = Client()
    response = place(stranger, **form)
    assert response.status_code == 302
    assert response.url != reverse("checkout:thank-you")
    assert "checkout_order_id" not in stranger.session


def test_placing_is_idempotent_under_the_basket_lock(client, france):
    """The service itself: a basket already submitted gives back its order."""
    from checkout.services import checkout_place

    add_to_basket(client, make_product(stock=5))
    to_review(client)
    place(client)
    order = Order.objects.get()
    again, created = checkout_place(view=None, basket=order.basket, user=None, order_kwargs={})
    assert (again, created) == (order, False)


@pytest.mark.django_db(transaction=True)
def test_two_tabs_submitting_at_once_make_one_order(client, france):
    """Two requests with the same session and basket, in parallel threads
    (their own database connections): one order."""
    add_to_basket(client, make_product(stock=5))
    to_review(client)
    form = reviewed(client)
    cookies = client.cookies
    results, barrier = [], threading.Barrier(2)

    def submit():
        tab = Client()
        tab.cookies = cookies
        barrier.wait()
        try:
            results.append(place(tab, **form))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.count() == 1
    assert sorted(r.status_code for r in results) == [302, 302]
    # Threads have no active language: the French URL.
    assert {r.url for r in results} == {"/checkout/thank-you/"}


def confirmation_emails(order):
    messages_send_due()
    return [m for m in mail.outbox if order.number in m.subject]


def test_one_confirmation_email_with_the_bank_details_for_a_transfer(client, france):
    """Given a guest paying by transfer (the order confirms itself, two
    moves), one email is sent: lines, totals, VAT, addresses, payment
    method, IBAN, BIC, the reference and the 7-day deadline."""
    add_to_basket(client, make_product("Timer NE555", price="10.00", stock=9), 2)
    to_review(client)
    place(client)
    order = Order.objects.get()

    emails = confirmation_emails(order)

    assert len(emails) == 1, [m.subject for m in emails]
    email = emails[0]
    assert email.to == ["guest@example.com"]
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert "Timer NE555" in body
        assert "2 ×" in body or ">2<" in body
        assert settings.COMPTOIR_LEGAL["iban"] in body
        assert settings.COMPTOIR_LEGAL["bic"] in body
        assert order.number in body
        assert "Bank transfer" in body
        assert "3 rue des Lilas" in body
        assert "cancelled" in body
        assert "7 days" in body
    assert "30.90" in email.body.replace(",", ".")


def test_the_email_for_a_card_order_has_no_bank_details(client, france):
    add_to_basket(client, make_product(stock=9))
    to_review(client, payment="card")
    place(client)
    email = confirmation_emails(Order.objects.get())[0]
    assert settings.COMPTOIR_LEGAL["iban"] not in email.body
    assert "Bank card" in email.body


def test_the_email_is_in_the_customers_language(client, france):
    """Placed from the French site, the email is French (its translation
    comes with `make messages`): the order records the language and the
    email renders under it."""
    add_to_basket(client, make_product(stock=9))
    with translation.override("fr"):
        to_review(client)
        place(client)
    order = Order.objects.get()
    assert order.language == "fr"
    email = confirmation_emails(order)[0]
    assert '<html lang="fr">' in email.alternatives[0][0]


def test_a_basket_changed_in_another_tab_is_reviewed_again(client, france):
    """The review showed one total; meanwhile another tab added an item:
    nothing is placed, the customer reviews the new basket."""
    add_to_basket(client, make_product(stock=5))
    to_review(client)
    form = reviewed(client)
    add_to_basket(client, make_product("Other", stock=5))

    response = place(client, **form)

    assert response.status_code == 302
    assert response.url == reverse("checkout:preview")
    assert not Order.objects.exists()
    assert place(client).status_code == 302
    assert Order.objects.get().lines.count() == 2
