"""axe-core in a Playwright page: WCAG 2.1 A and AA rules, the violations
that count (serious and critical). axe-core comes from npm
(scripts/a11y/package.json, `npm ci` in scripts/a11y); the page's context
must bypass the shop's Content-Security-Policy (``bypass_csp=True``) for the
script to be injected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

_RUN = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 200)})),
    }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Every WCAG 2.1 AA violation axe-core finds on the page as it is."""
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run `npm ci` in scripts/a11y (make a11y does)")
    page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(_RUN, TAGS)
    return violations


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"  {v['impact']}: {v['id']} ({v['help']}) at "
        + "; ".join(n["target"] for n in v["nodes"][:5])
        for v in violations
    )
