"""Truth tests of the case queries in the saved library (graph/cypher/cases/): a hand-worked
managed case, its plan and a new victim, with every answer worked out by hand below.

NTH:P1 (victims V1, V2 from 2020) is managed at level 2 from a meeting on 2026-01-05, so his
review falls due 16 weeks later, on 2026-04-27. Plan: a supervision action for PROB due
2026-02-01, a victim safety action for IDVA due 2026-03-01, and one done (due 2026-01-10).
On 2026-02-01 he offends against a new victim, NTH:V9."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

from graph import cases as gc
from graph.runner import run
from ingest.transactional import load_delivery
from tests.alerts.test_alerts import incident, parties, person
from tests.cases.flow import P1, managed, version
from tests.ingest.deliveries import write_delivery

HELD = date(2026, 1, 5)


@pytest.fixture
def plan(candidate: str, db: Driver, tmp_path: Path) -> dict[str, Any]:
    hearing = managed(candidate, HELD)
    made = {}
    for name, heading, agency, due in [
        ("supervise", "supervision", "PROB", date(2026, 2, 1)),
        ("safety", "victim_safety_planning", "IDVA", date(2026, 3, 1)),
        ("done", "interventions_and_treatment", "PROB", date(2026, 1, 10)),
    ]:
        made[name] = gc.add_action(hearing, version(candidate), "chair", heading=heading,
                                   title=name, agency=agency, owner="o",
                                   due=due)["action_id"]  # fmt: skip
    gc.set_action(made["done"], 1, "o", status="done")
    load_delivery(
        write_delivery(tmp_path / "new", {
            "persons.csv": [person("NTH:V9", "Victimson9", "Ann")],
            "incidents.csv": [incident("NTH:I9", "2026-02-01")],
            "incident_parties.csv": parties("NTH:I9", "NTH:P1", "NTH:V9")}), db,
    )  # fmt: skip
    return {"case": candidate, **made}


def rows(name: str, **params: Any) -> list[dict[str, Any]]:
    return run(name, params).rows


def test_cases_due_review_equals_the_worked_answer(plan: dict[str, Any]) -> None:
    soon = rows("cases_due_review", as_of="2026-04-20")
    assert [(r["case_id"], r["identity_id"], r["level"], str(r["review_due"]), r["overdue"])
            for r in soon] == [(plan["case"], P1, 2, "2026-04-27", False)]  # fmt: skip
    assert soon[0]["record_keys"] == ["NTH:P1"] and str(soon[0]["last_review"]) == "2026-01-05"
    assert rows("cases_due_review", as_of="2026-04-20", within_days=0) == []
    assert rows("cases_due_review", as_of="2026-04-12") == []
    late = rows("cases_due_review", as_of="2026-05-01", within_days=0)
    assert [(r["overdue"], r["days_overdue"]) for r in late] == [(True, 4)]


def test_managed_with_new_victim_equals_the_worked_answer(plan: dict[str, Any]) -> None:
    found = rows("managed_with_new_victim", as_of="2026-03-01")
    assert [(r["case_id"], r["identity_id"]) for r in found] == [(plan["case"], P1)]
    assert [(v["identity_id"], str(v["first_date"])) for v in found[0]["new_victims"]] == [
        ("ID:NTH:V9", "2026-02-01")]
    assert rows("managed_with_new_victim", as_of="2026-01-31") == []  # not yet


def test_a_victim_before_the_last_review_is_not_new(plan: dict[str, Any]) -> None:
    hearing = gc.add_to_agenda(
        gc.create_meeting(date(2026, 2, 2), "NTH", "chair", [], "cw"), plan["case"], "cw"
    )
    gc.set_level(hearing, version(plan["case"]), "chair", 2)  # reviewed after V9
    assert rows("managed_with_new_victim", as_of="2026-03-01") == []


def test_overdue_actions_equal_the_worked_answer(plan: dict[str, Any]) -> None:
    found = rows("overdue_actions", as_of="2026-03-05")
    assert [(r["action_id"], r["days_overdue"], r["agency"]) for r in found] == [
        (plan["supervise"], 32, "PROB"), (plan["safety"], 4, "IDVA")]
    assert found[0]["identity_id"] == P1 and found[0]["case_id"] == plan["case"]
    assert [r["action_id"] for r in rows("overdue_actions", as_of="2026-03-05",
                                         agency="IDVA")] == [plan["safety"]]  # fmt: skip
    assert [r["action_id"] for r in rows("overdue_actions", as_of="2026-03-05",
                                         headings=["supervision"])] == [plan["supervise"]]
    assert [r["action_id"] for r in rows("overdue_actions", as_of="2026-02-15")] == [
        plan["supervise"]]
    assert rows("overdue_actions", as_of="2026-02-01") == []  # due that day: not yet overdue
