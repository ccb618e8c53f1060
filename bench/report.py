"""Reads the raw wrk outputs and the query counts, prints the table and
writes results/results.json and results/results.md.

    python bench/report.py            # after bench/run.sh has measured

wrk outputs are results/raw/<label>-run<N>-<page>.txt; label "main" is the
server as configured; "conn60" and "cma0" are that server and a second one
with CONN_MAX_AGE=0, measured in turns.
"""

import os
import platform
import re
import statistics
import subprocess
from datetime import UTC, datetime

from common import PAGE_ORDER, RESULTS, ROOT, STOREFRONT, read_json, write_json

# SQL queries per page on a cold cache (issue "The shop runs", budgets).
QUERY_BUDGET = {"home": 12, "category": 12, "search": 12, "product": 15}
# Throughput budgets (issue 14), as a share of the /ping ceiling of the same
# server in the same round: the anonymous first-time visitor, then the
# signed-in customer ("member") and the anonymous visitor ("holder"), each
# with two lines in the basket (bench/visitors.py).
THROUGHPUT_TARGET = {
    **dict.fromkeys(("home", "category", "product", "search"), 0.50),
    # The basket page of a visitor holding 5 lines (never cached).
    "basket5": 0.15,
    **{
        f"{page}_{visitor}": 0.30
        for visitor in ("member", "holder")
        for page in ("home", "category", "product")
    },
}
# The category page while orders change its products' stock once a second
# (bench/order_load.py), against the same page quiet in the same round.
UNDER_LOAD = {"category_orders": ("category", 0.90)}
VISITORS = {
    "member": "signed in, 2 lines in the basket",
    "holder": "anonymous, 2 lines in the basket",
}

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
RAW_NAME = re.compile(r"(?P<label>\w+)-run(?P<run>\d+)-(?P<page>\w+)\.txt$")


def to_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(text: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.MULTILINE))
    errors = sum(
        int(n)
        for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text)
        + re.findall(r"Non-2xx or 3xx responses: (\d+)", text)
    )
    return {
        "rps": rps,
        "p50_ms": to_ms(percentiles["50"]),
        "p99_ms": to_ms(percentiles["99"]),
        "errors": errors,
    }


def collect() -> dict:
    """{label: {page: [run, ...]}} from the raw outputs, runs in order."""
    runs: dict = {}
    for path in sorted((RESULTS / "raw").glob("*.txt")):
        match = RAW_NAME.match(path.name)
        if not match:
            continue
        by_page = runs.setdefault(match["label"], {})
        by_page.setdefault(match["page"], {})[int(match["run"])] = parse_wrk(path.read_text())
    return {
        label: {page: [r[n] for n in sorted(r)] for page, r in pages.items()}
        for label, pages in runs.items()
    }


def summarise(by_page: dict) -> dict:
    """Median over runs; a page's ratio is the median of its per-run ratio
    to /ping measured in the same round, which cancels slow drifts of a
    shared machine."""
    ceiling = by_page.get("ping", [])
    summary = {}
    for page, runs in by_page.items():
        row = {
            "runs": runs,
            "rps": statistics.median(r["rps"] for r in runs),
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p99_ms": statistics.median(r["p99_ms"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
        }
        if len(ceiling) == len(runs):
            row["ratio"] = statistics.median(
                r["rps"] / c["rps"] for r, c in zip(runs, ceiling, strict=True)
            )
        summary[page] = row
    for page, (quiet, _target) in UNDER_LOAD.items():
        busy, calm = by_page.get(page, []), by_page.get(quiet, [])
        if busy and len(busy) == len(calm):
            summary[page]["vs_quiet"] = statistics.median(
                b["rps"] / q["rps"] for b, q in zip(busy, calm, strict=True)
            )
    return summary


def page_order(measured) -> list[str]:
    """The table's pages: the anonymous ones in PAGE_ORDER, then each
    visitor's, then the page under order load."""
    extra = sorted(
        (p for p in measured if p not in PAGE_ORDER),
        key=lambda p: (
            p.endswith("_orders"),
            p.split("_")[-1],
            PAGE_ORDER.index(p.split("_")[0]),
        ),
    )
    return [p for p in PAGE_ORDER if p in measured] + extra


def budgets(results: dict) -> list[dict]:
    """Each throughput budget: figure, target, PASS or FAIL (MISSING when
    the page was not measured)."""
    main = results["throughput"].get("main", {})
    rows = []
    for page, target in THROUGHPUT_TARGET.items():
        row = main.get(page, {})
        figure = row.get("ratio")
        rows.append(
            {
                "what": f"{describe(page)}: % of /ping",
                "figure": figure,
                "target": f"≥ {target * 100:.0f} %",
                "verdict": "MISSING" if figure is None else "PASS" if figure >= target else "FAIL",
            }
        )
    for page, (quiet, target) in UNDER_LOAD.items():
        figure = main.get(page, {}).get("vs_quiet")
        rows.append(
            {
                "what": f"{quiet} while orders are placed (1/s): % of quiet",
                "figure": figure,
                "target": f"≥ {target * 100:.0f} %",
                "verdict": "MISSING" if figure is None else "PASS" if figure >= target else "FAIL",
            }
        )
    return rows


def describe(page: str) -> str:
    if page == "basket5":
        return "basket page, 5 lines"
    name, _, visitor = page.partition("_")
    if visitor == "orders":
        return f"{name}, orders placed at 1/s"
    if visitor:
        return f"{name}, {VISITORS.get(visitor, visitor)}"
    return f"{name}, anonymous"


