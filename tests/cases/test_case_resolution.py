"""A case follows its man through re-resolution as the resolver writes it (graph_writer, then
the after-resolution hook that runs the relink rules and moves the cases): a merge with
another man's record, then the split that undoes it. The case goes with its subject's record,
not with the identity id the wrong merge left, and its history keeps both moves."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from neo4j import Driver

from graph import cases as gc
from ingest.alerting import raise_relink_alerts
from ingest.resolve import features
from ingest.resolve.graph_writer import changes, write_identities
from ingest.transactional import load_delivery
from tests.alerts.test_alerts import person
from tests.cases.flow import P1, managed, version
from tests.ingest.deliveries import write_delivery

OTHER = "NTH:A1"  # another man; his key sorts before NTH:P1's, so a merge takes his id
OTHER_ID = "ID:NTH:A1"


def _resolve(db: Driver, clusters: list[list[str]]) -> None:
    """What a resolution run writes when the clustering gives `clusters` (every other record
    alone): each cluster under its least record's id, then the after-resolution hook."""
    current = features.pull_records(db)[["unique_id", "identity_id", "method", "model_version"]]
    together = {k: c for c in clusters for k in c}
    rows = []
    for key in current["unique_id"]:
        members = together.get(key, [key])
        single = len(members) == 1
        rows.append((key, f"ID:{min(members)}", "initial" if single else "model",
                     None if single else 0.97))  # fmt: skip
    assigned = pd.DataFrame(rows, columns=["unique_id", "identity_id", "method", "probability"])
    changed = changes(assigned, current, "test-v1")
    write_identities(db, changed, assigned["identity_id"].value_counts())
    raise_relink_alerts(changed, db)


def _other_man(db: Driver, tmp_path: Path) -> None:
    load_delivery(
        write_delivery(tmp_path / "other", {"persons.csv": [person(OTHER, "Marlow", "Dan", "M")]}),
        db,
    )


def _moves(case_id: str) -> list[tuple[str, str]]:
    return [(h["before_text"], h["after_text"]) for h in gc.case(case_id)["changes"]
            if h["what"] == "re-resolved"]  # fmt: skip


def test_a_managed_case_survives_a_merge_and_the_split_that_undoes_it(
    candidate: str, db: Driver, tmp_path: Path
) -> None:
    _other_man(db, tmp_path)
    _resolve(db, [[OTHER, "NTH:P1"]])  # a wrong merge: his record joins the other man's id
    assert gc.case(candidate)["identity_id"] == OTHER_ID
    hearing = managed(candidate, date.today())
    made = gc.add_action(hearing, version(candidate), "chair", heading="supervision",
                         title="weekly contact", agency="PROB", owner="olly",
                         due=date.today() + timedelta(days=7))  # fmt: skip
    _resolve(db, [])  # the split: each record alone again
    case = gc.case(candidate)
    assert case["identity_id"] == P1 and case["subject_key"] == "NTH:P1"
    assert case["status"] == "managed" and case["level"] == 2
    assert [a["action_id"] for a in case["actions"]] == [made["action_id"]]
    assert gc.action(made["action_id"])["identity_id"] == P1
    assert _moves(candidate) == [(P1, OTHER_ID), (OTHER_ID, P1)]
    assert [(c["case_id"], c["identity_id"]) for c in gc.queue()] == [(candidate, P1)]
    _resolve(db, [])  # nothing moves: nothing more in his history
    assert len(_moves(candidate)) == 2


def test_a_case_opened_on_a_merged_identity_follows_the_perpetrator_when_it_splits(
    candidate: str, db: Driver, tmp_path: Path
) -> None:
    gc.move(candidate, version(candidate), "closed", "cw", reason="reopened below")
    _other_man(db, tmp_path)
    _resolve(db, [[OTHER, "NTH:P1"]])
    by_identity = gc.open_case(OTHER_ID, "cw")  # the merged identity, as the queue shows it
    assert gc.case(by_identity)["subject_key"] == "NTH:P1"  # his record, not the least key
    gc.move(by_identity, version(by_identity), "closed", "cw", reason="reopened below")
    by_record = gc.open_case("NTH:P1", "cw")
    assert gc.case(by_record)["subject_key"] == "NTH:P1"
    _resolve(db, [])
    assert gc.case(by_record)["identity_id"] == P1
    assert gc.case(by_identity)["identity_id"] == P1
    assert _moves(by_record) == [(OTHER_ID, P1)]
