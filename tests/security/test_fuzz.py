"""No 5xx, ever (issue 12, item 1): every URL pattern of the project (walked
from the resolver) and every POST form the shop shows, requested by an
anonymous visitor, a customer and staff, with real and hostile arguments,
query strings and field values made up by Hypothesis.

Sized for CI (about a minute on PostgreSQL): ``COMPTOIR_FUZZ_EXAMPLES``
(default 80) examples per Hypothesis test; set it higher for a long hunt.
A failure prints the request that broke (method, URL, data) and re-raises
the view's exception.
"""

import os

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .fuzz_helpers import (
    fuzzed_form_data,
    fuzzed_url,
    hostile_text,
    post_forms,
    reversed_url,
    shop_world,
)
from .urlmap import all_routes

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("COMPTOIR_FUZZ_EXAMPLES", "80"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The shop's state builds up across examples (like a real probe): the
    # first failing request is reported, not a shrunk one.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Pages a probe must not take away from the next request (the session's own user).
SKIPPED = {"customer:logout", "admin:logout", "customer:profile-delete"}
# Django's own admin pages alike for every model (the made-up URL test still
# reaches them): the walk keeps its minute for the pages we wrote.
SWEEP_SKIPS = ("_history", "_delete")


@pytest.fixture
def world(customer, staff, tmp_path, settings):
    settings.COMPTOIR_PRIVATE_ROOT = tmp_path / "private"
    settings.COMPTOIR_ANTIBOT_MIN_SECONDS = 0
    return shop_world(customer=customer, staff=staff)


@pytest.fixture
def clients(customer, staff):
    anonymous, signed_in, staff_client = Client(), Client(), Client()
    signed_in.force_login(customer)
    staff_client.force_login(staff)
    return {"anonymous": anonymous, "customer": signed_in, "staff": staff_client}


def request(client, method: str, url: str, data=None, **extra):
    try:
        response = getattr(client, method)(url, data or {}, **extra)
    except Exception as exc:
        exc.add_note(f"{method.upper()} {url} data={data!r}")
        raise
    assert response.status_code < 500, f"{method.upper()} {url} data={data!r}"
    return response


def signed_in(clients, *, customer, staff) -> None:
    """Signs the customer and staff back in when a probe signed them out."""
    for who, user in (("customer", customer), ("staff", staff)):
        if clients[who].session.get("_auth_user_id") != str(user.pk):
            clients[who].force_login(user)


def who_visits(route) -> list[str]:
    return ["staff"] if route.area != "shop" else ["anonymous", "customer"]


def test_every_page_and_every_form_answers_without_a_server_error(world, clients, customer, staff):
    """Given a small shop, when each URL pattern is requested with real
    arguments by who may see it, then none answers 5xx; then the POST forms
    found on those pages get Hypothesis's field values, and none answers 5xx."""
    forms, broken = [], []
    for route in all_routes():
        if route.name in SKIPPED or route.name is None or route.name.endswith(SWEEP_SKIPS):
            continue
        url = reversed_url(route, world)
        if url is None:
            continue
        for who in who_visits(route):
            clients[who].raise_request_exception = False
            response = clients[who].get(url)
            if response.status_code >= 500:
                broken.append(f"GET {url} as {who}: {response.status_code}")
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and content_type.startswith("text/html"):
                page = response.content.decode(errors="replace")
                # Deleting is what staff may do; it would only take the
                # clients' own accounts away from the next examples.
                forms += [
                    (who, form) for form in post_forms(url, page) if "delete" not in form["action"]
                ]
    assert not broken, "\n".join(broken)
    assert len(forms) > 20, "the walk found the shop's forms"
    for client in clients.values():
        client.raise_request_exception = True

    @FUZZ
    @given(data=st.data())
    def fuzz_forms(data):
        who, form = data.draw(st.sampled_from(forms), label="form")
        signed_in(clients, customer=customer, staff=staff)
        request(clients[who], "post", form["action"], fuzzed_form_data(data, form))

    fuzz_forms()


def test_made_up_urls_query_strings_and_bodies_never_get_a_server_error(
    world, clients, customer, staff
):
    """Given any URL pattern, when Hypothesis makes up a path it matches, a
    query string and a form body, and anyone sends it, then no 5xx."""
    routes = [route for route in all_routes() if route.name not in SKIPPED]

    @FUZZ
    @given(data=st.data())
    def fuzz_urls(data):
        route = data.draw(st.sampled_from(routes), label="route")
        url = fuzzed_url(data, route)
        who = data.draw(st.sampled_from(["anonymous", "customer", "staff"]), label="who")
        method = data.draw(st.sampled_from(["get", "post"]), label="method")
        fields = st.dictionaries(st.text(min_size=1, max_size=12), hostile_text, max_size=4)
        query = data.draw(fields, label="query")
        signed_in(clients, customer=customer, staff=staff)
        if method == "get":
            request(clients[who], "get", url, query)
        else:
            request(clients[who], "post", url, data.draw(fields, label="body"))

    fuzz_urls()
