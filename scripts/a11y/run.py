"""`make a11y`: every page of scripts/a11y/pages.py through axe-core (WCAG 2.1
AA: no serious or critical violation) in French and English, and through
Lighthouse (accessibility >= 95; performance and best practices reported),
in Debian's Chromium.

    .venv/bin/python scripts/a11y/run.py                 # starts the demo shop
    .venv/bin/python scripts/a11y/run.py --url http://127.0.0.1:8000
    .venv/bin/python scripts/a11y/run.py --no-lighthouse # axe only, faster

Without --url it runs `manage.py runserver` on a free port over the demo
database (`make a11y` loads the demo first). It signs in as the demo
customer and staff (shop/demo/users.py) where a page needs them. Writes
test-artifacts/a11y/report.json and report.md (the table for README) and
a screenshot per page; exits 1 when a page fails either bar.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from axe import axe_violations, blocking, describe  # noqa: E402
from pages import PAGES, open_as, reach  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-dev-shm-usage"]
LIGHTHOUSE = HERE / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("accessibility", "performance", "best-practices")
MIN_ACCESSIBILITY = 95


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_shop() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.dev"}
    log = (ROOT / "var" / "log").resolve()
    log.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=(log / "a11y-server.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/ping", timeout=2)  # noqa: S310
            return server, base
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"The shop did not start: see {log / 'a11y-server.log'}")


def lighthouse(url: str, cookies: list[dict], out: Path, tries: int = 2) -> dict[str, int]:
    """Lighthouse's scores (0-100) of ``url``, with the browser's cookies;
    tried again once when Lighthouse itself fails (its trace is sometimes
    lost on a busy machine: NO_NAVSTART); {} when it fails twice."""
    for _ in range(tries):
        scores = _lighthouse_once(url, cookies, out)
        if scores:
            return scores
    return {}


def _lighthouse_once(url: str, cookies: list[dict], out: Path) -> dict[str, int]:
    headers = {"Cookie": "; ".join(f"{c['name']}={c['value']}" for c in cookies)}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(headers, handle)
    result = subprocess.run(  # noqa: S603
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--preset=desktop",
            "--disable-storage-reset",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            f"--output-path={out}",
            f"--extra-headers={handle.name}",
            f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
    )
    os.unlink(handle.name)
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
        return {}
    report = json.loads(out.read_text())
    return {name: round((report["categories"][name]["score"] or 0) * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running shop (default: start the demo)")
    parser.add_argument("--languages", default="fr,en")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--lighthouse-languages", default="fr")
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--out", default=str(ROOT / "test-artifacts" / "a11y"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    server = None
    base = (args.url or "").rstrip("/")
    if not base:
        server, base = start_shop()
    wanted = set(args.only.split(",")) if args.only else None
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS[:1])
            for language in args.languages.split(","):
                contexts: dict[str, Any] = {}
                for entry in PAGES:
                    if entry.who not in contexts:
                        contexts[entry.who] = open_as(browser, base, entry.who, language)
                    page = contexts[entry.who]
                    url = reach(page, base, entry, language)
                    row: dict[str, object] = {"page": entry.name, "language": language, "url": url}
                    if wanted is None or entry.name in wanted:
                        violations = axe_violations(page)
                        row["axe_serious_critical"] = len(blocking(violations))
                        row["axe_all"] = len(violations)
                        row["violations"] = violations
                        page.screenshot(path=out / f"{entry.name}-{language}.png", full_page=True)
                        if blocking(violations):
                            print(f"{entry.name} ({language}):\n{describe(blocking(violations))}")
                        if not args.no_lighthouse and language in args.lighthouse_languages:
                            cookies = page.context.cookies(url)
                            row["lighthouse"] = lighthouse(
                                url, cookies, out / f"{entry.name}-{language}.lighthouse.json"
                            )
                        results.append(row)
                        scores = row.get("lighthouse", "-")
                        count = row["axe_serious_critical"]
                        print(
                            f"{entry.name:<20} {language}  axe serious/critical {count}  "
                            f"lighthouse {scores}",
                            flush=True,
                        )
                    if entry.then is not None:
                        entry.then(page)
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)

    (out / "report.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    lines = [
        "| page | language | axe serious/critical | Lighthouse accessibility "
        "| performance | best practices |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    failed = False
    for row in results:
        scores = row.get("lighthouse") or {}
        lines.append(
            f"| {row['page']} | {row['language']} | {row['axe_serious_critical']} | "
            + " | ".join(str(scores.get(c, "-")) for c in CATEGORIES)
            + " |"
        )
        failed |= bool(row["axe_serious_critical"])
        if "lighthouse" in row:
            failed |= scores.get("accessibility", 0) < MIN_ACCESSIBILITY
    (out / "report.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\n{'FAILED' if failed else 'PASSED'}: report in {out / 'report.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
