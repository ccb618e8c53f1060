"""The bot guard of public forms (core/antibot.py): honeypot, minimum fill
time from a signed stamp, and a captcha once a session or an IP failed too
often (only failed or empty submissions count)."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext

from core.antibot import BotGuardMixin, client_ip, rate_limit, sign_now
from shop import urls as shop_urls

from .conftest import old_stamp

pytestmark = pytest.mark.django_db


class ContactForm(BotGuardMixin, forms.Form):
    antibot_scope = "contact"
    message = forms.CharField()


def submit(data, ip="10.0.0.1", **extra):
    request = RequestFactory().post("/", REMOTE_ADDR=ip, **extra)
    return ContactForm(data, request=request)


def test_a_person_filling_the_form_passes():
    form = submit({"message": "hello", "website": "", "form_ts": old_stamp(10)})
    assert form.is_valid(), form.errors


def test_a_filled_honeypot_is_refused():
    form = submit({"message": "hello", "website": "http://spam", "form_ts": old_stamp(10)})
    assert not form.is_valid()
    assert form.errors.as_data()["__all__"][0].code == "honeypot"


@override_settings(COMPTOIR_ANTIBOT_MIN_SECONDS=3)
def test_a_form_sent_faster_than_a_person_can_is_refused_with_a_clear_error():
    form = submit({"message": "hello", "form_ts": sign_now()})
    assert not form.is_valid()
    assert "too quickly" in form.non_field_errors()[0]


@pytest.mark.parametrize(
    "stamp",
    ["", "12345", "12345:forged", old_stamp(2 * 24 * 3600)],
    # Fixed ids: the stale stamp changes each time (pytest-xdist's processes
    # must collect the same test names).
    ids=["missing", "unsigned", "forged", "stale"],
)
def test_a_missing_forged_or_stale_stamp_is_refused(stamp):
    form = submit({"message": "hello", "form_ts": stamp})
    assert not form.is_valid()
    assert form.errors.as_data()["__all__"][0].code == "bad_timestamp"


@override_settings(COMPTOIR_ANTIBOT_IP_RATE="5/10m")
def test_successful_submissions_are_never_counted():
    data = {"message": "hello", "form_ts": old_stamp(10)}
    assert all(submit(data).is_valid() for _ in range(20))
    assert "captcha" not in submit(data).fields


@override_settings(COMPTOIR_ANTIBOT_IP_RATE="5/10m")
def test_after_failures_from_an_ip_the_form_asks_for_a_captcha_and_passes_with_it():
    """Given 5 empty submissions from one IP, the next form carries a
    captcha; solved, the submission goes through; another IP is untouched."""
    for _ in range(5):
        assert not submit({"message": "", "form_ts": old_stamp(10)}).is_valid()
    data = {"message": "hello", "form_ts": old_stamp(10)}
    throttled = submit(data)
    assert "captcha" in throttled.fields
    assert not throttled.is_valid()
    assert "captcha" in throttled.errors
    assert "captcha" not in submit(data, ip="10.0.0.2").fields

    key, answer = captcha_challenge()
    solved = submit({**data, "captcha_0": key, "captcha_1": answer})
    assert solved.is_valid(), solved.errors


def captcha_challenge() -> tuple[str, str]:
    """A fresh challenge and its answer, as a person reads it off the picture."""
    from captcha.models import CaptchaStore

    key = CaptchaStore.generate_key()
    return key, CaptchaStore.objects.get(hashkey=key).response


@override_settings(COMPTOIR_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_ip_is_the_one_the_proxy_saw():
    request = RequestFactory().post(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    # The client may write anything first in the header: only the hop the
    # proxy appended is believed.
    assert client_ip(request) == "203.0.113.9"


def test_without_proxies_forwarded_headers_are_ignored():
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "198.51.100.4"


@rate_limit("upload")
def upload(request):
    return HttpResponse("ok")


urlpatterns = [path("upload/", upload), *shop_urls.urlpatterns]


@override_settings(COMPTOIR_ANTIBOT_IP_RATE="2/10m", ROOT_URLCONF=__name__)
def test_a_whole_view_answers_429_over_the_limit(client):
    assert [client.post("/upload/").status_code for _ in range(2)] == [200, 200]
    response = client.post("/upload/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    with translation.override("fr"):  # a URL without prefix is French
        assert gettext("Too many attempts") in response.content.decode()
    assert client.get("/upload/").status_code == 200  # only submissions count


def registration(email, stamp, website=""):
    return {
        "registration-email": email,
        "registration-password1": "a long pass phrase 42",
        "registration-password2": "a long pass phrase 42",
        "registration-website": website,
        "registration-form_ts": stamp,
        "registration_submit": "Register",
    }


def test_registration_renders_the_honeypot_out_of_sight(client):
    page = client.get(reverse("customer:login")).content.decode()
    assert 'name="registration-website"' in page
    assert 'class="hp-field"' in page
    assert 'name="registration-form_ts"' in page


def test_registration_by_a_person_creates_the_account(client):
    response = client.post(reverse("customer:login"), registration("ana@example.com", old_stamp()))
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="ana@example.com").exists()


def test_registration_by_a_bot_is_refused(client):
    response = client.post(
        reverse("customer:login"), registration("bot@example.com", old_stamp(), website="x")
    )
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert not get_user_model().objects.filter(email="bot@example.com").exists()


@override_settings(COMPTOIR_ANTIBOT_SESSION_RATE="2/10m")
def test_registration_asks_a_session_that_failed_twice_for_a_captcha(client):
    session = client.session  # a visitor the shop already knows
    session["seen"] = True
    session.save()
    for n in range(2):
        bad = registration(f"u{n}@example.com", old_stamp())
        bad["registration-password2"] = "another one"
        assert client.post(reverse("customer:login"), bad).status_code == 200
    page = client.get(reverse("customer:login")).content.decode()
    assert 'name="registration-captcha_1"' in page
    assert "not a robot" in page

    response = client.post(reverse("customer:login"), registration("u9@example.com", old_stamp()))
    assert response.status_code == 200
    assert not get_user_model().objects.filter(email="u9@example.com").exists()

    key, answer = captcha_challenge()
    data = {
        **registration("u9@example.com", old_stamp()),
        "registration-captcha_0": key,
        "registration-captcha_1": answer,
    }
    assert client.post(reverse("customer:login"), data).status_code == 302
    assert get_user_model().objects.filter(email="u9@example.com").exists()


def test_guest_checkout_form_is_guarded(client):
    from tests.factories import make_product

    from .conftest import add_to_basket, gateway_guest

    add_to_basket(client, make_product(stock=5))
    page = client.get(reverse("checkout:index")).content.decode()
    assert 'name="website"' in page and 'name="form_ts"' in page

    bot = client.post(reverse("checkout:index"), gateway_guest(website="x"))
    assert bot.status_code == 200
    assert "could not be sent" in bot.content.decode()

    person = client.post(reverse("checkout:index"), gateway_guest())
    assert person.status_code == 302
    assert person.url == reverse("checkout:shipping-address")


@override_settings(COMPTOIR_ANTIBOT_MIN_SECONDS=2)
def test_the_minimum_fill_time_is_measured_below_the_second():
    """Whole-second stamps let a form sent 1.2 s after display pass a 2 s minimum."""
    assert not submit({"message": "hello", "form_ts": old_stamp(1.2)}).is_valid()
    assert submit({"message": "hello", "form_ts": old_stamp(2.2)}).is_valid()


@override_settings(COMPTOIR_ANTIBOT_IP_RATE="10/10m")
def test_a_guest_behind_a_shared_ip_checks_out_while_bots_from_it_are_throttled(france):
    """Given bots behind a university's address failing the guest checkout
    (no cookies kept, honeypot filled or nothing typed) until that address
    is throttled, when a guest from the same address checks out, then
    nothing stands in their way, while the next bot is asked for a captcha."""
    from django.test import Client
    from oscar.core.loading import get_model

    from tests.factories import make_product

    from .conftest import add_to_basket, gateway_guest, place, to_review

    shared_ip = "192.0.2.80"
    product = make_product("Relay 5 V", price="4.00", stock=50)
    for n in range(12):
        bot = Client(REMOTE_ADDR=shared_ip)
        add_to_basket(bot, product)
        data = gateway_guest(f"bot{n}@example.com", website="x") if n % 2 else {"options": ""}
        assert bot.post(reverse("checkout:index"), data).status_code == 200
    bot = Client(REMOTE_ADDR=shared_ip)
    add_to_basket(bot, product)
    refused = bot.post(reverse("checkout:index"), gateway_guest("bot@example.com"))
    assert refused.status_code == 200
    assert "not a robot" in refused.content.decode()

    guest = Client(REMOTE_ADDR=shared_ip)
    add_to_basket(guest, product, 2)
    assert "not a robot" not in guest.get(reverse("checkout:index")).content.decode()
    review = to_review(guest, guest="ada@example.com")
    assert review.status_code == 200
    assert place(guest).status_code == 302
    order = get_model("order", "Order").objects.get()
    assert order.email == "ada@example.com"
