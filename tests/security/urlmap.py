"""Every URL pattern of the project, as the fuzz tests see it: its full
regular expression (language prefix included), its reversible name and the
names of its arguments. Walked from the resolver, so a new view is fuzzed
without anyone listing it."""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern


@dataclass(frozen=True)
class Route:
    regex: str  # the whole path, without the leading slash
    name: str | None  # "namespace:name", for reverse()
    arguments: tuple[str, ...]

    @property
    def area(self) -> str:
        """ "admin", "dashboard" or "shop": who may see it."""
        path = self.regex.removeprefix("(?:en/)?")
        for area in ("admin", "dashboard"):
            if path.startswith(area + "/"):
                return area
        return "shop"


def _piece(pattern) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return "(?:en/)?"
    text = pattern.regex.pattern
    return text.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


def _walk(resolver, prefix: str, namespaces: tuple[str, ...]):
    for entry in resolver.url_patterns:
        regex = prefix + _piece(entry.pattern)
        if isinstance(entry, URLResolver):
            names = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry, regex, names)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            arguments = tuple(re.compile(regex).groupindex)
            yield Route(regex=regex, name=name, arguments=arguments)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver(), "", ()))
