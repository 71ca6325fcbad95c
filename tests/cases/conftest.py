"""The case tests' starting point: one man who has just become a Category 4 candidate."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graph import cases as gc
from ingest.transactional import load_delivery
from tests.alerts.test_alerts import base
from tests.cases.flow import P1


@pytest.fixture
def candidate(db: Driver, tmp_path: Path) -> str:
    """NTH:P1 crosses the serial threshold (a load that is news, not a baseline): one
    candidate case."""
    load_delivery(base(tmp_path / "one"), db, baseline=False)
    found = gc.queue(driver=db)
    assert [(c["identity_id"], c["status"]) for c in found] == [(P1, "candidate")]
    return str(found[0]["case_id"])
