"""Warm latency of the saved queries on a synthetic population: p50 and p95 per query, and the
time a full refresh of the per-identity facts (graph/facts.py) takes at that size.

    python bench/queries.py --people 100000 --fresh    # synthesize, bulk-load, re-link, time
    python bench/queries.py --people 1000000 --fresh   # the same at a million people
    python bench/queries.py --people 100000            # time the graph already loaded
    python bench/queries.py --people 1000000 --casework 10000   # with cases and alerts in it

Runs on the benchmark server (bench/common.py: SERIALWATCH_BENCH_HOME / _PORT / _HEAP /
_PAGECACHE), never on the user's data; `--fresh` resets that server and bulk-loads the delivery
(`serialwatch ingest --bulk`, which refreshes the facts). Identities are taken from the
delivery's truth.json (as after a perfect resolution). A bulk load raises no alert and opens no
case, so `--casework MEN` first gives the graph the case work of bench/cases.py (once: a graph
that holds cases is timed as it is): MEN serial men come again, their alerts are raised, the
follow-up opens their candidate cases and 300 are managed; the case queries and the register's
alert counts are then timed on real data. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import use_bench_server  # noqa: E402

use_bench_server()  # before the settings are first read

from graph import ranking  # noqa: E402
from graph.driver import get_driver, read  # noqa: E402
from graph.facts import refresh_all  # noqa: E402
from graph.registry import get_library  # noqa: E402
from graph.runner import run  # noqa: E402
from graph.server import LocalServer  # noqa: E402
from graph.settings import get_settings  # noqa: E402
from ingest.bulk import bulk_load  # noqa: E402
from ingest.synth import synthesize  # noqa: E402
from tests.truth import load_truth, relink_identities  # noqa: E402

# every population query an analyst runs from the library, with its default parameters (the
# alert rules are run by the alert job on the keys a delivery wrote, and timed in bench/alerts.py)
POPULATION = [
    q.name for q in get_library() if q.scope == "population" and not q.name.startswith("alert_")
]
# the case work queries: with --casework also timed 120 days on, when every review and plan
# action the seeded meetings set is due (today, none is)
CASEWORK = [q.name for q in get_library() if Path(q.source).parent.name == "cases"]
PERSON = [
    "victim_chain",
    "disclosure_check",
    "neighbourhood(2)",
    "active_orders",
    "agencies_involved",
]
TARGETS_MS = {
    **dict.fromkeys(PERSON, 50),
    **{f"{name} (top 10)": 1000 for name in PERSON},
    "shortest_path": 250,
    "shortest_path(top 10)": 1000,
    **dict.fromkeys(POPULATION, 1000),  # issue 23: every saved query under a second at 1,000,000
}


def prepare(args: argparse.Namespace) -> Path:
    delivery = Path(
        args.delivery or f"/tmp/serialwatch-bench/people-{args.people}-seed-{args.seed}"
    )
    server = LocalServer(get_settings())
    if not args.fresh:
        server.start()
        return delivery
    if not (delivery / "truth.json").exists():
        began = time.perf_counter()
        synthesize(args.people, seed=args.seed, out=delivery)
        print(f"synthesized {args.people} people in {time.perf_counter() - began:.0f} s")
    server.stop()
    server.reset()
    began = time.perf_counter()
    bulk_load(delivery, alerts=False)
    relink_identities(get_driver(), load_truth(delivery))
    print(f"bulk-loaded and re-linked in {time.perf_counter() - began:.0f} s")
    return delivery


def time_facts_refresh() -> None:
    """One full refresh of the per-identity facts, as after a bulk load or a first resolution."""
    driver = get_driver()
    seconds = refresh_all(driver)
    row = read(
        "MATCH (i:Identity) RETURN count(i) AS identities, "
        "count(i.first_event_date) AS perpetrators",
        driver=driver,
        timeout_s=600,
    )[0]
    print(
        f"full facts refresh: {seconds:.1f} s over {row['identities']:,} identities "
        f"({row['perpetrators']:,} perpetrators hold facts); graph.facts.refresh_all, "
        "CALL IN TRANSACTIONS"
    )


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
    ap.add_argument("--fresh", action="store_true", help="reset the bench server and bulk-load")
    ap.add_argument("--runs", type=int, default=50, help="timed runs per person query")
    ap.add_argument("--population-runs", type=int, default=5)
    ap.add_argument("--casework", type=int, default=0, metavar="MEN",
                    help="first give the graph the cases and alerts of MEN serial men")
    args = ap.parse_args()
    delivery = prepare(args)
    if args.casework:
        with_casework(delivery, args.casework)
    time_facts_refresh()
    truth = load_truth(delivery)
    rng = random.Random(args.seed)
    perps = sorted(truth["serial"] + truth["at_risk"]) or sorted(truth["victim_chains"])
    people = sorted(truth["people"])
    as_of = truth["as_of"]
    began = time.perf_counter()
    if ranking.keep_current(get_driver(), date.fromisoformat(as_of)):
        print(f"stored RFGV ranking for {as_of}: {time.perf_counter() - began:.1f} s "
              "(graph.ranking.rerank, as the follow-up does each day for today)")  # fmt: skip

    def pick() -> str:
        return rng.choice(perps)

    top = most_victimised(10)

    def top_pair() -> dict[str, Any]:
        a, b = rng.sample(top, 2)
        return {"a": a, "b": b, "max_hops": 8}

    def person_queries(who: Callable[[], str], suffix: str) -> dict[str, Callable[[], Any]]:
        return {
            f"victim_chain{suffix}": lambda: run("victim_chain", {"person": who()}),
            f"disclosure_check{suffix}": lambda: run(
                "disclosure_check", {"person": who(), "as_of": as_of}
            ),
            f"neighbourhood(2){suffix}": lambda: run("neighbourhood", {"person": who(), "hops": 2}),
            f"active_orders{suffix}": lambda: run(
                "active_orders", {"person": who(), "as_of": as_of}
            ),
            f"agencies_involved{suffix}": lambda: run("agencies_involved", {"person": who()}),
        }

    cases: dict[str, Callable[[], Any]] = {
        **person_queries(pick, ""),
        **person_queries(lambda: rng.choice(top), " (top 10)"),
        "shortest_path": lambda: run(
            "shortest_path", {"a": pick(), "b": rng.choice(people), "max_hops": 8}
        ),
        "shortest_path(top 10)": lambda: run("shortest_path", top_pair()),
    }
    print(f"{len(people)} people, {len(perps)} serial/at-risk perpetrators")
    print(
        f"method: warm (5 warm-up runs per person query, 1 per population query), then "
        f"{args.runs} / {args.population_runs} timed runs through graph.runner.run on the "
        f"bench server at {os.environ['NEO4J_BOLT_PORT']} (heap {os.environ['NEO4J_HEAP']}, "
        f"page cache {os.environ['NEO4J_PAGECACHE']}); wall time in this process; a population "
        f"query as a person gets it (its first page: the row cap, "
        f"{get_settings().query_row_cap:,} rows), then its whole answer"
    )
    print(f"{'query':28} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9} {'target':>8}")
    for name, fn in cases.items():
        report(name, timed(fn, args.runs, warm=5))
    for name in POPULATION:
        # the delivery's own date stands for today wherever a query takes one
        params = {"as_of": as_of} if get_library().get(name).param("as_of") else {}
        # as a person gets it (the first page: the row cap, SERIALWATCH_QUERY_ROW_CAP), then
        # the whole answer (an export of every row)
        report(name, timed(partial(run, name, params), args.population_runs, 1))
        whole = run(name, params, row_cap=1_000_000)  # its row count; the warm-up too
        report(
            f"  whole: {len(whole.rows):,} rows",
            timed(partial(run, name, params, row_cap=1_000_000), args.population_runs, 0),
        )
        if args.casework and name in CASEWORK:
            later = {"as_of": date.today() + timedelta(days=120)}
            due = run(name, later, row_cap=1_000_000)
            report(
                f"  120 days on: {len(due.rows):,} rows",
                timed(partial(run, name, later), args.population_runs, 1),
            )
    return 0


def with_casework(delivery: Path, men: int) -> None:
    """Give the graph the case work of bench/cases.py unless it holds cases already; print
    what it holds."""
    from bench.cases import seed_cases

    if not read("MATCH (c:Case) RETURN c LIMIT 1", driver=get_driver()):
        seed_cases(delivery, 0, men, managed=300)
    row = read(
        "CALL () { MATCH (c:Case) RETURN count(c) AS cases, count(c.review_due) AS reviewed } "
        "CALL () { MATCH (a:Alert) RETURN count(a) AS alerts, "
        "          count(CASE WHEN a.rule = 'missed_notification' THEN 1 END) AS missed } "
        "RETURN cases, reviewed, alerts, missed",
        driver=get_driver(),
    )[0]
    print(f"case work in the graph: {row['cases']:,} cases ({row['reviewed']:,} with a review "
          f"date), {row['alerts']:,} alerts ({row['missed']:,} missed notifications)")  # fmt: skip


def most_victimised(n: int) -> list[str]:
    """The `n` perpetrators with the most victims (the per-identity fact): the worst case of
    `shortest_path`, whose search from each of them reaches the most records."""
    rows = read(
        "MATCH (i:Identity) WHERE i.victim_count >= 1 "
        "RETURN i.identity_id AS id ORDER BY i.victim_count DESC, id LIMIT $n",
        {"n": n},
        driver=get_driver(),
    )
    return [r["id"] for r in rows]


def report(name: str, ms: list[float]) -> None:
    target = TARGETS_MS.get(name)
    print(
        f"{name:28} {len(ms):>5} {statistics.median(ms):>9.1f} {p95(ms):>9.1f} "
        f"{'' if target is None else target:>8}",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
