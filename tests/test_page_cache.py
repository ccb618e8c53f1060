"""Whole pages cached once for every visitor, the personal parts filled per
request (shop/catalogue/page_cache.py), and invalidated by what changed
(shop/catalogue/cache.py)."""

import re
import threading
import time

import pytest
import requests
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from shop.catalogue import views
from shop.catalogue.page_cache import PLACEHOLDER, _request_variants, page_variant_register
from tests.factories import StockRecord, make_product

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BASKET_COUNT = re.compile(r'basket-link__count" aria-hidden="true">(\d+)<')


@pytest.fixture
def product():
    return make_product("Timer NE555", mpn="NE555P", price="0.45", stock=25)


@pytest.fixture
def shelf(product):
    """Two categories: "Timers" lists the NE555, "Relays" lists a relay."""
    timers = Category.add_root(name="Timers", slug="timers")
    relays = Category.add_root(name="Relays", slug="relays")
    relay = make_product("Relay 5 V", mpn="RLY5", price="2.00", stock=8)
    product.categories.add(timers)
    relay.categories.add(relays)
    return {"ne555": product, "relay": relay, "timers": timers, "relays": relays}


def visit(url, client=None):
    client = client or Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return client, response, len(queries)


@pytest.fixture
def renders(monkeypatch):
    """The catalogue pages actually rendered (not served from the page cache)."""
    calls = []
    for view in (
        views.HomeView,
        views.ProductDetailView,
        views.ProductCategoryView,
        views.ProductSearchView,
    ):
        original = view.get_context_data

        def counted(self, _original=original, **kwargs):
            calls.append(self.request.path)
            return _original(self, **kwargs)

        monkeypatch.setattr(view, "get_context_data", counted)
    return calls


def customer(django_user_model, first_name, *products):
    """A signed-in customer's client, with each of ``products`` in the basket."""
    user = django_user_model.objects.create_user(
        username=first_name.lower(), email=f"{first_name.lower()}@example.com", password="x"
    )
    user.first_name = first_name
    user.save()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for product in products:
        add_to_basket(client, product)
    return client


def add_to_basket(client, product, quantity=1):
    page = client.get(product.get_absolute_url())
    token = TOKEN.search(page.content.decode()).group(1)
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": quantity, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    client.get("/")  # the "added" message shown, as a browser would
    return response


def own_tokens(client, html):
    """Every CSRF token of ``html`` unmasks to the client's own secret."""
    tokens = TOKEN.findall(html)
    assert tokens
    secret = client.cookies["csrftoken"].value
    return all(_unmask_cipher_token(token) == secret for token in tokens)


def basket_count(html) -> int:
    return int(BASKET_COUNT.search(html).group(1))


# --- Personal parts --------------------------------------------------------------


def test_second_anonymous_visitor_gets_the_cached_page_with_a_token_of_their_own(product):
    url = product.get_absolute_url()
    _, first, _ = visit(url)
    client, second, queries = visit(url)

    assert queries == 0
    first_token = TOKEN.search(first.content.decode()).group(1)
    second_token = TOKEN.search(second.content.decode()).group(1)
    assert first_token != second_token
    assert PLACEHOLDER.decode() not in second.content.decode()
    assert "comptoir:personal" not in second.content.decode()
    assert second.cookies["csrftoken"].value

    # ... and that token works: the visitor can put the product in a basket.
    added = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1, "csrfmiddlewaretoken": second_token},
    )
    assert added.status_code == 302
    assert product.basket_lines.count() == 1


def test_signed_in_and_basket_holding_visitors_share_one_rendered_page(
    shelf, renders, django_user_model
):
    """Given Alice signed in with one product in her basket and an
    anonymous visitor with two, when each asks for the same pages after an
    anonymous first visit, then each page was rendered once, and each
    visitor sees their own name, basket and CSRF token, without a query."""
    alice = customer(django_user_model, "Alice", shelf["ne555"])
    holder = Client(enforce_csrf_checks=True)
    add_to_basket(holder, shelf["ne555"])
    add_to_basket(holder, shelf["relay"])
    urls = ["/", shelf["timers"].get_absolute_url(), shelf["ne555"].get_absolute_url()]
    for url in urls:
        visit(url)
    renders.clear()

    for url in urls:
        _, page, queries = visit(url, alice)
        html = page.content.decode()
        assert queries == 0, url
        assert "Alice" in html and 'id="logout_link"' in html
        assert basket_count(html) == 1
        assert own_tokens(alice, html)

        _, page, queries = visit(url, holder)
        html = page.content.decode()
        assert queries == 0, url
        assert "Alice" not in html and 'id="logout_link"' not in html
        assert 'id="login_link"' in html
        assert basket_count(html) == 2
        assert own_tokens(holder, html)
        assert page["Cache-Control"] == "private"
    assert renders == []


