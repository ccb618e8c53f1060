"""The message form (a thread's "write" box) and the contact form; files
are checked from their content here, at the edge, as the quote files are."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.antibot import BotGuardMixin
from procurement.forms import MultipleFileField
from procurement.services.requests import FileInput
from procurement.services.uploads import check_upload

from .services.threads import MAX_BODY

MAX_FILES = 5


class AttachmentsMixin:
    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_FILES:
            raise forms.ValidationError(_("At most %(max)d files.") % {"max": MAX_FILES})
        return [FileInput(check_upload(upload), upload.name) for upload in files]


class MessageForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = MultipleFileField(
        label=_("Attach photos or PDF files"),
        required=False,
        help_text=_("PDF, PNG, JPEG or GIF; at most 5 files."),
    )


class StaffAnswerForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Answer"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


class ContactForm(BotGuardMixin, AttachmentsMixin, forms.Form):
    antibot_scope = "contact"

    name = forms.CharField(
        label=_("Your name"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email"),
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )
    order_number = forms.CharField(
        label=_("Order number"),
        max_length=128,
        required=False,
        help_text=_("If your message is about an order."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
    )
    attachments = MultipleFileField(
        label=_("Attach photos or PDF files"),
        required=False,
        help_text=_("PDF, PNG, JPEG or GIF; at most 5 files."),
    )
