"""Password guessing (issue 12, item 2): django-axes on the storefront
login, the admin login and the password reset; per account and per IP; the
client IP read as the bot guard reads it."""

import contextlib
import re
from datetime import timedelta
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def clock_advanced(*, minutes: int):
    """Axes' clock (and Django's) moved forward, as if the minutes had passed."""
    later = timezone.now() + timedelta(minutes=minutes)
    with contextlib.ExitStack() as stack:
        for name in ("django.utils.timezone.now", "axes.attempts.now", "axes.handlers.proxy.now"):
            stack.enter_context(mock.patch(name, return_value=later))
        yield


def login(client, email, password, ip="198.51.100.1", **extra):
    return client.post(
        reverse("customer:login"),
        {"login-username": email, "login-password": password, "login_submit": "1"},
        REMOTE_ADDR=ip,
        **extra,
    )


def is_locked_page(response) -> bool:
    return response.status_code == 429 and "Sign-in paused" in response.content.decode()


def test_thirty_wrong_passwords_in_a_minute_lock_the_account_until_time_or_the_command(
    customer, staff
):
    """Given 30 wrong passwords for one account within a minute, each from
    another address, then the account is locked (even its right password is
    refused, with the shop's page), while another account signs in from
    elsewhere; after the cool-off it opens again, and so does it with
    ``axes_reset_username``."""
    client = Client()
    answers = [
        login(client, "ada@example.com", f"guess-{n}", ip=f"203.0.113.{n}") for n in range(30)
    ]
    assert [r.status_code for r in answers[:4]] == [200] * 4  # "wrong password", form again
    assert all(is_locked_page(r) for r in answers[5:])
    page = answers[-1].content.decode()
    assert "15 minutes" in page
    assert reverse("password-reset") in page
    assert answers[-1]["Retry-After"] == "900"

    # Case and spaces do not make another account for the count.
    assert is_locked_page(
        login(Client(), " ADA@Example.com", "ada-good-password-42", ip="192.0.2.9")
    )
    assert is_locked_page(
        login(Client(), "ada@example.com", "ada-good-password-42", ip="192.0.2.9")
    )

    other = Client()
    response = login(other, "chef@comptoir.example", "chef-good-password-42", ip="192.0.2.10")
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(staff.pk)

    with clock_advanced(minutes=16):
        response = login(Client(), "ada@example.com", "ada-good-password-42", ip="192.0.2.9")
    assert response.status_code == 302

    for n in range(6):
        login(Client(), "ada@example.com", f"again-{n}", ip=f"203.0.113.{100 + n}")
    assert is_locked_page(
        login(Client(), "ada@example.com", "ada-good-password-42", ip="192.0.2.9")
    )
    call_command("axes_reset_username", "ada@example.com")
    assert (
        login(Client(), "ada@example.com", "ada-good-password-42", ip="192.0.2.9").status_code
        == 302
    )


def test_one_address_guessing_many_accounts_is_locked_out_and_others_are_not(customer):
    client = Client()
    for n in range(5):
        login(client, f"someone{n}@example.com", "guess", ip="203.0.113.50")
    assert is_locked_page(
        login(client, "ada@example.com", "ada-good-password-42", ip="203.0.113.50")
    )
    assert (
        login(Client(), "ada@example.com", "ada-good-password-42", ip="203.0.113.51").status_code
        == 302
    )
    call_command("axes_reset_ip", "203.0.113.50")
    assert (
        login(Client(), "ada@example.com", "ada-good-password-42", ip="203.0.113.50").status_code
        == 302
    )


def test_the_admin_login_is_guarded_too(staff):
    client = Client()
    url = reverse("admin:login")
    for n in range(5):
        client.post(url, {"username": "chef", "password": f"guess-{n}"}, REMOTE_ADDR="203.0.113.60")
    response = client.post(
        url, {"username": "chef", "password": "chef-good-password-42"}, REMOTE_ADDR="203.0.113.61"
    )
    assert is_locked_page(response)


@override_settings(COMPTOIR_TRUSTED_PROXIES=1)
def test_behind_the_proxy_the_lockout_counts_the_client_address(customer):
    """The address the proxy appended, as the bot guard reads it; not the
    proxy's own, nor what the client wrote first in the header."""
    login(
        Client(),
        "ada@example.com",
        "wrong",
        ip="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.77",
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.77"


def test_staff_see_lockouts_in_the_admin(customer, staff):
    login(Client(), "ada@example.com", "wrong")
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "ada@example.com" in page.content.decode()


# --- Password reset -------------------------------------------------------------------


def reset(client, email, ip="198.51.100.2"):
    return client.post(reverse("password-reset"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_does_not_tell_whether_an_account_exists(customer):
    known, unknown = reset(Client(), "ada@example.com"), reset(Client(), "nobody@example.com")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password-reset-done")
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]


def test_password_reset_sends_a_few_emails_an_hour_then_nothing_but_the_same_page(customer):
    responses = [reset(Client(), "ada@example.com", ip=f"198.51.100.{n}") for n in range(6)]
    assert {r.url for r in responses} == {reverse("password-reset-done")}
    assert len(mail.outbox) == 3


def test_a_locked_out_address_cannot_use_the_password_reset_but_a_locked_account_can(customer):
    for n in range(5):
        login(Client(), f"x{n}@example.com", "guess", ip="203.0.113.90")
    assert is_locked_page(reset(Client(), "ada@example.com", ip="203.0.113.90"))

    for n in range(5):
        login(Client(), "ada@example.com", f"guess-{n}", ip=f"203.0.113.{n + 1}")
    assert reset(Client(), "ada@example.com", ip="192.0.2.44").status_code == 302
    assert len(mail.outbox) == 1


def test_setting_a_new_password_from_the_email_unlocks_the_account(customer):
    for n in range(5):
        login(Client(), "ada@example.com", f"guess-{n}", ip=f"203.0.113.{n + 1}")
    client = Client()
    reset(client, "ada@example.com", ip="192.0.2.45")
    path = re.search(r"/(?:en/)?password-reset/confirm/\S+/", mail.outbox[0].body).group(0)
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {
            "new_password1": "a brand new pass phrase 7",
            "new_password2": "a brand new pass phrase 7",
        },
    )
    assert response.status_code == 302
    assert (
        login(Client(), "ada@example.com", "a brand new pass phrase 7", ip="192.0.2.46").status_code
        == 302
    )