def test_two_customers_interleaved_never_see_each_other(shelf, django_user_model):
    alice = customer(django_user_model, "Alice", shelf["ne555"])
    bruno = customer(django_user_model, "Bruno", shelf["relay"], shelf["ne555"])
    urls = [
        "/",
        shelf["timers"].get_absolute_url(),
        shelf["relays"].get_absolute_url(),
        shelf["ne555"].get_absolute_url(),
        shelf["relay"].get_absolute_url(),
        "/search/?q=relay",
        "/en/",
    ]
    for round_ in range(3):
        for url in urls:
            for client, name, other, count in (
                (alice, "Alice", "Bruno", 1),
                (bruno, "Bruno", "Alice", 2),
            ):
                html = client.get(url).content.decode()
                assert name in html and other not in html, (round_, url)
                assert basket_count(html) == count
                assert own_tokens(client, html)


def test_the_basket_count_follows_each_change(shelf, django_user_model):
    alice = customer(django_user_model, "Alice")
    url = shelf["timers"].get_absolute_url()
    assert basket_count(alice.get(url).content.decode()) == 0
    add_to_basket(alice, shelf["ne555"], quantity=3)
    assert basket_count(alice.get(url).content.decode()) == 3
    add_to_basket(alice, shelf["relay"])
    html = alice.get(url).content.decode()
    assert basket_count(html) == 4
    # 3 × 0,54 + 2,40 TTC
    assert "4,02" in html


def test_a_price_change_in_the_basket_changes_the_header_total(shelf, django_user_model):
    alice = customer(django_user_model, "Alice", shelf["relay"])
    url = shelf["timers"].get_absolute_url()
    assert "2,40" in alice.get(url).content.decode()
    record = StockRecord.objects.get(product=shelf["relay"])
    record.price = "3.00"
    record.save()
    assert "3,60" in alice.get(url).content.decode()


def test_signing_out_or_a_password_changed_elsewhere_ends_the_name_in_the_header(
    shelf, django_user_model
):
    url = shelf["timers"].get_absolute_url()
    alice = customer(django_user_model, "Alice")
    html = alice.get(url).content.decode()
    assert "Alice" in html
    token = TOKEN.search(html).group(1)
    assert alice.post(reverse("customer:logout"), {"csrfmiddlewaretoken": token}).status_code in (
        200,
        302,
    )
    html = alice.get(url).content.decode()
    assert "Alice" not in html and 'id="login_link"' in html

    bruno = customer(django_user_model, "Bruno")
    assert "Bruno" in bruno.get(url).content.decode()
    user = django_user_model.objects.get(username="bruno")
    user.set_password("changed elsewhere")
    user.save()
    html = bruno.get(url).content.decode()
    assert "Bruno" not in html and 'id="login_link"' in html


