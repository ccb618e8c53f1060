"""What the fuzz tests need: a small shop to walk (objects behind every
kind of URL argument), URLs reversed with real or hostile arguments, the
forms a page offers, and hostile values for their fields."""

import html.parser
import re
from urllib.parse import quote, urljoin

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from hypothesis import strategies as st

from orders.services import transitions as t
from procurement.services.requests import LineInput, quote_request_submit
from shop.customer.models import LegalEntity
from tests.factories import make_order, make_product

from .urlmap import Route

# Values no form expects, each a known way to break a view.
HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-Infinity",
    "2026-02-30",
    "../../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%s%s%n",
    "{{ request }}",
    "\u202egnp.exe",
    "x" * 5000,
    "on",
    "true",
    "FR",
    "12345678901234",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers().map(str))


def shop_world(*, customer, staff) -> dict[str, str]:
    """Objects behind the URL arguments, and the value for each argument name."""
    product = make_product("Op-amp LM358", price="0.45", stock=40)
    order = make_order(lines=[(product, 2)], user=customer, payment_method="card")
    t.order_reserve(order_id=order.pk)
    entity = LegalEntity.objects.create(
        user=customer, name="Atelier Martin", line1="1 rue", postcode="69007", city="Lyon"
    )
    quote_request = quote_request_submit(
        user=customer,
        legal_entity=None,
        lines=[LineInput(quantity=2, description="Oscilloscope probe, 100 MHz")],
        contact_name="Ada",
        email=customer.email,
        phone="+33611223344",
    )
    return {
        "pk": str(product.pk),
        "product_pk": str(product.pk),
        "product_slug": product.slug,
        "number": order.number,
        "order_number": order.number,
        "line_id": str(order.lines.first().pk),
        "slug": "terms",
        "provider": "stripe",
        "entity": str(entity.pk),
        "quote": quote_request.number,
        "key": "nokey",
        "token": "notoken",
        "to_key": "nokey",
        "uidb64": "MQ",
        "hash": "nohash",
        "email_id": "1",
        "line_pk": "1",
        "action": "default_for_billing",
        "category_slug": "parts",
        "path": "images/none.png",
    }


def admin_object_id(route: Route) -> str | None:
    """The pk of an existing object for an admin change/delete/history URL."""
    match = re.fullmatch(r"admin:(\w+?)_(\w+)_(change|delete|history)", route.name or "")
    if not match:
        return None
    for model in apps.get_models():
        meta = model._meta
        if f"{meta.app_label}_{meta.model_name}" == f"{match[1]}_{match[2]}":
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return str(first) if first is not None else None
    return None


def reversed_url(route: Route, known: dict[str, str]) -> str | None:
    if route.name is None:
        return None
    kwargs = {name: known.get(name, "1") for name in route.arguments}
    if "object_id" in kwargs:
        kwargs["object_id"] = admin_object_id(route) or "1"
    if route.regex.startswith("(?:en/)?quotes/") and "number" in kwargs:
        kwargs["number"] = known["quote"]
    if route.regex.startswith("(?:en/)?accounts/entities/"):
        kwargs = {**kwargs, "pk": known["entity"]} if "pk" in kwargs else kwargs
    try:
        return reverse(route.name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def fuzzed_url(data, route: Route) -> str:
    """A path that the route's own pattern matches, made up by Hypothesis."""
    path = data.draw(st.from_regex(route.regex, fullmatch=True), label="path")
    return "/" + quote(path, safe="/")


class FormFinder(html.parser.HTMLParser):
    """The POST forms of a page: their action and their fields (name, type,
    and the choices of a select)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "get").lower() == "post":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self._current = {"action": action, "fields": {}}
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "select"):
            name = attrs.get("name")
            if name:
                kind = attrs.get("type", tag) if tag == "input" else tag
                self._current["fields"].setdefault(
                    name, {"type": kind, "values": [attrs.get("value") or ""]}
                )
                self._select = name if tag == "select" else None
        elif tag == "option" and self._current is not None and self._select:
            self._current["fields"][self._select]["values"].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def post_forms(page_url: str, content: str) -> list[dict]:
    finder = FormFinder(page_url)
    finder.feed(content)
    # Only the shop's own forms (not the language switch to /i18n/ every page has).
    return [f for f in finder.forms if f["fields"] and "/i18n/" not in f["action"]]


def fuzzed_form_data(data, form: dict) -> dict:
    """Each field sent or left out; its own value, one of its choices, a
    hostile value, or several values at once; a bogus file for file inputs."""
    sent = {}
    for name, field in form["fields"].items():
        choice = data.draw(st.integers(0, 5), label=f"how {name}")
        if choice == 0:
            continue
        if field["type"] == "file":
            sent[name] = SimpleUploadedFile(
                "x.pdf", data.draw(st.binary(max_size=64), label=name), "application/pdf"
            )
        elif choice == 1:
            sent[name] = field["values"][0]
        elif choice == 2:
            sent[name] = data.draw(st.sampled_from(field["values"]), label=name)
        elif choice == 3:
            sent[name] = data.draw(st.lists(hostile_text, min_size=2, max_size=3), label=name)
        else:
            sent[name] = data.draw(hostile_text, label=name)
    return sent
