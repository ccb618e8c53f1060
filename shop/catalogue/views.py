"""Storefront pages. Each renders its heavy part (product grid, product
sheet) into a cached fragment tagged with what it shows (cache.py), so a
warm page costs no catalogue query; the whole page is cached once for every
visitor, and what is personal in it is filled in per request
(page_cache.py)."""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from oscar.core.loading import get_class, get_model

from . import selectors
from .cache import (
    PRODUCTS,
    cache_depends,
    cached_fragment,
    category_tags,
    fragment_key,
    product_tag,
)
from .page_cache import shared_page_cache

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")

SEARCH_QUERY_MAX_LENGTH = 100


def with_purchase_info(products):
    """Attach price and availability to each product, with no query (the
    list querysets prefetch stock records)."""
    strategy = Selector().strategy()
    for product in products:
        product.info = strategy.fetch_for_product(product)
    return products


def shown(products):
    """Record that the page being built shows ``products`` (cache tags)."""
    cache_depends(*(product_tag(product.pk) for product in products))
    return products


def render_grid(get_queryset, *, page_number, base_query: dict, key_parts, tags) -> dict:
    def build():
        paginator = Paginator(get_queryset(), settings.OSCAR_PRODUCTS_PER_PAGE)
        page = paginator.get_page(page_number)
        products = shown(with_purchase_info(list(page.object_list)))
        html = render_to_string(
            "catalogue/partials/product_grid.html",
            {"page_obj": page, "products": products, "base_query": urlencode(base_query)},
        )
        return {"html": html, "count": paginator.count}

    return cached_fragment(fragment_key("grid", *key_parts, page_number), build, tags)


class ProductListView(TemplateView):
    """A page of product cards, its grid cached until one of its products,
    or the set of products it lists, changes."""

    def get_queryset(self):
        return selectors.product_list_queryset()

    def get_key_parts(self) -> tuple:
        return ()

    def get_tags(self) -> list[str]:
        """Tags of what changes the products this listing finds."""
        return [PRODUCTS]

    def get_base_query(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page_number = self.request.GET.get("page", "1")
        if not page_number.isdigit():
            page_number = "1"
        ctx["grid"] = render_grid(
            self.get_queryset,
            page_number=int(page_number),
            base_query=self.get_base_query(),
            key_parts=self.get_key_parts(),
            tags=self.get_tags(),
        )
        return ctx


@method_decorator(shared_page_cache, name="dispatch")
class HomeView(TemplateView):
    template_name = "catalogue/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)

        def build():
            products = shown(with_purchase_info(list(selectors.product_list_queryset()[:8])))
            return render_to_string(
                "catalogue/partials/home_content.html",
                {"products": products, "categories": selectors.menu_categories()},
            )

        ctx["content"] = cached_fragment(fragment_key("home"), build, [PRODUCTS])
        return ctx


@method_decorator(shared_page_cache, name="dispatch")
class CatalogueView(ProductListView):
    template_name = "catalogue/browse.html"


@method_decorator(shared_page_cache, name="dispatch")
class ProductCategoryView(ProductListView):
    template_name = "catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = self.get_category()
        expected = self.category["url"]
        if request.path != expected:
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_category(self) -> dict:
        pk = self.kwargs["pk"]

        def build():
            category = get_object_or_404(Category.objects.browsable(), pk=pk)
            lineage = selectors.category_lineage(category)
            crumbs = selectors.category_breadcrumbs(lineage)
            return {
                "pk": category.pk,
                "path": category.path,
                "name": category.name,
                "url": crumbs[-1]["url"],
                "description": category.description,
                "breadcrumbs": crumbs,
                "children": selectors.category_children(lineage),
            }

        return cached_fragment(fragment_key("category", pk), build)

    def get_queryset(self):
        # Built only on a cache miss of the grid; the path is all it needs.
        return selectors.category_products(category_path=self.category["path"])

    def get_key_parts(self):
        return ("category", self.category["pk"])

    def get_tags(self):
        return [PRODUCTS, category_tags(self.category["path"], Category.steplen)[-1]]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        return ctx


@method_decorator(shared_page_cache, name="dispatch")
class ProductSearchView(ProductListView):
    template_name = "catalogue/search.html"

    def get_query(self) -> str:
        return " ".join(self.request.GET.get("q", "").split())[:SEARCH_QUERY_MAX_LENGTH]

    def get_queryset(self):
        return selectors.product_search(query=self.get_query())

    def get_key_parts(self):
        digest = hashlib.sha256(self.get_query().casefold().encode()).hexdigest()
        return ("search", digest[:32])

    def get_base_query(self):
        return {"q": self.get_query()}

    def get_context_data(self, **kwargs):
        query = self.get_query()
        if not query:
            ctx = TemplateView.get_context_data(self, **kwargs)
            ctx["grid"] = None
        else:
            ctx = super().get_context_data(**kwargs)
        ctx["query"] = query
        return ctx


@method_decorator(shared_page_cache, name="dispatch")
class ProductDetailView(TemplateView):
    template_name = "catalogue/detail.html"

    def get(self, request, *args, **kwargs):
        self.product = self.get_product()
        if request.path != self.product["url"]:
            return HttpResponsePermanentRedirect(self.product["url"])
        return super().get(request, *args, **kwargs)

    def get_product(self) -> dict:
        pk = int(self.kwargs["pk"])

        def build():
            try:
                product = selectors.product_detail(pk=pk)
            except Product.DoesNotExist:
                raise Http404(_("No such product.")) from None
            if product.is_parent:
                # Variants are not used by Comptoir's catalogue yet.
                raise Http404(_("No such product."))
            (product,) = with_purchase_info([product])
            return {
                "pk": product.pk,
                "title": product.get_title(),
                "url": product.get_absolute_url(),
                "meta_description": product.get_meta_description(),
                "purchasable": product.info.availability.is_available_to_buy,
                "html": render_to_string(
                    "catalogue/partials/product_main.html", {"product": product}
                ),
            }

        return cached_fragment(fragment_key("product", pk), build, [product_tag(pk)])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["product"] = self.product
        return ctx
