"""Django admin's autocomplete widget, tolerant of forged values.

A bound admin form re-renders an autocomplete field (``autocomplete_fields``)
with the raw submitted ids, and ``AutocompleteMixin.optgroups`` filters the
target model with them: an id its field cannot read ("abc" for an integer
key) raised ValueError, a 500 on a page whose form had already reported
the error (found by tests/security/test_fuzz.py, issue 12). The values the
target field cannot convert are dropped before rendering; the form's own
error message still tells staff what was wrong.
"""

import functools

from django.contrib.admin.widgets import AutocompleteMixin
from django.core.exceptions import ValidationError


def _readable(widget, values) -> list:
    remote = widget.field.remote_field
    target = remote.model._meta.get_field(getattr(remote, "field_name", None) or "pk")
    kept = []
    for value in values:
        try:
            target.to_python(value)
        except (ValidationError, TypeError, ValueError):
            continue
        kept.append(value)
    return kept


def autocomplete_tolerates_forged_values() -> None:
    original = AutocompleteMixin.optgroups
    if getattr(original, "tolerates_forged_values", False):
        return

    @functools.wraps(original)
    def optgroups(self, name, value, attr=None):
        return original(self, name, _readable(self, value), attr)

    optgroups.tolerates_forged_values = True
    AutocompleteMixin.optgroups = optgroups
