"""Where a page spends its time, in-process, on a warm cache.

    bench/run.sh profile /                 # after a `make bench` (same database)
    bench/run.sh profile /basket/ -n 500
    bench/run.sh profile / --visitor member   # with a visitor of visitors.json

Prints: the mean time of the page and of /ping through Django's test client
(no HTTP, no gunicorn), the CPU time spent in each template (exclusive of
the templates it includes), and cProfile's heaviest functions.
"""

import argparse
import cProfile
import io
import pstats
import time
from collections import defaultdict

from common import read_json, setup_django


def mean_ms(client, path: str, n: int) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds per request. On a busy machine the
    CPU time is the steadier figure, and it is what bounds throughput when
    the workers have the cores to themselves."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        client.get(path)
    return (
        (time.perf_counter() - wall) * 1000 / n,
        (time.process_time() - cpu) * 1000 / n,
    )


def template_times(client, path: str, n: int) -> list[tuple[str, float, int]]:
    """(template name, exclusive CPU ms per request, renders per request)."""
    from django.template import base

    original = base.Template._render
    exclusive: dict = defaultdict(float)
    renders: dict = defaultdict(int)
    stack: list = []

    def timed(self, context):
        stack.append(0.0)
        start = time.process_time()
        try:
            return original(self, context)
        finally:
            elapsed = time.process_time() - start
            child_time = stack.pop()
            exclusive[self.origin.template_name] += elapsed - child_time
            renders[self.origin.template_name] += 1
            if stack:
                stack[-1] += elapsed

    base.Template._render = timed
    try:
        for _ in range(n):
            client.get(path)
    finally:
        base.Template._render = original
    return sorted(
        ((name, t * 1000 / n, renders[name] // n) for name, t in exclusive.items()),
        key=lambda row: -row[1],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("-n", type=int, default=300, help="requests per measure")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--visitor", help="member or holder: their cookies (visitors.json)")
    args = parser.parse_args()

    setup_django()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if args.visitor:
        header = read_json("visitors.json")[args.visitor]
        for pair in header.split("; "):
            name, _, value = pair.partition("=")
            client.cookies[name] = value
    for path in ("/ping", args.path):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
        for _ in range(20):
            client.get(path)

    ping = mean_ms(client, "/ping", args.n)
    page = mean_ms(client, args.path, args.n)
    print(f"Test client, warm cache, {args.n} requests each, ms per request (wall / CPU):")
    print(f"  {args.path}: {page[0]:.2f} / {page[1]:.2f}")
    print(f"  /ping: {ping[0]:.2f} / {ping[1]:.2f}")
    print(f"  CPU ratio /ping : page = {ping[1] / page[1] * 100:.0f} %")

    print("\nTemplates, exclusive CPU time per request (instrumented, so slower):")
    for name, ms, count in template_times(client, args.path, args.n)[:20]:
        print(f"  {ms:7.3f} ms  x{count:<3} {name}")

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.n):
        client.get(args.path)
    profile.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order)
        stats.print_stats(args.top)
        print(f"\ncProfile, {args.n} requests, by {order}:")
        print(out.getvalue().split("\n\n", 1)[-1].rstrip())


if __name__ == "__main__":
    main()
