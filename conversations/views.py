"""The customer's side of conversations: "Messages" in the account, a
thread's page, writing in a thread (from any page that embeds it), files."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.antibot import rate_limit

from . import selectors
from .exceptions import ConversationError
from .forms import ContactForm, MessageForm
from .models import MessageSource
from .services import conversation_for_target, message_post
from .services.contact import contact_message_receive


@login_required
def conversation_list(request):
    return render(
        request,
        "conversations/list.html",
        {
            "conversations": selectors.conversations_for_customer(request.user),
            "page_title": _("Messages"),
            "active_tab": "messages",
        },
    )


@login_required
@never_cache
def conversation_detail(request, pk):
    conversation = selectors.conversation_for_customer(request.user, pk)
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "page_title": conversation.subject,
            "active_tab": "messages",
        },
    )


def _back(request, conversation, next_url: str):
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("conversations:detail", pk=conversation.pk)


@require_POST
@rate_limit("conversation-post")
def message_new(request):
    """Write in a thread, from any page that embeds it: the form carries the
    page's signed pass (selectors.thread_pass); the thread opens on first use."""
    target = selectors.thread_pass_target(request.POST.get("thread", ""))
    conversation = conversation_for_target(label=target[0], pk=target[1]) if target else None
    if conversation is None or conversation.kind in selectors.STAFF_ONLY_KINDS:
        raise Http404
    form = MessageForm(request.POST, request.FILES)
    next_url = request.POST.get("next", "")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, conversation, next_url)
    try:
        message_post(
            conversation=conversation,
            body=form.cleaned_data["body"],
            author=request.user,
            # Staff answering from an admin page (a return's, a claim's):
            # their reply, not the customer's message.
            by_staff=request.user.is_staff and conversation.customer_id != request.user.pk,
            attachments=form.cleaned_data["attachments"],
            source=MessageSource.WEB,
            from_email="" if request.user.is_authenticated else conversation.email,
        )
    except ConversationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your message has been sent."))
    return _back(request, conversation, next_url)


@never_cache
def attachment_download(request, pk, token):
    conversation = selectors.conversation_readable(request, pk, token=request.GET.get("a", ""))
    attachment = selectors.conversation_attachment(conversation, token)
    inline = attachment.content_type.startswith("image/") or attachment.content_type.endswith(
        "/pdf"
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=not inline,
        filename=attachment.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Sent as a file, never rendered as one of our pages.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@rate_limit("contact")
def contact(request):
    """The Contact page: its text (pages/<language>/contact.html) and the
    form that opens a conversation."""
    form = ContactForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact_message_receive(
            name=data["name"],
            email=data["email"],
            order_number=data["order_number"],
            body=data["body"],
            attachments=data["attachments"],
            user=request.user,
        )
        messages.success(
            request,
            _("Thank you: your message has been sent. We answer by email within one working day."),
        )
        return redirect("contact")
    if request.method == "GET" and request.user.is_authenticated:
        form.initial = {"name": request.user.get_full_name(), "email": request.user.email}
    language = "en" if get_language() == "en" else "fr"
    return render(
        request,
        [f"pages/{language}/contact.html", "pages/fr/contact.html"],
        {
            "page_title": gettext_lazy("Contact"),
            "slug": "contact",
            "contact_form": form,
            "procurement_email": settings.COMPTOIR_PROCUREMENT_EMAIL,
        },
        status=400 if form.is_bound else 200,
    )
