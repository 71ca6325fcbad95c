"""Alert benchmark: time to evaluate the alert rules, and to group and rank what they raise
into the inbox, for a follow-up delivery of ~10,000 rows into a graph of N people (default
100,000; `--people 1000000` for the national figure).

    python -m bench.alerts [--people 1000000]

The base delivery is bulk-loaded into a reset benchmark server; the follow-up gives known serial
perpetrators (from truth.json) new victims, partners and addresses, and new people of its own.
Figures are printed with how they were obtained, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from pathlib import Path

from bench.common import graph_changed, national_graph, use_bench_server
from ingest.files import BY_NAME


def follow_up(base: Path, out: Path, rows: int, seed: int = 1) -> Path:
    """A delivery of about `rows` rows that touches known serial perpetrators."""
    truth = json.loads((base / "truth.json").read_text())
    rng = random.Random(seed)
    perps = [truth["people"][h][0] for h in truth["serial"]]
    wanted = set(perps)
    with open(base / "persons.csv", newline="", encoding="utf-8") as fh:
        agencies = {
            r["person_key"]: r["agency_code"]
            for r in csv.DictReader(fh)
            if r["person_key"] in wanted
        }
    files: dict[str, list[dict[str, str]]] = {
        n: []
        for n in (
            "persons.csv",
            "incidents.csv",
            "incident_parties.csv",
            "relationships.csv",
            "addresses.csv",
            "residences.csv",
        )
    }
    n = 0
    while sum(len(v) for v in files.values()) < rows:
        n += 1
        perp = rng.choice(perps)
        force = agencies[perp]
        victim, inc, addr = f"FU-{force}:V{n:06d}", f"FU-{force}:I{n:06d}", f"FU:A{n:06d}"
        files["persons.csv"].append(
            {
                "person_key": victim,
                "agency_code": force,
                "surname": "Followup",
                "forename": f"Case{n}",
                "gender": "F",
            }
        )
        files["incidents.csv"].append(
            {
                "incident_key": inc,
                "agency_code": force,
                "reported_date": "2026-09-01",
                "category": "domestic_abuse",
                "outcome": "open",
            }
        )
        files["incident_parties.csv"] += [
            {"incident_key": inc, "person_key": perp, "role": "suspect"},
            {"incident_key": inc, "person_key": victim, "role": "victim"},
        ]
        files["relationships.csv"].append(
            {
                "person_key": perp,
                "other_key": victim,
                "type": "intimate_partner",
                "from_date": "2026-08-01",
            }
        )
        files["addresses.csv"].append(
            {"address_key": addr, "line1": f"{n} New Street", "postcode": "B1 1AA"}
        )
        files["residences.csv"].append(
            {"person_key": perp, "address_key": addr, "from_date": "2026-08-15"}
        )
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        with open(out / name, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=BY_NAME[name].columns)
            w.writeheader()
            w.writerows(data)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    parser.add_argument(
        "--skip-load",
        action="store_true",
        help="reuse the base and follow-up a last run loaded (its alerts are raised anew)",
    )
    args = parser.parse_args()
    use_bench_server()
    from graph import alert_items as items
    from graph.alerts import evaluate
    from graph.driver import get_driver, write
    from ingest.alerting import changes_of
    from ingest.load import Loader
    from ingest.transactional import CypherSink

    variant = f"alerts follow-up of {args.rows} rows"
    base = national_graph(args.people, 7, args.out, fresh=not args.skip_load, variant=variant)
    extra = follow_up(base, args.out / f"follow-up-{args.people}", args.rows)
    driver = get_driver()
    t = time.monotonic()
    summary = Loader(CypherSink(driver)).load(extra)
    graph_changed(variant)  # the base with this follow-up: --skip-load reuses it
    load_s = time.monotonic() - t
    rows = sum(f.rows for f in summary.files)
    # The base is bulk-loaded without alerts: any alert here is this follow-up's, raised by an
    # earlier run with --skip-load (whose reload of it changed nothing), so it is evaluated anew.
    write("MATCH (n) WHERE n:Alert OR n:AlertItem DETACH DELETE n", {}, driver=driver)
    timings: dict[str, float] = {}
    t = time.monotonic()
    raised = evaluate(changes_of(summary), driver=driver, timings=timings)
    eval_s = time.monotonic() - t
    print(f"follow-up: {rows:,} rows loaded in {load_s:.1f} s")
    print(f"alert rules: evaluated in {eval_s:.2f} s, {len(raised):,} alerts raised")
    print("  " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    print(f"inbox: {items.count(driver, status='new')}")
    drop = (
        "MATCH (a:Alert) WHERE a.alert_id IN $ids DETACH DELETE a "
        "WITH count(*) AS n MATCH (it:AlertItem) WHERE NOT EXISTS { (:Alert)-[:IN]->(it) } "
        "DETACH DELETE it"
    )
    write(drop, {"ids": raised}, driver=driver)
    t = time.monotonic()
    again = evaluate(changes_of(summary), driver=driver, timings=timings)
    print(f"again, warm (the alerts deleted first): {time.monotonic() - t:.2f} s, "
          f"{len(again):,} alerts")  # fmt: skip
    print("  " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))
    print(
        "method: base bulk-loaded into a reset benchmark server (bench/common.py); follow-up "
        "loaded by the transactional loader; the rules timed alone (graph.alerts.evaluate) "
        "over the keys the load changed, first as a load runs them (right after it), then "
        "again with warm caches; per rule, for storing the alerts, and for grouping them into "
        "inbox items and ranking those"
    )
    print("(the benchmark server keeps running: `serialwatch db stop` with its home and port)")


if __name__ == "__main__":
    main()
