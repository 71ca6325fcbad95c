"""Case work benchmark: the caseworker's queue and a case page, through the service layer (role
check, redaction, audit) as the UI and API call them, on a graph of N people (default 100,000;
`--people 1000000` for the national figure) holding `--cases` open cases.

    python -m bench.cases [--people 1000000] [--cases 300] [--runs 50]

The base delivery is bulk-loaded into the benchmark server; cases are opened by hand on the
serial perpetrators with the highest RFGV, a third of them taken through a meeting to managed
with three plan actions each. Each figure is the p50/p95/max of `--runs` calls after two
warm-up calls, wall-clock, on this machine at the time; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import graph_changed, national_graph, use_bench_server


def _audit_store(folder: Path) -> None:
    """Users and audit trail of this run, apart from any real installation."""
    os.environ.update({
        "SERIALWATCH_DB": str(folder / "store" / "serialwatch.db"),
        "SERIALWATCH_AUDIT_ANCHOR": str(folder / "anchor" / "audit-anchor.log"),
        "SERIALWATCH_AUDIT_KEY": secrets.token_urlsafe(48),
        "SERIALWATCH_SECRET_KEY": secrets.token_urlsafe(48),
    })  # fmt: skip


def _cases(n: int) -> list[str]:
    from graph import cases as gc
    from graph.runner import run

    perps = run("rfgv_ranking", {"limit": n}, row_cap=n).rows
    made = []
    for k, p in enumerate(perps):
        try:
            case_id = gc.open_case(p["identity_id"], "bench", area="BENCH", caseworker="bench")
        except gc.IllegalMove:  # opened already by a Category 4 alert
            case_id = next(c["case_id"] for c in gc.queue(limit=100_000)
                           if c["identity_id"] == p["identity_id"])  # fmt: skip
        made.append(case_id)
        if k % 3 == 0:
            _to_managed(case_id)
    return made


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
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    args = ap.parse_args()
    use_bench_server()
    _audit_store(Path(tempfile.mkdtemp(prefix="bench-cases-")))
    began = time.monotonic()
    national_graph(args.people, 7, args.out)
    print(f"graph of {args.people:,} people ready in {time.monotonic() - began:.0f} s")
    graph_changed()  # the cases written below are not part of the delivery
    began = time.monotonic()
    made = _cases(args.cases)
    print(f"{len(made)} cases opened ({len(made[::3])} managed with 3 actions each) in "
          f"{time.monotonic() - began:.0f} s")  # fmt: skip

    from app.security.roles import Role
    from app.security.users import User
    from app.services import cases
    from app.services.door import Access

    worker = Access(User("bench", Role.caseworker, area="BENCH"), "case work benchmark")
    partner = Access(User("bench-partner", Role.partner, area="BENCH"), "case work benchmark")
    queue = cases.queue(worker)
    print(f"queue: {len(queue)} open cases shown")
    print("queue (caseworker):", _time(lambda: cases.queue(worker), args.runs))
    page = made[0]
    print("case page (caseworker):", _time(lambda: cases.detail(worker, page), args.runs))
    print("case page (partner, redacted):",
          _time(lambda: cases.detail(partner, page), args.runs))  # fmt: skip
    print("actions board overdue (caseworker):",
          _time(lambda: cases.board(worker, "overdue"), args.runs))  # fmt: skip
    print(
        "figures: wall-clock in this process against the bench server "
        f"(port {os.environ['NEO4J_BOLT_PORT']}), after two warm-up calls each"
    )


if __name__ == "__main__":
    main()
