"""The transactional path: each batch of good rows is one write transaction of MERGEs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, LiteralString

from neo4j import Driver

from graph.driver import read, write
from graph.facts import refresh_after_load
from graph.schema import apply_pending
from ingest import statements as st
from ingest.alerting import changes_of, raise_alerts
from ingest.files import FileSpec
from ingest.load import BATCH, Loader, LoadSummary, Progress, row_params
from ingest.reading import Good

WRITE_TIMEOUT_S = 600.0
# Write transactions side by side within a file: Neo4j runs one transaction on one thread, so
# one writer leaves a core idle while the loader waits on it. Measured at 100,000 people on 2
# quiet cores (bench/ingest.py --warm, then warmed on 5,000 other people): one writer 59.8 s,
# two on node files only 51.7 s, two on every file 46.8 s. Batches of one file never share a
# key; where two relationship batches touch one node, one waits for the other's locks (a
# deadlock is retried by the driver).
WRITERS = 2
# Files load one after another. Side by side (addresses beside persons, incidents beside the
# files linking persons; never two files linking the same kind of node) was measured at
# 100,000 people on a busy 2-core machine: no faster (80 s against 78 s cold, 85 s against
# 78 s warm) and more CPU (Neo4j +3 to +8 s, loader +3 s), so it was left out (commit 0ceb089).

# Which statement loads each file; for two files the statement depends on a column's value.
_STATEMENTS: dict[str, LiteralString] = {
    "agencies.csv": st.AGENCIES,
    "addresses.csv": st.ADDRESSES,
    "persons.csv": st.PERSONS,
    "incidents.csv": st.INCIDENTS,
    "orders.csv": st.ORDERS,
    "order_protected.csv": st.ORDER_PROTECTED,
    "breaches.csv": st.BREACHES,
    "residences.csv": st.RESIDENCES,
    "notifications.csv": st.NOTIFICATIONS,
}
_BY_VALUE: dict[str, tuple[str, dict[str, LiteralString]]] = {
    "incident_parties.csv": ("role", st.PARTIES),
    "relationships.csv": ("type", st.RELATIONSHIPS),
}
_LOOKUPS: dict[str, LiteralString] = {
    "agency": "UNWIND $keys AS k MATCH (n:Agency {agency_code: k}) RETURN k",
    "address": "UNWIND $keys AS k MATCH (n:Address {address_key: k}) RETURN k",
    "person": "UNWIND $keys AS k MATCH (n:Person {person_key: k}) RETURN k",
    "incident": "UNWIND $keys AS k MATCH (n:Incident {incident_key: k}) RETURN k",
    "order": "UNWIND $keys AS k MATCH (n:Order {order_key: k}) RETURN k",
}


class CypherSink:
    """Writes batches straight into the graph through `driver`."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver

    def lookup(self, kind: str, keys: set[str]) -> set[str]:
        rows = read(_LOOKUPS[kind], {"keys": sorted(keys)}, driver=self.driver)
        return {r["k"] for r in rows}

    def write(self, spec: FileSpec, rows: list[Good]) -> int:
        if spec.name not in _BY_VALUE:
            return self._run(_STATEMENTS[spec.name], [row_params(spec, g) for g in rows])
        column, by_value = _BY_VALUE[spec.name]
        groups: dict[str, list[dict[str, Any]]] = {}
        for g in rows:
            groups.setdefault(getattr(g.row, column), []).append(row_params(spec, g))
        return sum(self._run(by_value[value], params) for value, params in groups.items())

    def _run(self, statement: LiteralString, rows: list[dict[str, Any]]) -> int:
        out = write(statement, {"rows": rows}, driver=self.driver, timeout_s=WRITE_TIMEOUT_S)
        return int(out[0]["changed"]) if out else 0


def graph_loader(
    driver: Driver, batch_size: int = BATCH, progress: Progress | None = None
) -> Loader:
    """The loader that writes straight into the graph (without the alert rules)."""
    return Loader(CypherSink(driver), batch_size, progress, WRITERS)


def load_delivery(
    delivery: Path,
    driver: Driver,
    batch_size: int = BATCH,
    progress: Progress | None = None,
    baseline: bool | None = None,
) -> LoadSummary:
    """Validate and load a delivery into the graph; rejects go to `delivery/rejects/`.
    `baseline` (a force's or a nation's first load: history, not news; see raise_alerts)
    defaults to whether the graph held no person record before."""
    apply_pending(driver)  # MERGE on keys needs the uniqueness constraints behind it
    if baseline is None:
        baseline = not read("MATCH (p:Person) RETURN p LIMIT 1", driver=driver)
    summary = graph_loader(driver, batch_size, progress).load(delivery)
    refresh_after_load(changes_of(summary), driver)
    return raise_alerts(summary, driver, baseline)
