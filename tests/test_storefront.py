"""The storefront's look, footer pages and translations (issue "The shop
runs", item 5): every page answers in French at / and in English at /en/,
the header's language switch and basket link, the six footer pages, and the
cached category menu."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from shop.catalogue.cache import fragment_key
from shop.templatetags.shop_tags import BUY_BOX_MARKER
from tests.factories import make_product

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _online_providers_configured(settings):
    """The footer lists card and PayPal only when their provider is
    configured (tests/checkout/test_methods_on_offer.py): give both keys."""
    settings.STRIPE_SECRET_KEY = "sk_test_dummy"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_dummy"
    settings.PAYPAL_CLIENT_ID = "dummy-client"
    settings.PAYPAL_CLIENT_SECRET = "dummy-secret"


SLUGS = ["terms", "legal-notice", "privacy", "delivery", "returns", "contact"]

# What each language shows for the same thing.
WORDS = {
    "fr": {
        "in_stock": "En stock",
        "to_order": "Sur commande : expédié sous 15 jours",
        "incl": "TTC",
        "excl": "HT",
        "price_incl": "0,54 €",
        "price_excl": "0,45 €",
        "basket": "Panier",
        "login": "Connexion / Inscription",
        "pages": [
            "Conditions générales de vente",
            "Mentions légales",
            "Confidentialité",
            "Livraison",
            "Retours",
            "Contact",
        ],
        "payment": [
            "Carte bancaire",
            "PayPal",
            "Virement bancaire",
            "Chèque",
            "Mandat administratif",
        ],
        "eur": "Tous les prix sont en euros (EUR)",
        "hero": "Les pièces qu'il vous faut",
    },
    "en": {
        "in_stock": "In stock",
        "to_order": "To order: ships in 15 days",
        "incl": "incl. VAT",
        "excl": "excl. VAT",
        "price_incl": "€0.54",
        "price_excl": "€0.45",
        "basket": "Basket",
        "login": "Log in / Register",
        "pages": ["Terms of sale", "Legal notice", "Privacy", "Delivery", "Returns", "Contact"],
        "payment": ["Bank card", "PayPal", "Bank transfer", "Cheque", "Administrative mandate"],
        "eur": "All prices are in euros (EUR)",
        "hero": "The parts you need",
    },
}

# Key phrases each footer page must carry, per language.
LEGAL_PHRASES = {
    "fr": {
        "terms": [
            "14 jours",
            "7 jours ouvrés",
            "40 €",
            "mandat administratif",
            "dans les 7 jours",
            "vices cachés",
            "garantie légale de conformité",
            "médiateur",
        ],
        "legal-notice": ["SIRET", "Hébergement", "Directeur de la publication", "Capital social"],
        "privacy": ["RGPD", "CNIL", "Durées de conservation", "cookies"],
        "delivery": ["Colis standard", "Express", "Retrait au comptoir", "dès 100 €"],
        "returns": ["14 jours", "7 jours ouvrés", "numéro de retour"],
        "contact": ["Demander un devis", "du lundi au vendredi"],
    },
    "en": {
        "terms": [
            "14 days",
            "7 business days",
            "€40",
            "administrative mandate",
            "within 7 days",
            "hidden defects",
            "legal guarantee of conformity",
            "mediator",
        ],
        "legal-notice": ["SIRET", "Hosting", "Publication director", "Share capital"],
        "privacy": ["GDPR", "CNIL", "Retention periods", "Cookies"],
        "delivery": ["Standard parcel", "Express", "Collection at the counter", "from €100"],
        "returns": ["14 days", "7 business days", "return number"],
        "contact": ["Ask for a quote", "Monday to Friday"],
    },
}


@pytest.fixture(autouse=True)
def _default_language():
    """A request to /en/ leaves English active in the test thread (the locale
    middleware activates, nothing deactivates): put the default back so the
    next test reverses URLs in French."""
    yield
    translation.deactivate()


def text_of(response) -> str:
    """The page's HTML with its non-breaking spaces made plain, so that
    "0,54 €" matches whatever space the number format puts there."""
    html = response.content.decode()
    return re.sub(r"[\u00a0\u202f]", " ", html)


def url(lang: str, name: str, *args, **kwargs) -> str:
    with translation.override(lang):
        return reverse(name, args=args, kwargs=kwargs)


def absolute_url(lang: str, obj) -> str:
    with translation.override(lang):
        return obj.get_absolute_url()


@pytest.fixture
def catalogue():
    """Circuits > Timers with an NE555 in stock; Lab > Scopes with a scope
    to order (15 days' lead time)."""
    timers = create_from_breadcrumbs("Circuits > Timers")
    scopes = create_from_breadcrumbs("Lab > Scopes")
    ne555 = make_product("Timer NE555 DIP-8", mpn="NE555P", price="0.45", stock=40)
    ne555.categories.add(timers)
    scope = make_product(
        "Oscilloscope 2 voies", mpn="DS1102Z-E", price="389.00", stock=0, lead_time_days=15
    )
    scope.categories.add(scopes)
    return {"ne555": ne555, "scope": scope, "timers": timers, "scopes": scopes}


def storefront_pages(lang: str, catalogue) -> dict:
    return {
        "home": url(lang, "home"),
        "catalogue": url(lang, "catalogue:index"),
        "category": absolute_url(lang, catalogue["timers"].get_parent()),
        "product": absolute_url(lang, catalogue["ne555"]),
        "search": url(lang, "search:search") + "?q=NE555",
    }


def assert_shell(html: str, lang: str):
    """The header and footer every page shares."""
    words = WORDS[lang]
    assert f'<html lang="{lang}"' in html
    assert 'action="/i18n/setlang/"' in html
    assert f'action="{url(lang, "search:search")}"' in html and 'name="q"' in html
    assert words["login"] in html
    assert f'href="{url(lang, "basket:summary")}"' in html
    assert "Circuits" in html and "Lab" in html  # the category menu
    assert "Comptoir Électronique SAS" in html and "73282932000074" in html
    for slug, name in zip(SLUGS, words["pages"], strict=True):
        assert f'href="{url(lang, "page", slug)}"' in html
        assert name in html
    for method in words["payment"]:
        assert method in html
    assert words["eur"] in html


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("page", ["home", "catalogue", "category", "product", "search"])
def test_storefront_page_answers_in_its_language(catalogue, lang, page):
    """Given a small catalogue, when a visitor opens a storefront page at /
    or at /en/, then it answers 200 in that language with the part number,
    the stock badge and both prices, inside the shop's header and footer."""
    response = Client().get(storefront_pages(lang, catalogue)[page])

    assert response.status_code == 200
    html = text_of(response)
    words = WORDS[lang]
    assert_shell(html, lang)
    assert "NE555P" in html
    assert words["in_stock"] in html
    assert 'class="stock stock--instock"' in html
    assert words["price_incl"] in html and words["incl"] in html
    assert words["price_excl"] in html and words["excl"] in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_home_page_shows_the_promise_and_the_categories(catalogue, lang):
    html = text_of(Client().get(url(lang, "home")))

    assert WORDS[lang]["hero"] in html
    assert f'href="{absolute_url(lang, catalogue["timers"].get_parent())}"' in html
    assert f'href="{absolute_url(lang, catalogue["ne555"])}"' in html


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_product_to_order_shows_its_lead_time(catalogue, lang):
    html = text_of(Client().get(absolute_url(lang, catalogue["scope"])))

    assert 'class="stock stock--toorder"' in html
    assert WORDS[lang]["to_order"] in html


def test_add_to_basket_form_is_not_in_the_cached_sheet(catalogue):
    """Given a product page rendered once, then the cached product sheet
    holds the place of the buy box but no form and no CSRF token, while the
    page itself has both, in the info column."""
    product = catalogue["ne555"]
    response = Client().get(absolute_url("fr", product))
    html = response.content.decode()

    with translation.override("fr"):
        cached = cache.get(fragment_key("product", product.pk)).value
    assert BUY_BOX_MARKER in cached["html"]
    assert "csrfmiddlewaretoken" not in cached["html"]
    add_url = reverse("basket:add", kwargs={"pk": product.pk})
    assert f'action="{add_url}"' in html and "csrfmiddlewaretoken" in html
    info_column = html[html.index("product-sheet__info") :]
    assert info_column.index(f'action="{add_url}"') < info_column.index("reassurance")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_basket_page_lists_the_item_and_the_header_counts_it(catalogue, lang):
    """Given a visitor who added 3 timers, when they browse, then the header
    shows 3 items and the total, and the basket page lists the timer."""
    client = Client()
    product = catalogue["ne555"]
    client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 3})

    home = text_of(client.get(url(lang, "home")))
    basket = text_of(client.get(url(lang, "basket:summary")))

    assert 'class="basket-link__count" aria-hidden="true">3<' in home
    assert ("1,62 €" if lang == "fr" else "€1.62") in home
    assert product.title in basket
    assert f'href="{absolute_url(lang, product)}"' in basket


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_login_page_has_the_shop_look(catalogue, lang):
    response = Client().get(url(lang, "customer:login"))

    assert response.status_code == 200
    html = text_of(response)
    assert_shell(html, lang)
    assert 'id="login_form"' in html


