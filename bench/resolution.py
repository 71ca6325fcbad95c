"""Identity-resolution benchmark: synthesise N people, bulk-load them into a reset server, run
`serialwatch resolve` (training included), and score the identities against truth.json.

    python -m bench.resolution                  # 100,000 people
    python -m bench.resolution --people 1000000

Figures: pairwise precision / recall / F1 over record pairs sharing an identity; cluster level:
true people split over several identities and identities merging several people; wall time per
step, the process's peak RSS (ru_maxrss, which includes DuckDB, in-process) and DuckDB's own
memory after scoring; and `serial_perpetrators` (on freshly refreshed identity facts) against
truth.serial. Runs on the benchmark server of bench.common (SERIALWATCH_BENCH_HOME / _PORT /
_HEAP / _PAGECACHE), so no one's data is touched. Printed, never asserted.

    SERIALWATCH_BENCH_HOME=~/.sw-bench SERIALWATCH_BENCH_PORT=7715 \
    SERIALWATCH_BENCH_HEAP=3g SERIALWATCH_BENCH_PAGECACHE=3g \
        .venv/bin/python -m bench.resolution --people 1000000
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.common import (
    BENCH_ENV,
    peak_rss_mb,
    pristine_graph,
    process_peak_rss_mb,
    use_bench_server,
)


def score(truth: dict[str, Any], ident: dict[str, str]) -> dict[str, Any]:
    """Pairwise and cluster-level agreement of `ident` (person_key -> identity) with the truth."""
    human = {k: h for h, keys in truth["people"].items() for k in keys}
    members: dict[str, list[str]] = defaultdict(list)
    for k, i in ident.items():
        members[i].append(k)
    tp = fp = 0
    merged_ids = 0
    merged_people: set[str] = set()
    for keys in members.values():
        per = Counter(human[k] for k in keys)
        same = sum(c * (c - 1) // 2 for c in per.values())
        tp += same
        fp += len(keys) * (len(keys) - 1) // 2 - same
        if len(per) > 1:
            merged_ids += 1
            merged_people.update(per)
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in truth["people"].values())
    split = sum(len({ident[k] for k in keys}) > 1 for keys in truth["people"].values())
    multi = sum(len(keys) > 1 for keys in truth["people"].values())
    p, r = tp / max(tp + fp, 1), tp / max(true_pairs, 1)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / max(p + r, 1e-12),
        "true_pairs": true_pairs,
        "pairs_linked": tp + fp,
        "people_with_2plus_records": multi,
        "people_split": split,
        "identities_merging_people": merged_ids,
        "people_in_merged_identities": len(merged_people),
    }


def serial_check(truth: dict[str, Any], driver: Any) -> dict[str, Any]:
    """serial_perpetrators (tier serial) against truth.serial, after refreshing every
    identity's facts (the query reads them) so the check never sees stale ones."""
    from graph.facts import refresh_all
    from graph.runner import run

    print(f"   identity facts refreshed in {refresh_all(driver):.1f} s (not timed)")
    human = {k: h for h, keys in truth["people"].items() for k in keys}
    result = run("serial_perpetrators", {"tiers": ["serial"]}, driver=driver, row_cap=1_000_000)
    found = []
    for row in result.rows:
        hs = Counter(human[k] for k in row["record_keys"] if k in human)
        found.append(hs.most_common(1)[0][0] if hs else None)
    want = set(truth["serial"])
    hit = want & set(found)
    return {
        "truth_serial": len(want),
        "returned": len(found),
        "recall": len(hit) / max(len(want), 1),
        "precision": sum(h in want for h in found) / max(len(found), 1),
        "missed": sorted(want - hit)[:10],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("SERIALWATCH_BENCH_DATA", "/tmp/serialwatch-bench-resolution")),
    )
    parser.add_argument(
        "--runs",
        default="model,baseline,retrain",
        help="comma-separated runs, each on the freshly loaded graph: model (the saved/packaged "
        "model, relink alerts raised), baseline (the same with --baseline), retrain (training "
        "included)",
    )
    parser.add_argument("--no-serial", action="store_true", help="skip the serial check")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument("--spark-master", default="local[2]")
    args = parser.parse_args()
    use_bench_server()
    logging.basicConfig(format="%(asctime)s %(name)s %(message)s", level=logging.WARNING)
    logging.getLogger("ingest.resolve").setLevel(logging.INFO)  # each step as it ends
    logging.getLogger("splink").setLevel(logging.ERROR)
    for name in args.runs.split(","):
        delivery = pristine_graph(args.people, args.seed, args.out)
        run(name, args.people, delivery, not args.no_serial, args.engine, args.spark_master)
    print(
        f"\nmethod: each run starts from the same bulk-loaded store (restored from a copy; "
        f"port {BENCH_ENV['NEO4J_BOLT_PORT']}, heap {BENCH_ENV['NEO4J_HEAP']}, page cache "
        f"{BENCH_ENV['NEO4J_PAGECACHE']}), so every record still holds its initial identity "
        "(a first national resolve); resolve() timed in-process per step; pairwise scores "
        "over all record pairs sharing an identity vs the truth's humans; peak memory = "
        "ru_maxrss of this process (DuckDB included; a fresh process per run is cleaner: pass "
        "one run with --runs), duckdb_memory() after predict, VmHWM of neo4j (since the "
        "server started for this run)"
    )


