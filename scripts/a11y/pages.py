"""The pages whose accessibility is checked, ONE list for `make a11y`
(scripts/a11y/run.py: axe-core and Lighthouse against the demo shop) and for
the browser suite (tests/browser/test_accessibility.py: axe-core, French and
English). A new page is one line in PAGES.

Each page is reached as a person would: a path (the English one is the
same under /en/), optionally following the first link matching a selector
on it (no database ids here, so the list works against any shop), as a
visitor, the demo customer or staff. The checkout's steps come in a row:
each step's ``then`` does what a guest does to go on (an email, an
address, a delivery, a payment), and the next step has no path: it is where
that led.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Who: the demo accounts of shop/demo/users.py (the browser test makes the same).
LOGINS = {
    "customer": ("shopper@comptoir.example", "demo-shopper"),
    "staff": ("staff@comptoir.example", "demo-staff"),
}

CATEGORY_LINK = "a[href*='/catalogue/category/']"
PRODUCT_LINK = "main a[href*='/catalogue/'][href*='_']:not([href*='/category/'])"
ORDER_LINK = "main a[href*='/accounts/orders/'][href$='/']:not([href$='/accounts/orders/'])"


def add_to_basket(page: Any) -> None:
    page.locator("form[action*='/basket/add/'] [type=submit]").first.click()
    page.wait_for_load_state()


def identify_as_guest(page: Any) -> None:
    page.fill("input[name='username']", "a11y-guest@example.com")
    page.locator("input[name='options'][value='anonymous']").check()
    page.wait_for_timeout(2100)  # the bot guard's minimum fill time
    page.locator("#gateway_submit").click()


def fill_address(page: Any) -> None:
    page.fill("input[name='first_name']", "Léa")
    page.fill("input[name='last_name']", "Garnier")
    page.fill("input[name='line1']", "8 quai Claude Bernard")
    page.fill("input[name='line4']", "Lyon")
    page.fill("input[name='postcode']", "69007")
    page.locator("#new_shipping_address [type=submit]").click()


def choose_delivery(page: Any) -> None:
    page.locator("#shipping_method_form [type=submit]").click()


def pay_by_transfer(page: Any) -> None:
    page.locator("#payment-transfer input").check()
    page.locator("#payment_method_submit").click()


@dataclass(frozen=True)
class Page:
    name: str
    path: str = ""  # "" : where the previous page's ``then`` led
    who: str = "visitor"  # visitor, customer or staff
    link: str = ""  # follow the first link matching this on ``path``
    ready: str = "body"  # what shows the page is there
    then: Callable[[Any], None] | None = None


PAGES = [
    Page("home", "/"),
    Page("category", "/", link=CATEGORY_LINK, ready="main"),
    Page("product", "/catalogue/", link=PRODUCT_LINK, then=add_to_basket),
    Page("basket", "/basket/"),
    Page("checkout-identify", "/checkout/", ready="#gateway_submit", then=identify_as_guest),
    Page("checkout-address", ready="#new_shipping_address", then=fill_address),
    Page("checkout-delivery", ready="#shipping_method_form", then=choose_delivery),
    Page("checkout-payment", ready="#payment_method_form", then=pay_by_transfer),
    Page("checkout-review", ready="#place_order_form"),
    Page("quote-request", "/quotes/request/"),
    Page("contact", "/pages/contact/"),
    Page("returns", "/pages/returns/"),
    Page("account-orders", "/accounts/orders/", who="customer"),
    Page("order", "/accounts/orders/", who="customer", link=ORDER_LINK),
    Page("admin-orders", "/admin/order/order/", who="staff"),
]


def localised(path: str, language: str) -> str:
    """French at the root, English under /en/ (the admin too)."""
    return path if language == "fr" else f"/{language}{path}"


def log_in(page: Any, base: str, who: str) -> None:
    """Sign in as the demo customer (the shop's login) or staff (the admin's)."""
    if who == "visitor":
        return
    username, password = LOGINS[who]
    if who == "staff":
        page.goto(f"{base}/admin/login/")
        page.fill("input[name='username']", username)
        page.fill("input[name='password']", password)
        page.locator("[type=submit]").click()
    else:
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name='login-username']", username)
        page.fill("input[name='login-password']", password)
        page.locator("button[name='login_submit']").click()
    page.wait_for_load_state()


def open_as(browser: Any, base: str, who: str, language: str) -> Any:
    """A new page in its own browser context (its own session and basket),
    signed in as ``who``, in ``language``, letting axe-core's script in
    despite the shop's Content-Security-Policy."""
    context = browser.new_context(
        bypass_csp=True,
        locale="fr-FR" if language == "fr" else "en-GB",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    log_in(page, base, who)
    return page


def reach(page: Any, base: str, entry: Page, language: str) -> str:
    """Open ``entry`` in ``page`` (already signed in as its ``who``) and
    return its URL once it is ready."""
    if entry.path:
        page.goto(base + localised(entry.path, language))
        if entry.link:
            page.locator(entry.link).first.click()
            page.wait_for_load_state()
    page.wait_for_selector(entry.ready)
    return str(page.url)
