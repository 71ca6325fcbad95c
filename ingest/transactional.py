"""The transactional path: each batch of good rows is one write transaction of MERGEs."""

from __future__ import annotations

from pathlib import Path
from typing import Any, LiteralString

from neo4j import Driver
from neo4j.exceptions import ConstraintError

from graph.driver import read, write
from graph.facts import refresh_after_load
from graph.schema import apply_pending
from ingest import statements as st
from ingest.alerting import changes_of, raise_alerts
from ingest.files import FileSpec
from ingest.load import BATCH, Loader, LoadSummary, Progress, row_params
from ingest.reading import Good

WRITE_TIMEOUT_S = 600.0
# Write transactions side by side. 2 lets Neo4j use a second core while Python validates, but
# measured on a busy machine it made relationship files (incident_parties) several times slower
# (lock waits on shared Person/Incident nodes), so one it is until measured on a quiet machine.
WRITERS = 1

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

    def write(self, spec: FileSpec, rows: list[Good]) -> list[str]:
        """Node files: read which keys the graph holds already, CREATE the new nodes, MERGE
        only the changed ones. Relationship files go to their MERGE statements whole: reading
        them first cost more than it saved (measured, see bench/ingest.py)."""
        params = [row_params(spec, g) for g in rows]
        if spec.name not in st.NEW:
            return self._merge(spec, rows, params, list(range(len(rows))))
        stored = self._stored(spec, params)
        new = [i for i in range(len(rows)) if i not in stored]
        changed = [i for i, h in stored.items() if h != params[i]["hash"]]
        created: list[str] = []
        if new:
            try:
                created = self._run(st.NEW[spec.name], [params[i] for i in new])
            except ConstraintError:  # a key written since the read: MERGE takes care of it
                changed += new
        return created + self._merge(spec, rows, params, sorted(changed))

    def _stored(self, spec: FileSpec, params: list[dict[str, Any]]) -> dict[int, str | None]:
        """Batch index -> stored row_hash, for the keys the graph already holds."""
        keys = [{"i": i, "key": p["key"]} for i, p in enumerate(params)]
        found = read(st.STORED[spec.name], {"rows": keys}, driver=self.driver)
        return {r["i"]: r["hash"] for r in found}

    def _merge(
        self, spec: FileSpec, rows: list[Good], params: list[dict[str, Any]], which: list[int]
    ) -> list[str]:
        if not which:
            return []
        if spec.name not in _BY_VALUE:
            return self._run(_STATEMENTS[spec.name], [params[i] for i in which])
        column, by_value = _BY_VALUE[spec.name]
        groups: dict[str, list[dict[str, Any]]] = {}
        for i in which:
            groups.setdefault(getattr(rows[i].row, column), []).append(params[i])
        return [k for value, group in groups.items() for k in self._run(by_value[value], group)]

    def _run(self, statement: LiteralString, rows: list[dict[str, Any]]) -> list[str]:
        out = write(statement, {"rows": rows}, driver=self.driver, timeout_s=WRITE_TIMEOUT_S)
        return list(out[0]["changed"]) if out else []


def load_delivery(
    delivery: Path, driver: Driver, batch_size: int = BATCH, progress: Progress | None = None
) -> LoadSummary:
    """Validate and load a delivery into the graph; rejects go to `delivery/rejects/`."""
    apply_pending(driver)  # MERGE on keys needs the uniqueness constraints behind it
    summary = Loader(CypherSink(driver), batch_size, progress, WRITERS).load(delivery)
    refresh_after_load(changes_of(summary), driver)
    return raise_alerts(summary, driver)
