"""What the customer's order page and the order's emails say of the money
(reviewer's walk): each line incl. VAT from its net, nothing due on a
cancelled order, how a paid order was paid, the terms once, the current
total in every move's email, and guests' wording."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from billing.payments import services as payments
from billing.payments.selectors import order_amount_due
from orders.services import editing
from orders.services import transitions as t
from tests.factories import make_order, make_product, sent_message

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def customer(client):
    user = get_user_model().objects.create_user("alice", "alice@example.com", "pw")
    client.force_login(user)
    return user


def page(client, order, lang="en") -> str:
    with translation.override(lang):
        url = reverse("customer:order", kwargs={"order_number": order.number})
    html = client.get(url).content.decode()
    return html.replace("\u202f", " ").replace("\xa0", " ")


def test_an_edited_line_stores_its_price_incl_vat_from_its_net(customer):
    """Given 5 × BC547B at 0,06 € HT, when the customer makes it 10 and adds
    10 × the same part again in another line's place, then the line holds
    display_gross(0,60) = 0,72 (not 10 × 0,07 = 0,70), and so does a line
    the edit adds."""
    part, other = make_product("BC547B", price="0.06"), make_product("BC557", price="0.06")
    order = make_order(lines=[(part, 5)], user=customer)
    t.order_reserve(order_id=order.pk)

    editing.order_edit(
        order_id=order.pk, quantities={order.lines.get().pk: 10}, additions=[(other.pk, 10)]
    )

    rows = sorted(order.lines.values_list("line_price_excl_tax", "line_price_incl_tax"))
    assert rows == [(D("0.60"), D("0.72")), (D("0.60"), D("0.72"))]
    assert set(order.lines.values_list("line_price_before_discounts_incl_tax", flat=True)) == {
        D("0.72")
    }


def test_the_order_page_prints_each_line_from_its_net(client, customer):
    """Given a line of 25 × 0,06 € HT stored as 25 × 0,07 (an order edited
    before the fix), the order page prints 1,80, never 1,75."""
    order = make_order(lines=[(make_product("BC547B", price="0.06"), 25)], user=customer)
    stale = D("1.75")
    order.lines.update(line_price_incl_tax=stale, line_price_before_discounts_incl_tax=stale)

    html = page(client, order)

    assert re.search(r"€1\.80", html) and not re.search(r"1\.75", html)


def test_nothing_is_due_on_a_cancelled_order(client, customer):
    """Given an unpaid order of 8,92 € that is cancelled, the selector says
    nothing is due and the page shows no "still to pay", in either language."""
    order = make_order(lines=[(make_product(price="7.43"), 1)], user=customer)
    assert order_amount_due(order) == D("8.92")
    t.order_cancel(order_id=order.pk)
    order.refresh_from_db()

    assert order_amount_due(order) == D("0.00")
    html = page(client, order)
    assert "Still to pay" not in html and "pay securely on the next page" not in html
    assert "Reste à payer" not in page(client, order, "fr")


def test_an_unpaid_order_still_says_what_is_due(client, customer):
    order = make_order(lines=[(make_product(price="7.43"), 1)], user=customer)
    t.order_reserve(order_id=order.pk)
    assert "Still to pay: <strong>€8.92</strong>" in page(client, order)


def test_a_paid_card_order_says_how_it_was_paid_not_how_to_pay(client, customer):
    order = make_order(lines=[(make_product(price="7.43"), 1)], user=customer)
    t.order_reserve(order_id=order.pk)
    before = page(client, order)
    assert "pay securely on the next page" in before

    payments.record_payment(order_id=order.pk, amount=D("8.92"), method="card")

    html = page(client, order)
    assert "pay securely on the next page" not in html
    assert re.search(r"Paid by</dt>\s*<dd[^>]*>Bank card</dd>", html)
    french = page(client, order, "fr")
    assert "paiement sécurisé" not in french and "Payée par" in french


def test_a_transfer_order_paid_by_card_drops_the_transfer_instructions(client, customer):
    order = make_order(
        lines=[(make_product(price="7.43"), 1)], user=customer, payment_method="transfer"
    )
    t.order_reserve(order_id=order.pk)
    assert "held for you for 7 days" in page(client, order)

    payments.record_payment(order_id=order.pk, amount=D("8.92"), method="card")

    html = page(client, order)
    assert "held for you for 7 days" not in html and "bank details" not in html
    assert re.search(r"Paid by</dt>\s*<dd[^>]*>Bank card</dd>", html)
    assert "réservés pendant 7 jours" not in page(client, order, "fr")


def test_a_mandate_order_states_its_terms_once(client, customer):
    order = make_order(
        lines=[(make_product(price="7.43"), 1)], user=customer, payment_method="mandate"
    )
    html = page(client, order)
    assert html.count("within 30 days of the invoice") == 1
    assert page(client, order, "fr").count("30 jours") == 1


def test_the_edit_email_gives_the_new_total(customer, django_capture_on_commit_callbacks):
    """Given a reserved order of 2 × 7,43 € HT (17,83 TTC), when the customer
    makes it 3, then the one email says the total changed: 26,75 € TTC."""
    order = make_order(lines=[(make_product(price="7.43"), 2)], user=customer, language="en")
    t.order_reserve(order_id=order.pk)
    first = sent_message(order)
    assert "Order total: €17.83 incl. VAT." in first.body_text

    with django_capture_on_commit_callbacks(execute=True):
        editing.order_edit(order_id=order.pk, quantities={order.lines.get().pk: 3})

    message = sent_message(order)
    text = message.body_text
    assert "Your order has changed: its new total is €26.75 incl. VAT." in text
    assert "€26.75" in message.body_html
    assert "Order total" not in text


def test_the_french_edit_email_gives_the_new_total(customer, django_capture_on_commit_callbacks):
    order = make_order(lines=[(make_product(price="7.43"), 2)], user=customer, language="fr")
    t.order_reserve(order_id=order.pk)
    assert "Total de la commande : 17,83" in sent_message(order).body_text.replace("\xa0", " ")

    with django_capture_on_commit_callbacks(execute=True):
        editing.order_edit(order_id=order.pk, quantities={order.lines.get().pk: 3})

    text = sent_message(order).body_text.replace("\xa0", " ").replace("\u202f", " ")
    assert "Votre commande a changé : son nouveau total est de 26,75 € TTC." in text


@pytest.mark.parametrize(
    ("lang", "account", "link"),
    [
        ("en", "from your account", "on its page (the link below)"),
        ("fr", "depuis votre compte", "sur sa page (le lien ci-dessous)"),
    ],
)
def test_a_guest_is_not_sent_to_an_account_they_do_not_have(lang, account, link):
    """Given a guest's cheque order, its reservation email points to the
    order's link, not to an account; a customer's still names the account."""
    order = make_order(
        lines=[(make_product(price="7.43"), 1)], payment_method="cheque", language=lang
    )
    t.order_reserve(order_id=order.pk)

    text = " ".join(sent_message(order).body_text.split())

    assert account not in text and link in text
    assert order.verification_hash() in text


def test_a_customer_is_still_sent_to_their_account(customer):
    order = make_order(
        lines=[(make_product(price="7.43"), 1)],
        user=customer,
        payment_method="cheque",
        language="en",
    )
    t.order_reserve(order_id=order.pk)
    text = " ".join(sent_message(order).body_text.split())
    assert "from your account" in text and "the link below" not in text