@pytest.mark.parametrize(
    ("start", "cookie", "target", "expected"),
    [
        ("/catalogue/?page=1", None, "en", "/en/catalogue/?page=1"),
        ("/en/catalogue/?page=1", None, "fr", "/catalogue/?page=1"),
        # The basket page, cached per visitor on its own route (shop/urls.py).
        ("/basket/", None, "en", "/en/basket/"),
        ("/en/basket/", None, "fr", "/basket/"),
        # A French page reached with an English cookie still switches.
        ("/catalogue/", "en", "en", "/en/catalogue/"),
        ("/en/catalogue/", "fr", "fr", "/catalogue/"),
    ],
)
def test_language_switch_goes_to_the_same_page_in_the_other_language(
    catalogue, start, cookie, target, expected
):
    """Given a visitor on a page, when they press FR or EN in the header,
    then they land on the same page in that language."""
    client = Client()
    if cookie:
        client.cookies["django_language"] = cookie
    page = text_of(client.get(start)).replace("&amp;", "&")
    assert f'<input type="hidden" name="next" value="{expected}">' in page
    assert f'name="language" value="{target}"' in page

    response = client.post("/i18n/setlang/", {"language": target, "next": expected})

    assert response.status_code == 302
    assert response["Location"] == expected
    assert client.cookies["django_language"].value == target
    landed = client.get(expected)
    assert f'<html lang="{target}"' in landed.content.decode()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("slug", SLUGS)
