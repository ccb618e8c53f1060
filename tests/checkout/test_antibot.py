"""The bot guard of public forms (core/antibot.py): honeypot, minimum fill
time from a signed stamp, and a rate limit per client IP and form."""

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


@override_settings(COMPTOIR_ANTIBOT_RATE="5/600")
def test_the_sixth_submission_in_ten_minutes_from_one_ip_is_refused():
    data = {"message": "hello", "form_ts": old_stamp(10)}
    assert all(submit(data).is_valid() for _ in range(5))
    sixth = submit(data)
    assert not sixth.is_valid()
    assert "Too many attempts" in sixth.non_field_errors()[0]
    assert "10 minutes" in sixth.non_field_errors()[0]
    # Another client, or another form, has its own allowance.
    assert submit(data, ip="10.0.0.2").is_valid()


@override_settings(COMPTOIR_ANTIBOT_RATE="5/600", COMPTOIR_ANTIBOT_RATES={"contact": "1/60"})
def test_a_scope_may_have_its_own_rate():
    data = {"message": "hello", "form_ts": old_stamp(10)}
    assert submit(data).is_valid()
    assert not submit(data).is_valid()


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


@override_settings(COMPTOIR_ANTIBOT_RATE="2/600", ROOT_URLCONF=__name__)
def test_a_whole_view_answers_429_over_the_limit(client):
    assert [client.post("/upload/").status_code for _ in range(2)] == [200, 200]
    response = client.post("/upload/")
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
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


@override_settings(COMPTOIR_ANTIBOT_RATES={"register": "2/600"})
def test_registration_is_rate_limited(client):
    for n in range(2):
        client.post(reverse("customer:login"), registration(f"u{n}@example.com", old_stamp()))
        client.logout()
    response = client.post(reverse("customer:login"), registration("u9@example.com", old_stamp()))
    assert "Too many attempts" in response.content.decode()
    assert not get_user_model().objects.filter(email="u9@example.com").exists()


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
