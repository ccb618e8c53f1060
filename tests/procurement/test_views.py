"""The customer pages: the request form and its bad input, and who may
reach each request, quote and file (only its customer and staff: 404 for
anyone else)."""

import pytest
from django.core import mail
from django.urls import reverse

from core.antibot import sign_now
from procurement.models import PurchaseOrder, QuoteRequest, RequestState
from procurement.selectors import GUEST_SESSION_KEY
from procurement.services.acceptance import purchase_order_attach
from procurement.services.requests import guest_token
from tests.procurement.conftest import DELIVERED, checked, pdf_bytes, quoted, submit, upload

pytestmark = pytest.mark.django_db


def form_data(**extra):
    data = {
        "contact_name": "Ada Buyer",
        "email": "ada@example.com",
        "phone": "+33611223344",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        "lines-0-description": "Thermal camera, 160 x 120 px",
        "lines-0-quantity": "1",
        "lines-1-quantity": "1",
    }
    data["form_ts"] = sign_now()
    return {**data, **extra}


def test_the_form_shows_and_prefills_a_reference(client):
    response = client.get(reverse("procurement:request") + "?ref=NE555P")
    assert response.status_code == 200
    assert 'value="NE555P"' in response.content.decode()


def test_a_guest_sends_a_request_and_sees_it_only_in_their_session(client):
    response = client.post(
        reverse("procurement:request"),
        form_data(**{"lines-0-files": [upload("spec.pdf")]}),
    )

    qr = QuoteRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:sent", args=[qr.number])
    assert qr.user is None and qr.files.count() == 1 and qr.lines.count() == 1
    assert client.get(response["Location"]).status_code == 200
    stranger = client.__class__()
    assert stranger.get(reverse("procurement:detail", args=[qr.number])).status_code == 404
    # The signed link of the emails opens it in another browser.
    stranger.get(reverse("procurement:guest-access", args=[guest_token(qr)]))
    assert stranger.get(reverse("procurement:detail", args=[qr.number])).status_code == 200
    assert (
        client.get(reverse("procurement:guest-access", args=["DD26-1~forged"])).status_code == 404
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"lines-0-description": "", "lines-0-quantity": "1"}, "Your request is empty"),
        ({"lines-0-quantity": "0"}, "at least 1"),
        ({"lines-0-quantity": "99999999"}, "at most"),
        ({"lines-0-files": [upload("fake.pdf", b"%PDF-1.7 not at all")]}, "not a readable PDF"),
        ({"phone": ""}, "This field is required"),
    ],
)
def test_bad_requests_get_a_clear_message_and_change_nothing(client, extra, message):
    response = client.post(reverse("procurement:request"), form_data(**extra))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not QuoteRequest.objects.exists()
    assert not mail.outbox


def test_a_file_over_10_mb_is_refused(client):
    big = pdf_bytes() + b"%" + b"x" * (10 * 1024 * 1024)
    response = client.post(
        reverse("procurement:request"), form_data(**{"lines-0-files": [upload("big.pdf", big)]})
    )
    assert "larger than 10" in response.content.decode()
    assert not QuoteRequest.objects.exists()


@pytest.fixture
def accepted_with_po(buyer, institution, suppliers, staff):
    """A quote with a file on its request, accepted with a purchase order."""
    quote = quoted(buyer, suppliers, staff, entity=institution)
    from procurement.services.requests import request_file_store

    request_file_store(quote.request, checked("datasheet.pdf"))
    purchase_order_attach(
        quote_id=quote.pk,
        customer=buyer,
        number="BC-1",
        upload=checked("bc.pdf"),
        legal_entity_id=institution.pk,
    )
    return quote


def every_url(quote):
    number = quote.request.number
    stored = quote.request.files.get()
    return [
        reverse("procurement:detail", args=[number]),
        reverse("procurement:sent", args=[number]),
        reverse("procurement:pdf", args=[number]),
        reverse("procurement:purchase-order-file", args=[number]),
        reverse("procurement:file", args=[number, stored.token]),
    ]


def test_every_document_and_file_reaches_its_customer_and_staff_only(
    client, accepted_with_po, buyer, other, staff
):
    urls = every_url(accepted_with_po)
    for user, expected in ((buyer, 200), (staff, 200), (other, 404), (None, 404)):
        client.logout()
        if user:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == expected, (user, url)
            if expected == 200 and "/pdf/" in url:
                assert b"".join(response.streaming_content).startswith(b"%PDF-")
                assert response["Cache-Control"] == "private, no-store"


