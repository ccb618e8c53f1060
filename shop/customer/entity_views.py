"""The account's organisations: list, add, edit (accounts/entities/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .entity_forms import LegalEntityForm
from .models import LegalEntity
from .selectors import legal_entities_for
from .services import legal_entity_save


@login_required
def entity_list(request):
    return render(
        request,
        "customer/entities/entity_list.html",
        {
            "entities": legal_entities_for(request.user),
            "page_title": _("Organisations"),
            "active_tab": "entities",
        },
    )


@login_required
def entity_edit(request, pk=None):
    entity = get_object_or_404(legal_entities_for(request.user), pk=pk) if pk else LegalEntity()
    was_verified = entity.is_verified_institution
    form = LegalEntityForm(request.POST or None, instance=entity)
    if request.method == "POST" and form.is_valid():
        entity = legal_entity_save(user=request.user, entity=form.save(commit=False))
        if was_verified and not entity.is_verified_institution:
            messages.warning(
                request,
                _("%(name)s is saved; our staff will verify it again before orders by mandate.")
                % {"name": entity.name},
            )
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": entity.name})
        return redirect("entities:list")
    return render(
        request,
        "customer/entities/entity_form.html",
        {
            "form": form,
            "entity": entity,
            "page_title": _("Edit %(name)s") % {"name": entity.name}
            if entity.pk
            else _("Add an organisation"),
            "active_tab": "entities",
        },
    )