def test_footer_page_renders_its_legal_text(lang, slug, settings):
    """Given the shop's legal identity, when a visitor opens a footer page,
    then it answers in their language with its key legal phrases and the
    shop's identity."""
    settings.COMPTOIR_TERMS_VERSION = "2099-01"
    response = Client().get(url(lang, "page", slug))

    assert response.status_code == 200
    html = text_of(response)
    assert f'<html lang="{lang}"' in html
    for phrase in LEGAL_PHRASES[lang][slug]:
        assert phrase in html, phrase
    assert 'aria-current="page"' in html
    if slug == "terms":
        assert "Version 2099-01" in html
    if slug in ("legal-notice", "contact"):
        assert settings.COMPTOIR_LEGAL["siret"] in html
        assert settings.COMPTOIR_LEGAL["email"] in html


@pytest.mark.parametrize(
    ("path", "title"), [("/nowhere/", "Page non trouvée"), ("/en/nowhere/", "Page not found")]
)
def test_unknown_page_is_a_404_in_the_shop_look(catalogue, path, title):
    response = Client().get(path)

    assert response.status_code == 404
    html = text_of(response)
    assert title in html
    assert 'class="site-search"' in html and "Circuits" in html


def test_server_error_page_needs_no_context():
    """Django renders 500.html with an empty context, when the database may
    be what failed: the page needs nothing else."""
    with CaptureQueriesContext(connection) as ctx:
        html = Template('{% include "500.html" %}').render(Context())

    assert "comptoir.css" in html and 'href="/"' in html
    assert not ctx.captured_queries


