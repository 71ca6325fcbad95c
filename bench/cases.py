"""Case work benchmark: the caseworker's queue and a case page, through the service layer (role
check, redaction, audit) as the UI and API call them, on a graph of N people (default 100,000;
`--people 1000000` for the national figure) holding the cases a national service would.

    python -m bench.cases [--people 1000000] [--men 10000] [--managed 300] [--runs 50]

The base delivery is bulk-loaded into the benchmark server. The incidents, homes and
relationships of `--men` serial perpetrators (from its truth.json) then come again as a
delivery would bring them: the alert rules run over those rows (graph.alerts.evaluate: new
victims, Category 4, breaches, missed notifications) and the case follow-up opens a candidate
case for each new-Category-4 alert (the men those incidents make serial, about a third);
`--managed` candidates, the highest RFGV first, are screened, accepted and heard at a meeting
that sets level 2 and agrees three plan actions. The graph with its cases is kept (marked as
this bench's variant), reused by a run with the same figures and topped up by one with more.
Each figure is the p50/p95/max of `--runs` calls after two warm-up calls, wall-clock, on this
machine at the time; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import changing_to, loaded_variant, national_graph, use_bench_server


def _audit_store(folder: Path) -> None:
    """Users and audit trail of this run, apart from any real installation."""
    os.environ.update({
        "SERIALWATCH_DB": str(folder / "store" / "serialwatch.db"),
        "SERIALWATCH_AUDIT_ANCHOR": str(folder / "anchor" / "audit-anchor.log"),
        "SERIALWATCH_AUDIT_KEY": secrets.token_urlsafe(48),
        "SERIALWATCH_SECRET_KEY": secrets.token_urlsafe(48),
    })  # fmt: skip


def _graph_with_cases(args: argparse.Namespace) -> None:
    """The bench graph holding this run's cases: reused when a run with the same figures left
    it, topped up when one with fewer did, else the delivery alone (reused if untouched) with
    the cases opened now."""
    variant = f"cases {args.people} {args.men} {args.managed}"
    now = (loaded_variant() or "").split()
    mine = len(now) == 4 and now[:2] == ["cases", str(args.people)]
    had = [int(now[2]), int(now[3])] if mine else [0, 0]
    if had[0] > args.men or had[1] > args.managed:
        had = [0, 0]  # more than asked for: start again from the delivery alone
    began = time.monotonic()
    delivery = national_graph(args.people, 7, args.out, variant=" ".join(now) if any(had) else "")
    from graph.schema import apply_pending

    apply_pending()  # this branch's migrations on a graph an older run left
    print(
        f"graph of {args.people:,} people ready in {time.monotonic() - began:.0f} s"
        + (f" (with the cases of {had[0]:,} men, {had[1]} managed)" if any(had) else "")
    )
    if had != [args.men, args.managed]:
        with changing_to(variant):
            seed_cases(delivery, had[0], args.men, args.managed - had[1])


def seed_cases(delivery: Path, first: int, last: int, managed: int) -> None:
    """Serial men `first` to `last` (of the delivery's truth, in a fixed shuffle) come again:
    the alert rules run over their DA incidents, homes and partners, the case follow-up opens
    the candidates, and the `managed` highest-RFGV candidates are managed (`_to_managed`)."""
    from graph import cases as gc
    from graph.alerts import Changes, evaluate
    from graph.case_followup import open_candidates
    from graph.driver import read

    truth = json.loads((delivery / "truth.json").read_text())
    men = [truth["people"][h][0] for h in truth["serial"]]
    random.Random(7).shuffle(men)
    began = time.monotonic()
    rows = read(
        "UNWIND $keys AS k MATCH (p:Person {person_key: k}) "
        "RETURN COLLECT { MATCH (p)-[:SUSPECT_IN|OFFENDER_IN]->(n:Incident) WHERE n.da_related "
        "                 RETURN n.incident_key } AS incidents, "
        "       COLLECT { MATCH (p)-[r:RESIDED_AT]->() RETURN r.row_key } AS residences, "
        "       COLLECT { MATCH (p)-[r:INTIMATE_PARTNER]->() RETURN r.row_key } AS partners",
        {"keys": men[first:last]},
    )  # fmt: skip
    again = Changes(
        incidents=sorted({k for r in rows for k in r["incidents"]}),
        residences=sorted({k for r in rows for k in r["residences"]}),
        relationships=sorted({k for r in rows for k in r["partners"]}),
    )
    raised = evaluate(again)
    opened = open_candidates()
    print(f"{len(men[first:last]):,} serial men re-delivered: {len(raised):,} alerts raised over "
          f"{len(again.incidents):,} incidents, {len(again.residences):,} homes and "
          f"{len(again.relationships):,} partners, {len(opened):,} candidate cases opened, in "
          f"{time.monotonic() - began:.0f} s")  # fmt: skip
    began = time.monotonic()
    for case in gc.queue(statuses=("candidate",), limit=managed):
        _to_managed(case["case_id"])
    print(f"{managed} more cases managed with 3 actions each in {time.monotonic() - began:.0f} s")


def _to_managed(case_id: str) -> None:
    from graph import cases as gc

    def v() -> int:
        return int(gc.case(case_id)["version"])

    if gc.case(case_id)["status"] == "candidate":
        gc.move(case_id, v(), "screening", "bench")
        gc.move(case_id, v(), "accepted", "bench", level=2)
    meeting = gc.create_meeting(date.today(), "BENCH", "chair", [], "bench")
    hearing = gc.add_to_agenda(meeting, case_id, "bench")
    gc.set_level(hearing, v(), "bench", 2)
    for heading in ("supervision", "monitoring_and_control", "victim_safety_planning"):
        gc.add_action(
            hearing,
            v(),
            "bench",
            heading=heading,
            title="bench step",
            agency="BENCH",
            owner="bench",
            due=date.today() + timedelta(days=7),
        )


def _time(call: Callable[[], Any], runs: int) -> str:
    for _ in range(2):
        call()
    took = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        took.append((time.perf_counter() - began) * 1000)
    took.sort()
    p95 = took[min(len(took) - 1, int(round(0.95 * len(took))) - 1)]
    return (f"p50 {statistics.median(took):.1f} ms, p95 {p95:.1f} ms, max {took[-1]:.1f} ms "
            f"({runs} calls)")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument(
        "--men",
        type=int,
        default=10_000,
        help="serial men whose incidents come again (a third cross the threshold)",
    )
    ap.add_argument("--managed", type=int, default=300)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    args = ap.parse_args()
    use_bench_server()
    _audit_store(Path(tempfile.mkdtemp(prefix="bench-cases-")))
    _graph_with_cases(args)
    from graph import cases as gc

    counts = {s: len(gc.queue(statuses=(s,), limit=1_000_000)) for s in gc.OPEN_STATUSES}
    print("open cases: " + ", ".join(f"{n:,} {s}" for s, n in counts.items()))

    from app.security.roles import Role
    from app.security.users import User
    from app.services import cases
    from app.services.door import Access

    worker = Access(User("bench", Role.caseworker, area="BENCH"), "case work benchmark")
    partner = Access(User("bench-partner", Role.partner, area="BENCH"), "case work benchmark")
    queue = cases.queue(worker)
    print(f"queue: the first {len(queue)} open cases shown")
    print("queue (caseworker):", _time(lambda: cases.queue(worker), args.runs))
    page = gc.queue(statuses=("managed",), limit=1)[0]["case_id"]
    print(f"case page {page} (managed, 3 actions):")
    print("  caseworker:", _time(lambda: cases.detail(worker, page), args.runs))
    print("  partner (redacted):", _time(lambda: cases.detail(partner, page), args.runs))
    print("actions board overdue (caseworker):",
          _time(lambda: cases.board(worker, "overdue"), args.runs))  # fmt: skip
    print(
        "figures: wall-clock in this process against the bench server "
        f"(port {os.environ['NEO4J_BOLT_PORT']}), after two warm-up calls each"
    )


if __name__ == "__main__":
    main()
