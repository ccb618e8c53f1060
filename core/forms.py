"""Form fields every app shares."""

from typing import Any

from django import forms

from core.money import CENT


class AmountField(forms.DecimalField):
    """An amount in euros as staff or customers type it: at least a cent,
    two decimals at most (more is a form error, never rounded here)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", CENT)
        super().__init__(**kwargs)