def meta() -> dict:
    def git(*args):
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    env = os.environ
    # BENCH_COMMIT names the commit when the tree measured is an export.
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": env.get("BENCH_COMMIT") or git("rev-parse", "--short", "HEAD"),
        "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loadavg_at_report": os.getloadavg(),
        "gunicorn": {
            "worker_class": env.get("BENCH_WORKER_CLASS"),
            "workers": env.get("BENCH_WORKERS"),
            "threads": env.get("BENCH_THREADS"),
        },
        "wrk": {
            "threads": 2,
            "connections": env.get("BENCH_CONNECTIONS"),
            "duration_s": env.get("BENCH_DURATION"),
            "runs": env.get("BENCH_RUNS"),
        },
    }


def fmt_ratio(row: dict) -> str:
    return f"{row['ratio'] * 100:.0f} %" if "ratio" in row else "—"


def markdown(results: dict) -> str:
    m, pages = results["meta"], results["pages"]
    main = results["throughput"].get("main", {})
    queries = results["queries"]["pages"]
    lines = [
        f"# Bench {m['date']} (commit {m['commit']}{', dirty tree' if m['dirty'] else ''})",
        "",
        f"gunicorn {m['gunicorn']['worker_class']}, {m['gunicorn']['workers']} workers"
        f" × {m['gunicorn']['threads']} threads; wrk -t2 -c{m['wrk']['connections']}"
        f" -d{m['wrk']['duration_s']}s, {m['wrk']['runs']} runs, medians;"
        f" catalogue {results['catalogue']['products']} products,"
        f" {results['catalogue']['categories']} categories; {m['cpus']} CPUs,"
        f" load average at the end {m['loadavg_at_report'][0]:.2f}.",
        "",
        "| page | path | req/s | p50 ms | p99 ms | % of /ping | target "
        "| SQL cold (catalogue) | SQL warm (catalogue) | budget |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |",
    ]
    for page in page_order(main):
        row, q = main[page], queries.get(page)
        target = THROUGHPUT_TARGET.get(page)
        target_txt = ""
        if target is not None and "ratio" in row:
            target_txt = f"≥ {target * 100:.0f} % {'PASS' if row['ratio'] >= target else 'FAIL'}"
        budget = QUERY_BUDGET.get(page)
        budget_txt = ""
        if budget is not None and q:
            budget_txt = f"≤ {budget} {'ok' if q['cold'] <= budget else 'OVER'}"
        cold = f"{q['cold']} ({q['cold_catalogue']})" if q else ""
        warm = f"{q['warm']} ({q['warm_catalogue']})" if q else ""
        errors = f" ({row['errors']} errors)" if row["errors"] else ""
        lines.append(
            f"| {describe(page)} | `{pages[page.split('_')[0]]}` | {row['rps']:.0f}{errors}"
            f" | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {fmt_ratio(row)} | {target_txt}"
            f" | {cold} | {warm} | {budget_txt} |"
        )
    lines += ["", "Budgets (issue 14; ratios are medians over interleaved rounds):", ""]
    lines += ["| figure | measured | budget | verdict |", "| --- | ---: | --- | --- |"]
    for row in results["budgets"]:
        figure = "—" if row["figure"] is None else f"{row['figure'] * 100:.0f} %"
        lines.append(f"| {row['what']} | {figure} | {row['target']} | {row['verdict']} |")
    lines += ["", "Queries of a listing on a cold cache, by page size (budget ≤ 12, equal):", ""]
    lines += ["| listing | path | " + " | ".join(f"{s} per page" for s in (10, 50)) + " |"]
    lines += ["| --- | --- | ---: | ---: |"]
    for name, row in results["queries"]["listing"].items():
        cells = " | ".join(
            f"{row[s]['queries']} queries, {row[s]['listed']} listed" for s in ("10", "50")
        )
        lines.append(f"| {name} | `{row['path']}` | {cells} |")
    cma0 = results["throughput"].get("cma0")
    conn60 = results["throughput"].get("conn60", {})
    if cma0:
        lines += ["", "Persistent connections (two servers in turns, CONN_MAX_AGE=60 vs 0):", ""]
        lines += ["| page | req/s at 60 | req/s at 0 | p50 ms at 60 | p50 ms at 0 |"]
        lines += ["| --- | ---: | ---: | ---: | ---: |"]
        for page in PAGE_ORDER:
            if page in cma0 and page in conn60:
                a, b = conn60[page], cma0[page]
                lines.append(
                    f"| {page} | {a['rps']:.0f} | {b['rps']:.0f} | {a['p50_ms']:.1f}"
                    f" | {b['p50_ms']:.1f} |"
                )
    return "\n".join(lines) + "\n"


def main() -> None:
    info = read_json("pages.json")
    results = {
        "meta": meta(),
        "pages": info["pages"],
        "catalogue": info["catalogue"],
        "throughput": {label: summarise(p) for label, p in collect().items()},
        "queries": read_json("queries.json"),
    }
    results["budgets"] = budgets(results)
    write_json("results.json", results)
    text = markdown(results)
    (RESULTS / "results.md").write_text(text)
    print(text)
    missed = [
        p
        for p in STOREFRONT
        if p in QUERY_BUDGET and results["queries"]["pages"][p]["cold"] > QUERY_BUDGET[p]
    ]
    if missed:
        print(f"Over the query budget: {', '.join(missed)}")
    for row in results["budgets"]:
        figure = "—" if row["figure"] is None else f"{row['figure'] * 100:.0f} %"
        print(f"{row['verdict']:7} {row['what']}: {figure} (budget {row['target']})")


if __name__ == "__main__":
    main()
