"""The staff inbox (Conversations › Conversations): open threads, unanswered
first then the longest waiting; a thread's page to claim, answer inline
(with canned replies and files), close or reopen; opening a thread on a
customer's behalf; asking suppliers for a quote from a request and
recording their offer; the buttons on the order's and the request's pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.admin import admin_extension
from procurement.admin.requests import MineFilter
from procurement.exceptions import ProcurementError
from procurement.models import QuoteRequest
from procurement.services.offers import offer_record

from . import selectors
from .admin_forms import AnswerForm, AskSuppliersForm, OfferForm, OpenForm
from .canned import canned_text
from .exceptions import ConversationError
from .models import AuthorKind, Conversation, ConversationKind, ConversationStatus, MessageSource
from .services import (
    conversation_claim,
    conversation_close,
    conversation_for_order,
    conversation_for_quote_request,
    conversation_open,
    conversation_reopen,
    message_post,
    supplier_request_text,
    suppliers_ask_quote,
)

Order = get_model("order", "Order")


class StatusFilter(admin.SimpleListFilter):
    """Open threads unless asked otherwise (the inbox)."""

    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("all", _("All")), *ConversationStatus.choices]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Not closed (inbox)"),
        }

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset.exclude(status=ConversationStatus.CLOSED)
        if self.value() == "all":
            return queryset
        return queryset.filter(status=self.value())


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    # Five short columns, so that "handled by" is not cut off: the kind is
    # a filter, "to answer" and "waiting since" are one column.
    list_display = ("subject", "correspondent", "waiting", "status", "handled_by")
    list_display_links = ("subject",)
    list_filter = (StatusFilter, MineFilter, "kind")
    search_fields = ("subject", "email", "order__number", "quote_request__number")
    change_form_template = "admin/conversations/conversation/thread.html"

    def get_queryset(self, request):
        return selectors.conversations_for_staff()

    def get_ordering(self, request):
        return []  # the selector's: unanswered first, then the longest waiting

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("with"))
    def correspondent(self, conversation):
        if conversation.supplier_id:
            return str(conversation.supplier)
        return conversation.email or "—"

    @admin.display(description=gettext_lazy("handled by"), ordering="claimed_by")
    def handled_by(self, conversation):
        user = conversation.claimed_by
        if user is None:
            return "—"
        return user.first_name or user.get_username()

    @admin.display(description=gettext_lazy("waiting since"), ordering="-unanswered")
    def waiting(self, conversation):
        since = conversation.last_customer_message_at
        if not conversation.unanswered or since is None:
            return "—"
        hours = int((timezone.now() - since).total_seconds() // 3600)
        if hours < 48:
            return _("%(n)d h") % {"n": hours}
        return _("%(n)d days") % {"n": hours // 24}

    # --- pages -------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/files/<str:token>/",
                view(self.file_view),
                name="conversations_file",
            ),
            path(
                "order/<str:number>/",
                view(self.order_thread_view),
                name="conversations_order_thread",
            ),
            path(
                "request/<int:pk>/",
                view(self.request_thread_view),
                name="conversations_request_thread",
            ),
            path(
                "request/<int:pk>/ask-suppliers/",
                view(self.ask_suppliers_view),
                name="conversations_ask_suppliers",
            ),
            *super().get_urls(),
        ]

    def _context(self, request, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            **extra,
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conversation = get_object_or_404(Conversation, pk=object_id)
        if not self.has_view_or_change_permission(request, conversation):
            raise PermissionDenied
        answer = AnswerForm()
        offer = None
        if conversation.kind == ConversationKind.SUPPLIER and conversation.quote_request_id:
            offer = OfferForm(quote_request=conversation.quote_request)
        if request.method == "POST":
            if not self.has_change_permission(request, conversation):
                raise PermissionDenied
            action = request.POST.get("action", "")
            if action in ("send", "insert"):
                answer = AnswerForm(request.POST, request.FILES)
                if answer.is_valid():
                    done = self._answer(request, conversation, answer, insert=action == "insert")
                    if done:
                        return redirect(request.path)
            elif action == "offer" and offer is not None:
                offer = OfferForm(request.POST, quote_request=conversation.quote_request)
                if offer.is_valid() and self._offer(request, conversation, offer):
                    return redirect(request.path)
            elif action in ("claim", "close", "reopen"):
                service = {
                    "claim": conversation_claim,
                    "close": conversation_close,
                    "reopen": conversation_reopen,
                }[action]
                service(conversation_id=conversation.pk, by=request.user)
                messages.success(request, _("Done."))
                return redirect(request.path)
        context = self._context(
            request,
            title=conversation.subject,
            conversation=conversation,
            original=conversation,
            thread_messages=selectors.conversation_messages(conversation),
            answer_form=answer,
            offer_form=offer,
            customer_url=_customer_admin_url(conversation),
            offers=_offers(conversation),
        )
        return TemplateResponse(request, self.change_form_template, context)

    def _answer(self, request, conversation, form, *, insert) -> bool:
        canned = form.cleaned_data["canned"]
        body = form.cleaned_data["body"].strip()
        if insert or (canned and not body):
            # Put the canned reply in the box, for staff to read and edit.
            text = canned_text(canned, conversation=conversation) if canned else ""
            form.data = form.data.copy()
            form.data["body"] = "\n\n".join(filter(None, [body, text]))
            form.data["canned"] = ""
            return False
        try:
            message_post(
                conversation=conversation,
                body=body,
                author=request.user,
                by_staff=True,
                attachments=form.cleaned_data["attachments"],
                source=MessageSource.ADMIN,
            )
        except ConversationError as exc:
            form.add_error("body", exc.message)
            return False
        if conversation.email:
            messages.success(
                request, _("Answer sent to %(email)s.") % {"email": conversation.email}
            )
        else:
            messages.warning(request, _("Answer recorded; this thread has no email address."))
        return True

    def _offer(self, request, conversation, form) -> bool:
        data = form.cleaned_data
        try:
            offer_record(
                line_id=data["line"].pk,
                supplier_id=conversation.supplier_id,
                unit_cost=data["unit_cost"],
                lead_time_days=data["lead_time_days"],
                shipping_cost=data["shipping_cost"],
                quantity_available=data["quantity_available"],
                valid_until=data["valid_until"],
                supplier_reference=data["supplier_reference"],
                note=_("From the supplier thread #%(pk)s") % {"pk": conversation.pk},
                by=request.user,
            )
        except ProcurementError as exc:
            form.add_error(None, exc.message)
            return False
        messages.success(request, _("Offer recorded on %(line)s.") % {"line": data["line"]})
        return True

    def add_view(self, request, form_url="", extra_context=None):
        """Open a thread for a customer who called or wrote (a letter)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {
            key: request.GET[key]
            for key in ("kind", "order_number", "quote_request_number", "email")
            if key in request.GET
        }
        form = OpenForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            conversation = self._open(request, form)
            if conversation is not None:
                message_post(
                    conversation=conversation,
                    body=form.cleaned_data["body"],
                    author_kind=AuthorKind.CUSTOMER,
                    source=MessageSource.ADMIN,
                    notify=False,
                )
                conversation_claim(conversation_id=conversation.pk, by=request.user)
                messages.success(request, _("Conversation opened: answer the customer below."))
                return redirect("admin:conversations_conversation_change", conversation.pk)
        context = self._context(
            request, title=_("Open a conversation on a customer's behalf"), form=form
        )
        return TemplateResponse(request, "admin/conversations/conversation/open.html", context)

    def _open(self, request, form):
        data = form.cleaned_data
        kind = data["kind"]
        if kind == ConversationKind.ORDER:
            order = Order.objects.filter(number=data["order_number"].strip()).first()
            if order is None:
                form.add_error("order_number", _("No order has this number."))
                return None
            return conversation_for_order(order=order)
        if kind == ConversationKind.QUOTE_REQUEST:
            qr = QuoteRequest.objects.filter(number=data["quote_request_number"].strip()).first()
            if qr is None:
                form.add_error("quote_request_number", _("No quote request has this number."))
                return None
            return conversation_for_quote_request(quote_request=qr)
        if not data["email"] or not data["subject"]:
            form.add_error("email", _("Give the customer's email and a subject."))
            return None
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(email__iexact=data["email"])
        return conversation_open(
            kind=ConversationKind.CONTACT,
            subject=data["subject"],
            customer=users.first() if users.count() == 1 else None,
            email=data["email"],
            opened_by=request.user,
        )

    def order_thread_view(self, request, number):
        """The order's thread, or the form to open it."""
        order = get_object_or_404(Order, number=number)
        found = selectors.conversation_for_order_or_none(order)
        return self._thread_or_open(found, f"kind=order&order_number={order.number}")

    def request_thread_view(self, request, pk):
        qr = get_object_or_404(QuoteRequest, pk=pk)
        found = selectors.conversation_for_quote_request_or_none(qr)
        return self._thread_or_open(found, f"kind=quote_request&quote_request_number={qr.number}")

    def _thread_or_open(self, found, query: str):
        if found is not None:
            return redirect("admin:conversations_conversation_change", found.pk)
        return redirect(reverse("admin:conversations_conversation_add") + "?" + query)

    def ask_suppliers_view(self, request, pk):
        qr = get_object_or_404(QuoteRequest, pk=pk)
        if not self.has_change_permission(request):
            raise PermissionDenied
        lines = list(qr.lines.all())
        chosen = [line for line in lines if str(line.pk) in request.GET.getlist("line")]
        initial = {"body": supplier_request_text(quote_request=qr, lines=chosen or lines)}
        form = AskSuppliersForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            threads = suppliers_ask_quote(
                quote_request=qr,
                suppliers=form.cleaned_data["suppliers"],
                body=form.cleaned_data["body"],
                by=request.user,
            )
            messages.success(
                request,
                _("Asked %(n)d supplier(s); their answers come to the request's supplier threads.")
                % {"n": len(threads)},
            )
            return redirect("admin:procurement_quoterequest_change", qr.pk)
        context = self._context(
            request,
            title=_("Ask suppliers for a quote: %(number)s") % {"number": qr.number},
            form=form,
            qr=qr,
            lines=lines,
            back=reverse("admin:procurement_quoterequest_change", args=[qr.pk]),
        )
        return TemplateResponse(request, "admin/conversations/conversation/ask.html", context)

    def file_view(self, request, pk, token):
        conversation = get_object_or_404(Conversation, pk=pk)
        if not self.has_view_or_change_permission(request, conversation):
            raise PermissionDenied
        attachment = selectors.conversation_attachment(conversation, token)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _customer_admin_url(conversation) -> str:
    if conversation.order_id:
        return reverse("admin:order_order_change", args=[conversation.order_id])
    if conversation.quote_request_id:
        return reverse(
            "admin:procurement_quoterequest_change", args=[conversation.quote_request_id]
        )
    return ""


