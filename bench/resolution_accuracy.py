"""Identity-resolution accuracy without the graph writes: pull the records of the bench graph
once (cached as a pickle), then run the pipeline's own scoring and clustering steps in-process
and score the identities against truth.json. At 1,000,000 people this gives the accuracy of a
`resolve` in minutes, and lets a model or threshold be compared on the same pull.

    SERIALWATCH_BENCH_HOME=~/.sw-bench SERIALWATCH_BENCH_PORT=7715 \\
    SERIALWATCH_BENCH_HEAP=3g SERIALWATCH_BENCH_PAGECACHE=3g \\
        .venv/bin/python -m bench.resolution_accuracy --people 1000000 \\
        [--thresholds 0.75,0.8,0.9] [--retrain]

The graph is the bench's (`bench.common.national_graph`: synthesised with the seed and
bulk-loaded unless already there); the pull is cached beside the delivery. Every record starts
from its own identity, as after a fresh load. The model: the packaged default rescaled to the
records (`model.for_population`), or trained on them with `--retrain`. Pass 1 is clustered at
the first threshold, pass 2 at each. Printed, never asserted; serial_perpetrators needs the
written graph: `bench.resolution` checks it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from pathlib import Path

import duckdb
import pandas as pd

from bench.common import national_graph, use_bench_server
from bench.resolution import score


def pulled(delivery: Path) -> pd.DataFrame:
    """The delivery's records as `features.pull_records` returns them, pulled once."""
    from graph.driver import get_driver
    from ingest.resolve import features

    cache = delivery / "pulled-records.pkl"
    if cache.exists():
        return pd.read_pickle(cache)
    t = time.monotonic()
    raw = features.pull_records(get_driver())
    print(f"pulled {len(raw):,} records in {time.monotonic() - t:.0f} s")
    raw.to_pickle(cache)
    return raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--thresholds", default="0.8")
    parser.add_argument("--retrain", action="store_true")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("SERIALWATCH_BENCH_DATA", "/tmp/serialwatch-bench-resolution")),
    )
    args = parser.parse_args()
    use_bench_server()
    logging.getLogger("splink").setLevel(logging.ERROR)

    from ingest.resolve import features, model
    from ingest.resolve.cluster import cluster
    from ingest.resolve.pipeline import DUCKDB_MEMORY, REVIEW_THRESHOLD, _provisional, _score
    from ingest.resolve.rules import person_rules

    delivery = national_graph(args.people, args.seed, args.out)
    raw = pulled(delivery)
    raw["identity_id"] = "ID:" + raw["unique_id"]  # as after a fresh load
    truth = json.loads((delivery / "truth.json").read_text(encoding="utf-8"))
    thresholds = [float(x) for x in args.thresholds.split(",")]
    began = time.monotonic()
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "threads": 2})
    con.register(features.RAW, raw)
    con.register(features.EVENTS, features.events_of(raw))
    n = features.build_table(con)
    features.set_associates(con, _provisional(con))
    keys, rules = list(raw["unique_id"]), person_rules(raw)
    m = model.train(con, features.TABLE, n) if args.retrain else model.load_default()
    m = model.for_population(m, n)
    first = _score(con, m, REVIEW_THRESHOLD)
    first_ids = cluster(keys, first[first["match_probability"] >= thresholds[0]], [], rules)
    features.set_associates(con, first_ids.assignments)
    pairs = _score(con, m, REVIEW_THRESHOLD)
    print(
        f"\n== {args.people:,} people, {n:,} records, model {m.version}, prior "
        f"{m.splink['probability_two_random_records_match']:.3g}; scored in "
        f"{time.monotonic() - began:.0f} s"
    )
    for t in thresholds:
        result = cluster(keys, pairs[pairs["match_probability"] >= t], [], rules).assignments
        sc = score(truth, dict(zip(result["unique_id"], result["identity_id"], strict=True)))
        print(
            f"   link {t}: precision {sc['precision']:.4f}  recall {sc['recall']:.4f}  F1 "
            f"{sc['f1']:.4f}; people split {sc['people_split']:,}; identities merging people "
            f"{sc['identities_merging_people']:,}"
        )
    print(
        "\nmethod: records pulled once from the bench graph (features.pull_records, cached), "
        "each its own identity; features.build_table, set_associates, pipeline._score twice "
        f"(pass 1 clustered at {thresholds[0]}) and cluster with person_rules, in-process; "
        "pairwise scores as bench.resolution's"
    )


if __name__ == "__main__":
    main()
