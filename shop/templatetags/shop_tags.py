"""Template tags of the storefront shell (header, footer, product page)."""

import logging

from django import template
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from oscar.core.thumbnails import get_thumbnailer
from redis.exceptions import RedisError

from shop.catalogue import selectors
from shop.catalogue.cache import cached_fragment, fragment_key
from shop.catalogue.page_cache import PERSONAL_TEMPLATES, personal_marker

register = template.Library()
logger = logging.getLogger(__name__)

# Where the product sheet fragment (catalogue/partials/product_main.html)
# leaves room for the add-to-basket form, which carries a per-visitor CSRF
# token and so must never be cached.
BUY_BOX_MARKER = "<!--comptoir:buy-box-->"


@register.simple_tag
def catalogue_menu():
    """The category navigation, cached with the catalogue fragments: any
    change to a category invalidates it (the ``catalogue`` tag), so the next
    page renders it afresh."""

    def build():
        return render_to_string("partials/menu.html", {"categories": selectors.menu_categories()})

    return mark_safe(cached_fragment(fragment_key("menu"), build))


@register.simple_tag(takes_context=True)
def personal(context, name):
    """A personal part of the page shell (account links, basket link,
    messages): rendered here as an include would, or, while a page is
    rendered for the cache, a marker that each response fills with the
    visitor's own (page_cache.py)."""
    request = context.get("request")
    if getattr(request, "page_cache_building", False):
        return mark_safe(personal_marker(name))
    template = context.template.engine.get_template(PERSONAL_TEMPLATES[name])
    with context.push():
        return template.render(context)


@register.simple_tag
def split_fragment(html):
    """Cut a cached product sheet where the buy box goes: returns
    ``{"before": ..., "after": ...}``. Without the marker, everything comes
    before and the buy box goes at the end."""
    before, _marker, after = str(html).partition(BUY_BOX_MARKER)
    return {"before": mark_safe(before), "after": mark_safe(after)}


@register.filter
def child_category_url(child, parent):
    """The URL of a category whose parent is at hand, without the query
    Oscar would make to find that parent."""
    return child._get_absolute_url(parent_slug=parent.get_full_slug())


@register.simple_tag
def category_crumbs(category):
    """A category and its ancestors as breadcrumb entries (name, url)."""
    return selectors.category_breadcrumbs(selectors.category_lineage(category))


@register.simple_tag
def thumbnail_url(image, size):
    """A product picture scaled down to ``size`` pixels (twice that for
    high-density screens), never up. The thumbnail store is Redis or a file
    (settings), so rendering a product grid costs no SQL query per picture."""
    side = int(size) * 2
    try:
        thumbnail = get_thumbnailer().generate_thumbnail(
            image.original, size=f"{side}x{side}", upscale=False
        )
    except RedisError:
        # The thumbnails' store down: the page renders, with the picture itself.
        logger.warning("thumbnail store unavailable", exc_info=True)
        return image.original.url
    return thumbnail.url


@register.simple_tag
def account_manager(user):
    """The staff member who handles this customer's orders."""
    from orders.services.transitions import manager_for_user

    return manager_for_user(user)


@register.simple_tag
def page_range(page_obj):
    """Page numbers around the current page, with "…" for the gaps."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)


@register.simple_tag(takes_context=True)
def path_in_language(context, language):
    """The current page's path (and query) in another language, for the
    language switch: set_language itself cannot translate a path prefixed
    with a language other than the one its own request runs in."""
    request = context.get("request")
    if request is None:
        return "/"
    return translate_url(request.get_full_path(), language)


@register.simple_tag
def payment_method_info(order):
    """How the customer's order page names the order's payment: once paid,
    how it was paid (the methods that took the money), without the
    method's "how to pay" text; before, the method chosen and its help,
    except for deferred terms, which the payment section states, and on a
    cancelled order, which is not to be paid."""
    from billing.payments.selectors import order_paid_with
    from core.payment_methods import PaymentMethod, payment_method_label
    from orders.statuses import OrderStatus

    code = order.payment_method
    if order.is_paid:
        labels = order_paid_with(order) or [payment_method_label(code)]
        return {"label": ", ".join(label for label in labels if label), "terms": "", "paid": True}
    if not code:
        return None
    method = PaymentMethod.of(code)
    to_pay = method and not method.is_deferred and order.status != OrderStatus.CANCELLED
    terms = method.help if to_pay else ""
    return {"label": payment_method_label(code), "terms": terms, "paid": False}


@register.filter
def email_breakable(address):
    """An email address that, when it must wrap, wraps after its "@" (a
    <wbr>), never in the middle of a word."""
    local, at, domain = str(address or "").partition("@")
    if not at:
        return address
    return format_html("{}@<wbr>{}", local, domain)
