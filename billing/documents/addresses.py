"""Addresses as a French business document prints them, and back.

Printed: the street lines, then "postcode city" (postcode first, the
French and most European order), then the country by its name in the
document's language ("Belgique" / "Belgium"), never its code. The Factur-X
XML reads the same lines back into fields and keeps the ISO code.
"""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError
from django.utils import translation

POSTCODE_CITY = re.compile(r"^\s*(\d{4,5})\s+(.+?)\s*(?:cedex.*)?$", re.IGNORECASE)


def _territories(language: str) -> dict[str, str]:
    try:
        locale = Locale.parse(language.replace("-", "_").split("_")[0])
    except (UnknownLocaleError, ValueError):
        locale = Locale("fr")
    return {code: name for code, name in locale.territories.items() if len(code) == 2}


def country_name(code: str, language: str | None = None) -> str:
    """The name of an ISO 3166-1 alpha-2 code in ``language`` (the active
    one by default): "FR" → "France", "BE" → "Belgique" or "Belgium"."""
    code = (code or "").strip().upper()
    if not code:
        return ""
    name = _territories(language or translation.get_language() or "fr").get(code)
    if name:
        return name
    from oscar.core.loading import get_model

    country = get_model("address", "Country").objects.filter(iso_3166_1_a2=code).first()
    return country.printable_name if country else code


@functools.cache
def _codes_by_name() -> dict[str, str]:
    codes: dict[str, str] = {}
    for language in ("en", "fr"):
        for code, name in _territories(language).items():
            codes.setdefault(name.casefold(), code)
    return codes


def country_code(text: str) -> str:
    """The ISO code of a country printed by name or code ("France", "FR",
    "Allemagne", "Germany"); empty when the text is not a country."""
    text = (text or "").strip()
    if re.fullmatch(r"[A-Z]{2}", text):
        return text
    return _codes_by_name().get(text.casefold(), "")


def address_lines(
    *, lines: list[str], postcode: str, city: str, country: str, state: str = ""
) -> list[str]:
    """Street lines, "postcode city", state, country name (active language)."""
    locality = " ".join(part for part in (postcode.strip(), city.strip()) if part)
    printed = [line.strip() for line in lines if line and line.strip()]
    printed += [part for part in (locality, state.strip(), country_name(country)) if part]
    return printed


def entity_address_lines(entity) -> list[str]:
    """A legal entity's (shop.customer.LegalEntity) address as printed."""
    return address_lines(
        lines=[entity.line1, entity.line2],
        postcode=entity.postcode,
        city=entity.city,
        country=entity.country,
    )


def postal_address_lines(address) -> list[str]:
    """An Oscar address (order's shipping or billing address) as printed,
    without the person's name (printed apart): Oscar's own order puts the
    city before the postcode and the country by its English name."""
    if address is None:
        return []
    return address_lines(
        lines=[address.line1, address.line2, address.line3],
        postcode=address.postcode or "",
        city=address.line4 or "",
        state=address.state or "",
        country=address.country_id or "",
    )


def postal_address(lines: list[str], country: str = "FR") -> dict:
    """Printed address lines back into fields for the CII XML: street lines,
    postcode, city and the country's code ("12 rue des Artisans",
    "69007 Lyon", "France" → ..., "69007", "Lyon", "FR")."""
    lines = [line.strip() for line in lines if line and line.strip()]
    if lines and not POSTCODE_CITY.match(lines[-1]) and country_code(lines[-1]):
        country = country_code(lines[-1])
        lines = lines[:-1]
    postcode = city = ""
    for index in range(len(lines) - 1, -1, -1):
        match = POSTCODE_CITY.match(lines[index])
        if match:
            postcode, city = match.group(1), match.group(2)
            lines = lines[:index] + lines[index + 1 :]
            break
    return {
        "line_one": lines[0] if lines else "",
        "line_two": ", ".join(lines[1:]),
        "postcode": postcode,
        "city": city,
        "country": country or "FR",
    }