def test_messages_are_shown_once_to_their_visitor_only(shelf, django_user_model):
    alice = customer(django_user_model, "Alice")
    bruno = customer(django_user_model, "Bruno")
    url = shelf["ne555"].get_absolute_url()
    for client in (alice, bruno):
        client.get(url)
    token = TOKEN.search(alice.get(url).content.decode()).group(1)
    response = alice.post(
        reverse("basket:add", kwargs={"pk": shelf["ne555"].pk}),
        {"quantity": 1, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302

    bruno_page = bruno.get(url).content.decode()
    shown = alice.get(url).content.decode()
    again = alice.get(url).content.decode()
    title = shelf["ne555"].title
    alert = re.compile(r'<div class="alert[^"]*alert-success')
    assert alert.search(shown) and title in shown[shown.index('id="messages"') :]
    assert not alert.search(again)
    assert not alert.search(bruno_page)


def test_each_language_gets_its_own_page_and_header(shelf, django_user_model):
    alice = customer(django_user_model, "Alice")
    visitor = Client()
    french = visitor.get("/").content.decode()
    english = visitor.get("/en/").content.decode()
    assert 'lang="fr"' in french and "Connexion / Inscription" in french
    assert 'lang="en"' in english and "Log in / Register" in english
    french = alice.get("/").content.decode()
    english = alice.get("/en/").content.decode()
    assert "Mon compte" in french and "My account" not in french
    assert "My account" in english and "Mon compte" not in english
    assert "Panier" in french and "Cart" in english


def test_staff_get_their_dashboard_link_and_customers_do_not(shelf, django_user_model):
    alice = customer(django_user_model, "Alice")
    staff = django_user_model.objects.create_user(username="staff", password="x", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff)
    url = shelf["timers"].get_absolute_url()
    dashboard = reverse("dashboard:index")
    assert f'href="{dashboard}"' in staff_client.get(url).content.decode()
    assert f'href="{dashboard}"' not in alice.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_under_load_every_visitor_sees_only_their_own(live_server, django_user_model):
    """Six customers, each with their own basket, ask for the same pages from
    six threads at once, on the live server (one process, one cache): each
    response names its own customer, their basket and token, never another's."""
    products = [make_product(f"Part {i}", price="1.00", stock=50) for i in range(3)]
    category = Category.add_root(name="Parts", slug="parts")
    for part in products:
        part.categories.add(category)
    visitors = []
    for i in range(6):
        client = customer(django_user_model, f"Name{i}x")
        for _ in range(i % 3 + 1):
            add_to_basket(client, products[0])
        session = requests.Session()
        for cookie in ("sessionid", "csrftoken"):
            session.cookies.set(cookie, client.cookies[cookie].value)
        visitors.append((f"Name{i}x", i % 3 + 1, session))
    urls = ["/", category.get_absolute_url(), products[0].get_absolute_url(), "/basket/"]
    failures, done = [], []

    def browse(name, count, session):
        secret = session.cookies["csrftoken"]
        for _ in range(8):
            for url in urls:
                html = session.get(live_server.url + url, timeout=30).text
                others = [v[0] for v in visitors if v[0] != name and v[0] in html]
                tokens = TOKEN.findall(html)
                # The basket page shows the lines, the others the header's count.
                shown = quantities(html) if url == "/basket/" else [basket_count(html)]
                if (
                    name not in html
                    or others
                    or shown != [count]
                    or not tokens
                    or any(_unmask_cipher_token(t) != secret for t in tokens)
                ):
                    failures.append((name, url, others))
                done.append(url)

    threads = [threading.Thread(target=browse, args=visitor) for visitor in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(done) == 6 * 8 * len(urls)
    assert failures == []


# --- Which requests use it -------------------------------------------------------


def test_unknown_query_parameters_bypass_it(product, renders):
    url = product.get_absolute_url() + "?utm_source=mail"
    visit(url)
    visit(url)
    assert len(renders) == 2


def test_the_empty_basket_page_is_cached_for_visitors_without_a_basket(product):
    url = reverse("basket:summary")
    visit(url)
    _, response, queries = visit(url)
    assert response.status_code == 200
    assert queries == 0

    # A visitor with a basket gets their own page, with their product in it.
    client = Client()
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
    page = client.get(url)
    assert product.title in page.content.decode()


def test_a_registered_request_variant_splits_the_cache(product, renders):
    """Prices are the catalogue's for everyone today; a price list would be
    registered as a variant of the request, and pages would vary by it."""

    def price_list(request):
        return request.COOKIES.get("price_list", "public")

    page_variant_register(price_list)
    try:
        url = product.get_absolute_url()
        visit(url)
        visit(url)
        trade = Client()
        trade.cookies["price_list"] = "trade"
        visit(url, trade)
        visit(url, trade)
    finally:
        _request_variants.remove(price_list)
    assert len(renders) == 2


# --- Invalidation by what changed -----------------------------------------------


def test_a_stock_change_rebuilds_the_pages_that_show_the_product_only(shelf, renders):
    """Given every page cached, when the NE555's stock changes, then its page,
    its category's listing, the home page and a search listing it are
    rendered again with the new stock, while the relay's page and the
    relays' listing are still served from the cache."""
    ne555, relay = shelf["ne555"], shelf["relay"]
    showing = [
        ne555.get_absolute_url(),
        shelf["timers"].get_absolute_url(),
        "/search/?q=NE555",
        "/",
    ]
    not_showing = [relay.get_absolute_url(), shelf["relays"].get_absolute_url()]
    for url in showing + not_showing:
        visit(url)
    renders.clear()

    record = StockRecord.objects.get(product=ne555)
    record.num_in_stock = 7
    record.save()

    for url in showing + not_showing:
        _, response, _ = visit(url)
        html = response.content.decode()
        if url in showing:
            assert "(7 disponibles)" in html, url
    assert sorted(renders) == sorted(url.split("?")[0] for url in showing)


def test_a_price_change_shows_on_the_next_request(product, django_capture_on_commit_callbacks):
    url = product.get_absolute_url()
    visit(url)
    with django_capture_on_commit_callbacks(execute=True):
        record = StockRecord.objects.get(product=product)
        record.price = "9.99"
        record.save()
    _, response, _ = visit(url)
    assert "9,99" in response.content.decode()


def test_a_reservation_invalidates_its_products(shelf, renders):
    """orders/services/stock.py writes in bulk (no signal) and names the
    products itself."""
    from django.db import transaction

    from shop.catalogue.cache import products_changed

    url = shelf["ne555"].get_absolute_url()
    visit(url)
    visit(shelf["relay"].get_absolute_url())
    renders.clear()
    with transaction.atomic():
        StockRecord.objects.filter(product=shelf["ne555"]).update(num_allocated=5)
        products_changed([shelf["ne555"].pk])
    visit(url)
    visit(shelf["relay"].get_absolute_url())
    assert renders == [url]


def test_a_stale_page_is_rebuilt_once_while_others_get_the_previous_copy(shelf, renders):
    """Given a cached page whose product changed, while another request holds
    the rebuild lock, the page is served as it was (no render), for up to
    COMPTOIR_CACHE_STALE_SECONDS; the holder's rebuild is then served."""
    from shop.catalogue.page_cache import page_key

    url = shelf["ne555"].get_absolute_url()
    visit(url)
    renders.clear()
    record = StockRecord.objects.get(product=shelf["ne555"])
    record.num_in_stock = 3
    record.save()

    with translation.override("fr"):
        lock = f"lock:{page_key(RequestFactory().get(url))}"
    cache.delete(lock)
    # Someone else is rebuilding: the previous copy, without rendering.
    cache.add(lock, 1, 10)
    _, stale, _ = visit(url)
    assert renders == []
    assert "(25 disponibles)" in stale.content.decode()
    # Too stale to wait for: rendered for the visitor, not stored.
    with override_settings(COMPTOIR_CACHE_STALE_SECONDS=0):
        _, fresh, _ = visit(url)
    assert renders == [url] and "(3 disponibles)" in fresh.content.decode()
    cache.delete(lock)


@pytest.mark.django_db(transaction=True)
def test_a_stampede_rebuilds_a_stale_page_once(live_server, monkeypatch):
    """Given a cached category page whose product's stock changed, when eight
    visitors ask for it at once while its rebuild takes 0.3 s, then it is
    rendered once, and the others get the previous copy meanwhile."""
    product = make_product("Timer NE555", price="0.45", stock=25)
    timers = Category.add_root(name="Timers", slug="timers")
    product.categories.add(timers)
    url = live_server.url + timers.get_absolute_url()
    assert requests.get(url, timeout=30).status_code == 200
    record = StockRecord.objects.get(product=product)
    record.num_in_stock = 9
    record.save()

    rendered = []
    original = views.ProductCategoryView.get_context_data

    def slow(self, **kwargs):
        rendered.append(self.request.path)
        time.sleep(0.3)
        return original(self, **kwargs)

    monkeypatch.setattr(views.ProductCategoryView, "get_context_data", slow)
    pages = []

    def visit_page():
        pages.append(requests.get(url, timeout=30).text)

    threads = [threading.Thread(target=visit_page) for _ in range(8)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    assert len(rendered) == 1
    assert len(pages) == 8
    assert sum("(9 disponibles)" in page for page in pages) >= 1
    assert sum("(25 disponibles)" in page for page in pages) >= 5
    assert "(9 disponibles)" in requests.get(url, timeout=30).text


def test_a_stale_page_is_rebuilt_by_the_request_that_takes_the_lock(shelf, renders):
    url = shelf["ne555"].get_absolute_url()
    visit(url)
    record = StockRecord.objects.get(product=shelf["ne555"])
    record.num_in_stock = 3
    record.save()
    renders.clear()
    visit(url)
    _, second, _ = visit(url)
    assert renders == [url]  # rebuilt once, then served
    assert "(3 disponibles)" in second.content.decode()


def test_a_missing_tag_counts_as_changed(shelf, renders):
    """An evicted tag (allkeys-lru) never lets an old page pass as fresh."""
    from shop.catalogue.cache import TAG_PREFIX, product_tag

    url = shelf["ne555"].get_absolute_url()
    visit(url)
    renders.clear()
    cache.delete(TAG_PREFIX + product_tag(shelf["ne555"].pk))
    visit(url)
    visit(url)
    assert renders == [url]


def test_every_key_expires(shelf, django_user_model):
    """Nothing the page cache writes lives forever: Redis may evict it, but
    need not."""
    alice = customer(django_user_model, "Alice", shelf["ne555"])
    for url in ("/", shelf["timers"].get_absolute_url(), "/search/?q=relay", "/en/"):
        Client().get(url)
        alice.get(url)
    record = StockRecord.objects.get(product=shelf["ne555"])
    record.price = "1.23"
    record.save()
    alice.get("/")
    expiries = cache._expire_info  # LocMemCache's: key -> expiry time, None for never
    assert expiries
    assert all(when is not None for when in expiries.values())


# --- Redis down ----------------------------------------------------------------


CLOSED_PORT = {
    "default": {
        "BACKEND": "core.cache.FailSoftRedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


def test_the_shop_renders_when_redis_is_down(shelf, django_user_model):
    """The cache pointed at a closed port: every page renders (from the
    database), a customer signs in, fills a basket and sees it."""
    with override_settings(CACHES=CLOSED_PORT):
        anonymous = Client()
        for url in (
            "/",
            shelf["timers"].get_absolute_url(),
            shelf["ne555"].get_absolute_url(),
            "/search/?q=relay",
            "/basket/",
        ):
            response = anonymous.get(url)
            assert response.status_code == 200, url
            assert "Comptoir" in response.content.decode()
        alice = customer(django_user_model, "Alice", shelf["ne555"])
        html = alice.get(shelf["timers"].get_absolute_url()).content.decode()
        assert "Alice" in html and basket_count(html) == 1
        assert own_tokens(alice, html)


def test_pictures_render_when_the_thumbnail_store_is_down(shelf, monkeypatch):
    """sorl's thumbnail store is on the broker's Redis: down, a product card
    shows the picture itself rather than failing the page."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    from shop.templatetags import shop_tags

    get_model("catalogue", "ProductImage").objects.create(
        product=shelf["ne555"], original="images/products/ne555.jpg", display_order=0
    )

    class Down:
        def generate_thumbnail(self, *args, **kwargs):
            raise RedisConnectionError("connection refused")

    monkeypatch.setattr(shop_tags, "get_thumbnailer", Down)
    response = Client().get(shelf["timers"].get_absolute_url())
    assert response.status_code == 200
    assert 'src="/media/images/products/ne555.jpg"' in response.content.decode()


# --- The basket page: each visitor's own entry ------------------------------------

QUANTITY = re.compile(r'name="form-(\d+)-quantity" value="(\d+)"')


def basket_page(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/basket/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def quantities(html) -> list[int]:
    return [int(value) for _index, value in QUANTITY.findall(html)]


def test_each_visitor_gets_their_own_basket_page_from_the_cache(shelf, django_user_model):
    """Given Alice (signed in, one NE555) and an anonymous holder (a relay,
    three NE555), when each opens their basket twice, interleaved, then the
    second visit costs no query and each sees only their own lines, name and
    token."""
    alice = customer(django_user_model, "Alice", shelf["ne555"])
    holder = Client(enforce_csrf_checks=True)
    add_to_basket(holder, shelf["relay"])
    add_to_basket(holder, shelf["ne555"], quantity=3)

    for round_ in range(3):
        html, queries = basket_page(alice)
        assert "Alice" in html and "Relay 5 V" not in html
        assert quantities(html) == [1]
        assert own_tokens(alice, html)
        if round_:
            assert queries == 0

        html, queries = basket_page(holder)
        assert "Alice" not in html and 'id="login_link"' in html
        assert "Relay 5 V" in html and sorted(quantities(html)) == [1, 3]
        assert own_tokens(holder, html)
        if round_:
            assert queries == 0
    assert "private" in holder.get("/basket/")["Cache-Control"]


def test_the_basket_page_follows_a_change_of_quantity_at_once(shelf, django_user_model):
    alice = customer(django_user_model, "Alice", shelf["ne555"])
    html, _ = basket_page(alice)
    line = get_model("basket", "Line").objects.get(product=shelf["ne555"])
    response = alice.post(
        "/basket/",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": str(line.pk),
            "form-0-quantity": "4",
            "csrfmiddlewaretoken": TOKEN.search(html).group(1),
        },
    )
    assert response.status_code == 302
    html, _ = basket_page(alice)
    assert quantities(html) == [4]


def test_a_price_change_shows_on_the_basket_page(shelf, django_user_model):
    alice = customer(django_user_model, "Alice", shelf["relay"])
    assert "2,40" in basket_page(alice)[0]
    record = StockRecord.objects.get(product=shelf["relay"])
    record.price = "3.00"
    record.save()
    html, _ = basket_page(alice)
    assert "3,60" in html
    # Oscar's notice of the change, read from the line's price when added.
    assert "de 2,40 € à 3,60 €" in html.replace("\xa0", " ").replace("&nbsp;", " ")


def test_a_message_on_the_basket_page_is_shown_once(shelf):
    holder = Client(enforce_csrf_checks=True)
    page = holder.get(shelf["ne555"].get_absolute_url())
    holder.post(
        reverse("basket:add", kwargs={"pk": shelf["ne555"].pk}),
        {"quantity": 1, "csrfmiddlewaretoken": TOKEN.search(page.content.decode()).group(1)},
    )
    first, _ = basket_page(holder)
    second, queries = basket_page(holder)
    assert "Timer NE555" in first and "alert" in first
    message = re.search(r'class="alert[^"]*"[^>]*>(.*?)</div>', first, re.S).group(1)
    assert message.strip() and message not in second
    assert queries == 0


def test_saving_a_line_for_later_moves_it_on_the_basket_page(shelf, django_user_model):
    alice = customer(django_user_model, "Alice", shelf["ne555"], shelf["relay"])
    html, _ = basket_page(alice)
    lines = {
        line.product_id: line
        for line in get_model("basket", "Line").objects.filter(basket__owner__first_name="Alice")
    }
    relay = lines[shelf["relay"].pk]
    forms = dict(QUANTITY.findall(html))
    index = next(i for i in forms if f'name="form-{i}-id" value="{relay.pk}"' in html)
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "csrfmiddlewaretoken": TOKEN.search(html).group(1),
    }
    for i in forms:
        line_id = re.search(rf'name="form-{i}-id" value="(\d+)"', html).group(1)
        data |= {f"form-{i}-id": line_id, f"form-{i}-quantity": "1"}
    data[f"form-{index}-save_for_later"] = "on"
    assert alice.post("/basket/", data).status_code == 302

    html, _ = basket_page(alice)
    assert quantities(html) == [1]
    assert 'name="saved-0-id"' in html and "Relay 5 V" in html


def test_a_delivery_method_change_rebuilds_the_basket_pages(shelf, django_user_model, monkeypatch):
    from shop.basket_views import BasketView
    from shop.shipping.models import DeliveryMethod

    built = []
    original = BasketView.get_context_data

    def counted(self, **kwargs):
        built.append(self.request.path)
        return original(self, **kwargs)

    monkeypatch.setattr(BasketView, "get_context_data", counted)
    alice = customer(django_user_model, "Alice", shelf["relay"])
    basket_page(alice)
    basket_page(alice)
    assert len(built) == 1
    DeliveryMethod.objects.create(code="standard", price_incl_tax="7.77")
    basket_page(alice)
    assert len(built) == 2


# --- Each process's copies --------------------------------------------------------


def test_a_page_from_the_process_copy_costs_one_round_trip(shelf, monkeypatch):
    url = shelf["timers"].get_absolute_url()
    visit(url)
    calls = []
    original = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(keys) or original(keys))
    _, page, queries = visit(url)
    assert page.status_code == 200 and queries == 0
    assert len(calls) == 1 and all(key.startswith("tag:") for key in calls[0])


def test_a_flushed_cache_ends_every_process_copy(shelf):
    """Given a page kept in this process, when Redis is flushed (or evicts
    the tags) and a price changes without a signal, then the next visit
    shows the new price: the copy's ``live`` tag is gone with the flush."""
    url = shelf["ne555"].get_absolute_url()
    assert "0,54" in visit(url)[1].content.decode()
    StockRecord.objects.filter(product=shelf["ne555"]).update(price="1.00")
    cache.clear()
    assert "1,20" in visit(url)[1].content.decode()


def test_a_copy_rebuilt_by_another_process_is_taken_from_redis(shelf, renders):
    from shop.catalogue import cache as page_entries

    url = shelf["timers"].get_absolute_url()
    visit(url)
    record = StockRecord.objects.get(product=shelf["ne555"])
    record.price = "0.99"
    record.save()
    # Another process rebuilds the page: this one's copy is now stale.
    stale = dict(page_entries._local)
    visit(url)
    page_entries._local.update(stale)
    renders.clear()
    html = visit(url)[1].content.decode()
    assert renders == [] and "1,19" in html
