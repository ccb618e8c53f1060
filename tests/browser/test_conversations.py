"""After-sales conversations in a real browser: a customer writes from the
order page (with a photo), staff answer from the admin's inbox with a
canned reply, the customer reads it on the order page; then the customer
replies to the order's email, the provider posts it to the inbound webhook
(a real HTTP call on 127.0.0.1) and it appears in the order's thread.
Screenshots in French and English (test-artifacts/)."""

import base64
import json

import pytest
import requests
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from conversations.models import Conversation, ConversationKind
from core.outbox.models import OutboxMessage
from orders.services import transitions as t
from tests.browser.test_procurement_flow import log_in
from tests.factories import make_order, make_product
from tests.procurement.conftest import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASIC = "postmark:inbound-secret"


@pytest.fixture
def shop(live_server, django_user_model, settings, tmp_path):
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 0
    settings.COMPTOIR_PRIVATE_ROOT = tmp_path / "private"
    settings.COMPTOIR_REPLY_DOMAIN = "reply.comptoir.test"
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": BASIC}
    staff = django_user_model.objects.create_superuser(
        "claire", "claire@comptoir.example", "staff-pw", first_name="Claire"
    )
    buyer = django_user_model.objects.create_user(
        "ines", "ines.roux@labo.example", "buyer-pw", first_name="Inès", last_name="Roux"
    )
    order = make_order(
        lines=[(make_product("Sonde thermocouple type K", price="42.00"), 2)],
        user=buyer,
        status="shipped",
    )
    return {"staff": staff, "buyer": buyer, "order": order, "base": live_server.url}


def url(name, language=None, **kwargs):
    with translation.override(language or settings.LANGUAGE_CODE):
        return reverse(name, kwargs=kwargs)


def test_customer_writes_staff_answer_and_a_reply_by_email_lands(
    page, browser, shop, tmp_path, artifacts_dir
):
    base, order = shop["base"], shop["order"]
    order_url = base + url("customer:order", order_number=order.number)

    # The customer writes from the order page, with a photo.
    log_in(page, base, "ines.roux@labo.example", "buyer-pw")
    page.goto(order_url)
    photo = tmp_path / "colis.png"
    photo.write_bytes(png_bytes())
    page.fill("#thread-body", "Le colis est arrivé abîmé : la sonde est tordue.")
    page.set_input_files("#thread-files", str(photo))
    page.locator(".thread__form button[type='submit']").click()
    page.wait_for_load_state()
    expect(page.locator(".thread__message--customer")).to_contain_text("la sonde est tordue")
    expect(page.locator(".thread__files")).to_contain_text("colis.png")

    # Staff find it first in the inbox and answer with a canned reply.
    staff_context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    admin = staff_context.new_page()
    admin.set_default_timeout(10_000)
    admin.goto(base + url("admin:login"))
    admin.fill("#id_username", "claire")
    admin.fill("#id_password", "staff-pw")
    admin.locator("input[type='submit']").click()
    admin.goto(base + url("admin:conversations_conversation_changelist"))
    first_row = admin.locator("#result_list tbody tr").first
    expect(first_row).to_contain_text(order.number)
    admin.screenshot(path=str(artifacts_dir / "conversations-inbox-fr.png"), full_page=True)
    first_row.locator("th a, td a").first.click()
    admin.wait_for_load_state()
    admin.select_option("select[name='canned']", "where-is-my-parcel")
    admin.locator("button[value='insert']").click()
    admin.wait_for_load_state()
    answer = admin.locator("textarea[name='body']")
    expect(answer).to_contain_text(order.number)
    answer.fill(
        "Bonjour, nous sommes désolés : nous vous envoyons une sonde neuve dès aujourd'hui."
    )
    admin.locator("button[value='send']").click()
    admin.wait_for_load_state()
    expect(admin.locator(".thread-admin__message--staff")).to_contain_text("sonde neuve")
    admin.screenshot(path=str(artifacts_dir / "conversations-admin-thread-fr.png"), full_page=True)
    staff_context.close()

    # The customer sees the answer on the order page.
    page.goto(order_url)
    expect(page.locator(".thread__message--staff")).to_contain_text("sonde neuve")
    page.screenshot(path=str(artifacts_dir / "conversations-order-fr.png"), full_page=True)

    # The order's email carries the thread's signed Reply-To; the customer
    # answers it and the provider posts the reply to the inbound webhook.
    t.order_deliver(order_id=order.pk)
    email = OutboxMessage.objects.filter(topic=f"order.order:{order.pk}").latest("pk")
    assert email.reply_to.startswith("reply+order-order-")
    payload = {
        "From": "ines.roux@labo.example",
        "FromFull": {"Email": "ines.roux@labo.example", "Name": "Inès Roux"},
        "ToFull": [{"Email": email.reply_to, "Name": ""}],
        "OriginalRecipient": email.reply_to,
        "Subject": "Re: " + email.subject,
        "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
        "TextBody": (
            "Merci, bien reçu la nouvelle sonde.\n\n"
            "Le lun. 7 déc. 2026, Comptoir a écrit :\n> Votre commande est livrée"
        ),
        "Headers": [],
        "Attachments": [],
    }
    response = requests.post(
        base + "/webhooks/email/postmark/inbound/",
        data=json.dumps(payload),
        headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(BASIC.encode()).decode(),
        },
        timeout=10,
    )
    assert response.status_code == 200
    page.goto(order_url)
    last = page.locator(".thread__message").last
    expect(last).to_contain_text("Merci, bien reçu la nouvelle sonde.")
    expect(last).not_to_contain_text("Votre commande est livrée")
    assert Conversation.objects.filter(kind=ConversationKind.ORDER, order=order).count() == 1

    # The same page in English, and the account's Messages.
    page.goto(base + url("customer:order", "en", order_number=order.number))
    expect(page.locator("#thread-title")).to_have_text("Messages")
    page.screenshot(path=str(artifacts_dir / "conversations-order-en.png"), full_page=True)
    page.goto(base + url("conversations:list", "en"))
    expect(page.locator("table")).to_contain_text(order.number)
    page.screenshot(path=str(artifacts_dir / "conversations-messages-en.png"), full_page=True)
    page.goto(base + url("conversations:list"))
    page.screenshot(path=str(artifacts_dir / "conversations-messages-fr.png"), full_page=True)


def test_the_contact_page_form(page, shop, artifacts_dir):
    base = shop["base"]
    for language, name in (("fr", "contact-fr.png"), ("en", "contact-en.png")):
        page.goto(base + url("contact", language))
        expect(page.locator("#contact-form")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / name), full_page=True)
        # The card's email address is never cut mid-word: one line on a
        # desktop and on a phone.
        for width in (1280, 1024, 390):
            page.set_viewport_size({"width": width, "height": 900})
            email = page.locator(".contact-card__email")
            lines = email.evaluate(
                "a => new Set([...a.getClientRects()].map(r => Math.round(r.top))).size"
            )
            assert lines == 1, (language, width, lines)
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + url("contact"))
    page.fill("#id_name", "Paul Martin")
    page.fill("#id_email", "paul@atelier.example")
    page.fill("#id_body", "Proposez-vous des sondes PT100 ?")
    page.locator("#contact-form button[type='submit']").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success, .alert-info").first).to_be_visible()
    conversation = Conversation.objects.get(kind=ConversationKind.CONTACT)
    assert conversation.email == "paul@atelier.example" and conversation.order is None