def test_private_files_are_not_public_media(client, accepted_with_po, settings):
    po = PurchaseOrder.objects.get()
    assert not str(po.file.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{po.file.name}").status_code == 404


def test_a_forged_accept_or_purchase_order_on_another_customers_quote_is_404(
    client, buyer, other, suppliers, staff
):
    quote = quoted(buyer, suppliers, staff)
    number = quote.request.number
    client.force_login(other)

    accept = client.post(
        reverse("procurement:accept", args=[number]), {"payment_method": "card", **DELIVERED}
    )
    po = client.post(
        reverse("procurement:purchase-order", args=[number]),
        {"number": "X", "file": upload("bc.pdf")},
    )
    decline = client.post(reverse("procurement:decline", args=[number]))

    assert (accept.status_code, po.status_code, decline.status_code) == (404, 404, 404)
    assert QuoteRequest.objects.get().state == RequestState.QUOTED


def test_the_buyer_accepts_from_the_page(client, buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    client.force_login(buyer)
    page = client.get(reverse("procurement:detail", args=[quote.request.number]))
    assert quote.number in page.content.decode() and "Accept the quote" in page.content.decode()

    response = client.post(
        reverse("procurement:accept", args=[quote.request.number]),
        {"payment_method": "transfer", **DELIVERED},
    )

    quote.refresh_from_db()
    assert response.status_code == 302 and quote.order is not None
    assert response["Location"] == reverse("customer:order", args=[quote.order.number])


def test_the_order_page_of_a_quote_names_the_quote_and_offers_no_reorder(
    client, buyer, suppliers, staff
):
    """F14: product-less lines and the fee are not offered for re-order,
    the totals are no "basket", and the page links back to the quote."""
    quote = quoted(buyer, suppliers, staff)
    client.force_login(buyer)
    client.post(
        reverse("procurement:accept", args=[quote.request.number]),
        {"payment_method": "transfer", **DELIVERED},
    )
    quote.refresh_from_db()

    page = client.get(reverse("customer:order", args=[quote.order.number])).content.decode()

    assert f"Order placed from quote {quote.number}" in page
    assert reverse("procurement:detail", args=[quote.request.number]) in page
    assert "Re-order" not in page and "Basket total" not in page and "Subtotal" in page
    lines = page[page.find("<tbody>") : page.find("</tbody>")]
    assert lines.count("<em>") == 1 and "Oscilloscope probe" in lines  # only the fee set apart


def test_an_expired_quote_says_so(client, buyer, suppliers, staff):
    from datetime import timedelta

    quote = quoted(buyer, suppliers, staff)
    quote.valid_until -= timedelta(days=31)
    quote.save()
    client.force_login(buyer)
    response = client.post(
        reverse("procurement:accept", args=[quote.request.number]),
        {"payment_method": "transfer", **DELIVERED},
        follow=True,
    )
    assert "has expired" in response.content.decode()
    quote.refresh_from_db()
    assert quote.order is None


def test_my_quotes_lists_only_mine(client, buyer, other):
    mine, theirs = submit(buyer), submit(other)
    client.force_login(buyer)
    page = client.get(reverse("procurement:list")).content.decode()
    assert mine.number in page and theirs.number not in page
    assert GUEST_SESSION_KEY not in client.session


def test_paying_online_goes_to_the_pay_page(client, buyer, suppliers, staff):
    quote = quoted(buyer, suppliers, staff)
    client.force_login(buyer)
    response = client.post(
        reverse("procurement:accept", args=[quote.request.number]),
        {"payment_method": "card", **DELIVERED},
    )
    quote.refresh_from_db()
    assert response["Location"] == reverse("billing:pay", kwargs={"number": quote.order.number})
    assert client.get(response["Location"]).url.endswith("/pay/stripe/")


def test_a_guest_accepts_from_the_link_in_their_email(client, suppliers, staff):
    """Given a guest's quote, when they open the signed link and accept by
    transfer, then their order exists and its guest page opens."""
    quote = quoted(None, suppliers, staff)
    client.get(reverse("procurement:guest-access", args=[guest_token(quote.request)]))

    response = client.post(
        reverse("procurement:accept", args=[quote.request.number]),
        {"payment_method": "transfer", **DELIVERED},
        follow=True,
    )

    quote.refresh_from_db()
    assert quote.order.user is None and quote.order.guest_email == "guest@example.com"
    assert response.status_code == 200 and quote.order.number in response.content.decode()


def test_the_beat_tasks_are_registered_and_run_the_services():
    """Every procurement beat entry names a task that runs its service. A
    fresh app gets every imported shared task when it is finalised, as the
    worker's does (other tests may swap the shared app's registry)."""
    from celery import Celery

    import procurement.tasks  # noqa: F401  (a worker imports it by autodiscovery)
    from shop.beat import beat_schedule

    app = Celery("procurement-test", set_as_current=False)
    app.finalize()
    for entry in ("quotes-expire", "supplier-orders-digest"):
        task = app.tasks[beat_schedule()[entry]["task"]]
        assert task.apply().get() == 0


def test_card_is_not_offered_on_acceptance_without_a_provider(
    settings, client, buyer, suppliers, staff
):
    settings.STRIPE_SECRET_KEY = settings.PAYPAL_CLIENT_ID = ""
    quote = quoted(buyer, suppliers, staff)
    client.force_login(buyer)
    url = reverse("procurement:accept", args=[quote.request.number])
    page = client.get(reverse("procurement:detail", args=[quote.request.number]))
    html = page.content.decode()
    assert 'value="transfer"' in html and 'value="card"' not in html
    client.post(url, {"payment_method": "card", **DELIVERED})
    quote.refresh_from_db()
    assert quote.order is None
