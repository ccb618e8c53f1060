"""CPU per request of a few pages, in-process (Django's test client, no
HTTP): the steady figure to compare two commits on a busy machine.

    bench/run.sh cpu [PATH ...]      # default: /ping, home, the bench's category

Each page is warmed (50 requests), then 3 rounds of 500 requests each,
interleaved; prints the median round's CPU and wall milliseconds per request.
"""

import sys
import time

from common import setup_django

CATEGORY = "/catalogue/category/composants-passifs/resistances_18/"


def main(paths: list[str]) -> None:
    setup_django()
    from django.test import Client

    client = Client()
    for path in paths:
        for _ in range(50):
            client.get(path)
    rounds: dict[str, list[tuple[float, float]]] = {}
    for _round in range(3):
        for path in paths:
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(500):
                client.get(path)
            rounds.setdefault(path, []).append(
                ((time.process_time() - cpu) * 2, (time.perf_counter() - wall) * 2)
            )
    for path, figures in rounds.items():
        cpu_ms, wall_ms = sorted(figures)[1]
        print(f"{path:<60} CPU {cpu_ms:.3f} ms  wall {wall_ms:.3f} ms")


if __name__ == "__main__":
    main(sys.argv[1:] or ["/ping", "/", CATEGORY])
