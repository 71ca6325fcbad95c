"""The caseworker's queue on the real Neo4j: candidates first, then screening, accepted and
managed, the highest RFGV first within a status, kept as each case moves and its RFGV is
refreshed; and a page of it is read from the `queue_order` index, never by sorting every case."""

from __future__ import annotations

from datetime import date
from typing import Any

from neo4j import Driver

from graph import cases as gc
from tests.cases.flow import managed, version


def _order(statuses: tuple[str, ...] = gc.OPEN_STATUSES) -> list[str]:
    return [c["case_id"] for c in gc.queue(statuses=statuses)]


def _expected(case_ids: list[str], statuses: tuple[str, ...] = gc.OPEN_STATUSES) -> list[str]:
    """The queue's order worked out here from each case's status and RFGV as they are now."""
    rfgv = {c["case_id"]: c["rfgv"] for c in gc.queue(statuses=gc.STATUSES, limit=1000)}
    keep = [gc.case(c) for c in case_ids if gc.case(c)["status"] in statuses]
    keep.sort(key=lambda c: (gc.STATUSES.index(c["status"]), -rfgv[c["case_id"]], c["case_id"]))
    return [c["case_id"] for c in keep]


def test_the_queue_keeps_its_order_as_cases_move(candidate: str) -> None:
    v1 = gc.open_case("NTH:V1", "cw")
    v2 = gc.open_case("NTH:V2", "cw")
    made = [candidate, v1, v2]
    assert _order() == [candidate, *sorted([v1, v2])]  # he has an RFGV score, they have none
    assert _order() == _expected(made)
    gc.move(v2, version(v2), "screening", "cw")
    assert _order() == [candidate, v1, v2] == _expected(made)
    managed(candidate, date(2026, 3, 2))
    assert _order() == [v1, v2, candidate] == _expected(made)
    assert _order(("screening", "managed")) == [v2, candidate]
    gc.move(v1, version(v1), "closed", "cw", reason="a victim, opened in error")
    assert _order() == [v2, candidate] == _expected(made)
    assert _order(("closed",)) == [v1]
    gc.refresh_rfgv()  # the daily refresh keeps it
    assert _order(gc.STATUSES) == [v2, candidate, v1] == _expected(made, gc.STATUSES)


def _operators(plan: Any) -> list[tuple[str, str]]:
    args = plan.arguments if hasattr(plan, "arguments") else plan.get("args", {})
    kind = plan.operator_type if hasattr(plan, "operator_type") else plan["operatorType"]
    children = plan.children if hasattr(plan, "children") else plan.get("children", [])
    return [(kind.split("@")[0], str(args.get("Details", "")))] + [
        o for c in children for o in _operators(c)
    ]


def test_a_page_of_the_queue_is_read_from_its_order_index(candidate: str, db: Driver) -> None:
    with db.session() as s:
        plan = s.run("EXPLAIN " + gc.QUEUE, gc.queue_params(gc.OPEN_STATUSES)).consume().plan
    ops = _operators(plan)
    assert any(k == "NodeIndexSeekByRange" and "queue_order" in d for k, d in ops), ops
    assert "PartialTop" in [k for k, _ in ops] and "Top" not in [k for k, _ in ops]