def render_menu(lang: str = "fr") -> str:
    with translation.override(lang):
        return Template("{% load shop_tags %}{% catalogue_menu %}").render(Context())


def category_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if '"catalogue_category"' in q["sql"]]


def test_menu_is_cached(catalogue):
    """Given the menu rendered once, when it is rendered again, then it
    makes no query on the categories."""
    with CaptureQueriesContext(connection) as first:
        html = render_menu()
    with CaptureQueriesContext(connection) as second:
        again = render_menu()

    assert category_queries(first)
    assert not category_queries(second), second.captured_queries
    assert again == html
    assert f'href="{absolute_url("fr", catalogue["timers"])}">Timers<' in html


def test_menu_changes_when_a_category_changes(catalogue, django_capture_on_commit_callbacks):
    """Given a cached menu, when a category is renamed, then the next render
    (after the commit) shows the new name."""
    assert ">Lab<" in render_menu()

    lab = catalogue["scopes"].get_parent()
    lab.name = "Laboratory"
    with django_capture_on_commit_callbacks(execute=True):
        lab.save()

    html = render_menu()
    assert ">Laboratory<" in html and ">Lab<" not in html


def test_menu_follows_the_language(catalogue):
    english, french = render_menu("en"), render_menu("fr")

    assert "All products" in english and 'href="/en/catalogue/"' in english
    assert "Tous les produits" in french and 'href="/catalogue/"' in french


def test_anonymous_home_page_makes_no_basket_query(catalogue):
    """Given a visitor without a basket, when they open the home page, then
    the header's basket link (0 items) costs no query."""
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get("/")

    assert response.status_code == 200
    assert 'class="basket-link__count" aria-hidden="true">0<' in response.content.decode()
    basket_sql = [q["sql"] for q in ctx.captured_queries if '"basket_' in q["sql"]]
    assert not basket_sql, basket_sql


@pytest.mark.parametrize(("lang", "home"), [("fr", "/"), ("en", "/en/")])
def test_signing_in_and_out_stays_in_the_visitors_language(
    catalogue, django_user_model, lang, home
):
    django_user_model.objects.create_user(
        username="lea", email="lea@example.com", password="a long passphrase 42"
    )
    client = Client()
    login = "/accounts/login/" if lang == "fr" else "/en/accounts/login/"
    client.get(login)
    response = client.post(
        login,
        {
            "login_submit": "1",
            "login-username": "lea@example.com",
            "login-password": "a long passphrase 42",
            "login-redirect_url": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == home
    logout = "/accounts/logout/" if lang == "fr" else "/en/accounts/logout/"
    assert client.get(logout)["Location"] == home


def test_a_merged_basket_is_announced_in_french(catalogue, django_user_model):
    """Oscar's message, missing from its French catalogue (shop/oscar_messages.py)."""
    Basket = get_model("basket", "Basket")
    user = django_user_model.objects.create_user(
        username="lea", email="lea@example.com", password="x"
    )
    product = get_model("catalogue", "Product").objects.filter(stockrecords__isnull=False).first()
    client = Client()
    page = client.get(product.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client.post(
        reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 2, "csrfmiddlewaretoken": token},
    )
    Basket.open.create(owner=user)  # the basket of an earlier session
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Nous avons ajouté à votre panier" in html
