"""Payment methods whose provider is not configured are mentioned nowhere
(issue 10 item 8): quotes' emails and pages say only what is on offer."""

import pytest
from django.test import Client
from django.urls import reverse

from core.outbox.selectors import messages_about
from tests.procurement.conftest import quoted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("paypal", [True, False])
def test_a_quote_mentions_paypal_only_when_it_is_configured(
    paypal, buyer, suppliers, staff, settings
):
    """Given PayPal configured or not, when a quote is sent, then its email
    and the request's page list PayPal exactly when it is on offer."""
    if not paypal:
        settings.PAYPAL_CLIENT_ID = settings.PAYPAL_CLIENT_SECRET = ""
    quote = quoted(buyer, suppliers, staff)

    email = messages_about(quote.request).get(subject__contains=quote.number)
    client = Client()
    client.force_login(buyer)
    page = client.get(reverse("procurement:detail", args=[quote.request.number]))
    assert page.status_code == 200
    for text in (email.body_text, email.body_html, page.content.decode()):
        assert ("PayPal" in text) is paypal