def _offers(conversation):
    if conversation.kind != ConversationKind.SUPPLIER or not conversation.quote_request_id:
        return []
    from procurement.models import SupplierOffer

    return SupplierOffer.objects.filter(
        line__request_id=conversation.quote_request_id, supplier_id=conversation.supplier_id
    ).select_related("line")


# --- the buttons on the order's and the quote request's admin pages ---------------


def order_conversation_tools(request, order) -> str:
    return render_to_string(
        "admin/conversations/order_tools.html",
        {"url": reverse("admin:conversations_order_thread", args=[order.number])},
        request,
    )


def request_conversation_tools(request, qr) -> str:
    return render_to_string(
        "admin/conversations/request_tools.html",
        {
            "url": reverse("admin:conversations_request_thread", args=[qr.pk]),
            "ask_url": reverse("admin:conversations_ask_suppliers", args=[qr.pk]),
            "supplier_threads": Conversation.objects.filter(
                kind=ConversationKind.SUPPLIER, quote_request=qr
            ).select_related("supplier"),
        },
        request,
    )


def admin_extend() -> None:
    """The thread buttons on the order's and the request's admin pages
    (core.admin's extension point; called from ConversationsConfig.ready)."""
    admin_extension("order.Order").add_tools(order_conversation_tools)
    admin_extension("procurement.QuoteRequest").add_tools(request_conversation_tools)
