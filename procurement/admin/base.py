"""What the procurement admin pages share: one view shape for every staff
step (a form, a service call, a message, back), compact widgets, and when a
request's lines and offers are frozen. Read-only inlines are core.admin's."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import models as django_models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from procurement.exceptions import ProcurementError
from procurement.services import offers

# Small widgets so that a line stays one row of a screen wide (F9).
COMPACT_WIDGETS = {
    django_models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})},
    django_models.CharField: {"widget": forms.TextInput(attrs={"size": 14})},
}


def frozen(qr) -> bool:
    """Once the quote is sent the request's lines and offers are what was
    quoted: they no longer change (the services refuse it too)."""
    return qr is not None and qr.state not in offers.PRICING_STATES


def staff_step(model_admin, request, obj, *, title, form_class, call, back, form_kwargs=None):
    """Show ``form_class`` (GET) or, when valid, run ``call(cleaned_data)``
    and go back with a message; a refusal of the service is shown as an
    error and changes nothing. A form with no field acts on POST at once."""
    if not model_admin.has_change_permission(request, obj):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = form_class(data, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            done = call(form.cleaned_data)
        except ProcurementError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done or _("Done."))
        return redirect(back)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "object": obj,
        "form": form,
        "opts": model_admin.model._meta,
        "back": back,
    }
    return TemplateResponse(request, "admin/procurement/step.html", context)
