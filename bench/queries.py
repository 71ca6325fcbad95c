"""Warm latency of the saved queries on a synthetic population: p50 and p95 per query.

    python bench/queries.py --people 100000 --fresh          # synthesize, load, re-link, time
    python bench/queries.py --delivery /tmp/d100k --skip-load  # time the graph already loaded

Uses the Neo4j the settings point at (NEO4J_URI / NEO4J_BOLT_PORT). `--fresh` wipes that graph
first, so never point it at real data. Identities are taken from the delivery's truth.json (as
after a perfect resolution). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.driver import get_driver, write_batched  # noqa: E402
from graph.runner import run  # noqa: E402
from graph.schema import apply_pending  # noqa: E402
from ingest.synth import synthesize  # noqa: E402
from ingest.transactional import load_delivery  # noqa: E402
from tests.truth import load_truth, relink_identities  # noqa: E402

TARGETS_MS = {
    "victim_chain": 50,
    "disclosure_check": 50,
    "neighbourhood(2)": 50,
    "active_orders": 50,
    "agencies_involved": 50,
    "shortest_path": 250,
    "serial_perpetrators": 5000,
    "rfgv_ranking": 5000,
}


def prepare(args: argparse.Namespace) -> Path:
    delivery = Path(args.delivery or tempfile.mkdtemp(prefix="sw-bench-"))
    driver = get_driver()
    apply_pending(driver)
    if args.skip_load:
        return delivery
    if not (delivery / "truth.json").exists():
        began = time.perf_counter()
        synthesize(args.people, seed=args.seed, out=delivery)
        print(f"synthesized {args.people} people in {time.perf_counter() - began:.0f} s")
    if args.fresh:
        write_batched(
            "MATCH (n) WHERE NOT n:SchemaMigration "
            "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
            driver=driver,
        )
    began = time.perf_counter()
    load_delivery(delivery, driver)
    relink_identities(driver, load_truth(delivery))
    print(f"loaded and re-linked in {time.perf_counter() - began:.0f} s")
    return delivery


def timed(fn: Callable[[], Any], runs: int, warm: int) -> list[float]:
    for _ in range(warm):
        fn()
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        out.append((time.perf_counter() - began) * 1000)
    return out


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--delivery", help="folder of a synthetic delivery (made if absent)")
    ap.add_argument("--skip-load", action="store_true", help="time the graph as it is")
    ap.add_argument("--fresh", action="store_true", help="wipe the graph before loading")
    ap.add_argument("--runs", type=int, default=50, help="timed runs per person query")
    ap.add_argument("--population-runs", type=int, default=5)
    args = ap.parse_args()
    delivery = prepare(args)
    truth = load_truth(delivery)
    rng = random.Random(args.seed)
    perps = sorted(truth["serial"] + truth["at_risk"]) or sorted(truth["victim_chains"])
    people = sorted(truth["people"])
    as_of = truth["as_of"]
    pick = lambda: rng.choice(perps)  # noqa: E731
    cases: dict[str, Callable[[], Any]] = {
        "victim_chain": lambda: run("victim_chain", {"person": pick()}),
        "disclosure_check": lambda: run("disclosure_check", {"person": pick(), "as_of": as_of}),
        "neighbourhood(2)": lambda: run("neighbourhood", {"person": pick(), "hops": 2}),
        "active_orders": lambda: run("active_orders", {"person": pick(), "as_of": as_of}),
        "agencies_involved": lambda: run("agencies_involved", {"person": pick()}),
        "shortest_path": lambda: run(
            "shortest_path", {"a": pick(), "b": rng.choice(people), "max_hops": 8}
        ),
    }
    population = [
        "serial_perpetrators",
        "matac_serial",
        "rfgv_ranking",
        "cross_force_perpetrators",
        "order_breaches",
        "obligation_compliance",
        "shared_addresses",
    ]
    print(f"{len(people)} people, {len(perps)} serial/at-risk perpetrators")
    print(f"{'query':28} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9} {'target':>8}")
    for name, fn in cases.items():
        report(name, timed(fn, args.runs, warm=5))
    for name in population:
        params = (
            {"as_of": as_of}
            if name in ("matac_serial", "rfgv_ranking", "obligation_compliance")
            else {}
        )
        report(
            name,
            timed(
                lambda n=name, p=params: run(n, p, row_cap=1_000_000), args.population_runs, warm=1
            ),
        )
    return 0


def report(name: str, ms: list[float]) -> None:
    target = TARGETS_MS.get(name)
    print(
        f"{name:28} {len(ms):>5} {statistics.median(ms):>9.1f} {p95(ms):>9.1f} "
        f"{'' if target is None else target:>8}",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