def run(name: str, people: int, delivery: Path, serial: bool, engine: str, master: str) -> None:
    """One resolve on the freshly restored graph, its figures printed. The truth is read only
    after the resolve, so the peak memory measured is the resolver's."""
    from graph.driver import get_driver, read
    from graph.server import LocalServer
    from graph.settings import get_settings
    from ingest.resolve import model
    from ingest.resolve.pipeline import resolve

    if name not in ("model", "baseline", "retrain"):
        raise SystemExit(f"unknown run {name!r}")
    (model.models_dir() / "resolution-current.json").unlink(missing_ok=True)  # bench home
    driver = get_driver()
    began = time.monotonic()
    s = resolve(
        driver,
        retrain=name == "retrain",
        baseline=name == "baseline",
        engine=engine,
        spark_master=master,
    )
    wall = time.monotonic() - began
    rss = peak_rss_mb()
    jvm = _spark_jvm_peak_mb() if engine == "spark" else 0.0
    pid = LocalServer(get_settings()).pid()
    truth = json.loads((delivery / "truth.json").read_text(encoding="utf-8"))
    rows = read(
        "MATCH (p:Person)-[:RESOLVES_TO]->(i:Identity) RETURN p.person_key AS k, "
        "i.identity_id AS i",
        driver=driver,
        timeout_s=600,
    )
    sc = score(truth, {r["k"]: r["i"] for r in rows})
    print(
        f"\n== run '{name}' on {engine}{f' ({master})' if engine == 'spark' else ''}: "
        f"resolution of {people:,} people: {s.records:,} person records"
    )
    print(f"   wall {wall:.1f} s  ({', '.join(f'{k} {v} s' for k, v in s.seconds.items())})")
    print(
        f"   peak RSS of this process {rss:,.0f} MB (includes DuckDB); DuckDB after scoring "
        f"{s.duckdb_peak_mb:,.0f} MB; neo4j peak {process_peak_rss_mb(pid) if pid else 0:,.0f} MB"
    )
    if engine == "spark":
        print(f"   Spark's JVM (driver and local executors) peak {jvm:,.0f} MB (VmHWM)")
    steps = ", ".join(f"{k} {v:,.0f} MB" for k, v in s.peak_rss_mb.items())
    print(f"   peak RSS of this process by the end of each step: {steps}")
    print(
        f"   pairs scored {s.pairs_scored:,}; >= review threshold {s.pairs_above_review:,}; "
        f"links {s.links:,}; review queue {s.review_queue:,}; records relinked {s.relinked:,}"
    )
    print(f"   relink alerts raised {s.alerts_raised:,}; withheld (baseline) {s.alerts_withheld:,}")
    print(
        f"   identities {s.identities:,} ({s.multi_record_identities:,} with 2+ records); "
        f"model {s.model_version}{' (trained in this run)' if s.trained else ''}"
    )
    print(
        f"   pairwise precision {sc['precision']:.4f}  recall {sc['recall']:.4f}  "
        f"F1 {sc['f1']:.4f}  (true pairs {sc['true_pairs']:,}, linked {sc['pairs_linked']:,})"
    )
    print(
        f"   people with 2+ records {sc['people_with_2plus_records']:,}: split "
        f"{sc['people_split']:,}; identities merging people "
        f"{sc['identities_merging_people']:,} ({sc['people_in_merged_identities']:,} people)"
    )
    if serial:
        check = serial_check(truth, driver)
        print(
            f"   serial_perpetrators: recall {check['recall']:.4f} precision "
            f"{check['precision']:.4f} ({check['returned']} returned, "
            f"{check['truth_serial']} in truth; missed {check['missed']})"
        )


def _spark_jvm_peak_mb() -> float:
    """The peak resident memory of the JVM pyspark started (it outlives the stopped session)."""
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None)
    return process_peak_rss_mb(proc.pid) if proc is not None else 0.0


if __name__ == "__main__":
    main()
