"""The bulk path: a first national load into an empty database with `neo4j-admin import`.

The delivery goes through the same validation, reference checks and rejects as the
transactional path; the good rows are written as the importer's CSV files instead of MERGEd,
with the same properties and relationships, so both paths build the same graph.
"""

from __future__ import annotations

import csv
import re
import shutil
import time
from datetime import date
from itertools import compress
from pathlib import Path
from typing import IO, Any

import numpy as np

from graph.driver import close_driver, make_driver, read
from graph.errors import SerialwatchError
from graph.facts import refresh_all
from graph.schema import apply_pending
from graph.server import LocalServer
from graph.settings import Settings, get_settings
from ingest.alerting import raise_alerts
from ingest.digests import DigestSet, digests
from ingest.files import FileSpec
from ingest.load import BATCH, Loader, LoadSummary, Progress, row_params
from ingest.reading import Good
from ingest.statements import PARTY_TYPES, RELATIONSHIP_TYPES

_BOOLEANS = {"is_police", "da_related", "is_notice", "qualifying"}
_LISTS = {"aliases"}


class BulkRefused(SerialwatchError):
    """The bulk path cannot run here (the database is not empty, or the import failed)."""


def _typed(column: str) -> str:
    if column in _BOOLEANS:
        return f"{column}:boolean"
    if column in _LISTS:
        return f"{column}:string[]"
    if column.endswith("_date") or column == "date_of_birth":
        return f"{column}:date"
    if column == "record_count":
        return f"{column}:int"
    return column


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


class _Csv:
    """One importer input file with a fixed header; rows are dicts of properties."""

    def __init__(self, path: Path, ids: list[str], props: list[str]) -> None:
        self.path, self.props = path, props
        self._fh: IO[str] = open(path, "w", encoding="utf-8", newline="")
        self._w = csv.writer(self._fh)
        self._w.writerow(ids + [_typed(p) for p in props])
        self.multiline = False  # whether some value holds a line break

    def add(self, ids: list[str], props: dict[str, Any]) -> None:
        cells = ids + [_cell(props.get(p)) for p in self.props]
        if not self.multiline:
            text = "".join(cells)
            self.multiline = "\n" in text or "\r" in text
        self._w.writerow(cells)

    def close(self) -> None:
        self._fh.close()


class ImportSink:
    """Writes good rows as `neo4j-admin database import` CSV files in `folder`."""

    def __init__(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        self.folder = folder
        self.nodes: dict[str, _Csv] = {}
        self.rels: dict[str, tuple[_Csv, str | None]] = {}
        # Rows that name no agency inherit it from the record they refer to, so each person's,
        # incident's and order's agency is held: as a digest of its key with the agency's
        # index (ingest.digests), a national delivery holding millions of them.
        self.agencies: list[str] = []
        self._agency_index: dict[str, int] = {}
        self.agency_of = {kind: DigestSet() for kind in ("person", "incident", "order")}
        self.address_agencies = DigestSet()  # (address, agency) pairs with a SUPPLIED_BY

    def lookup(self, kind: str, keys: set[str]) -> set[str]:
        return set()  # the database is empty: only this delivery's keys exist

    def write(self, spec: FileSpec, rows: list[Good]) -> int:
        params = [row_params(spec, good) for good in rows]
        inherited = self._inherited_agencies(spec, params)
        for good, p, agency in zip(rows, params, inherited, strict=True):
            if agency and "props" in p:  # a row that names no agency is its referent's
                p["props"].setdefault("agency_code", agency)
            self._row(spec, good, p, agency)
        self._record_agencies(spec, params)
        self._addresses_used(spec, params)
        return len(rows)

    # -- agencies ---------------------------------------------------------------------------
    def _inherited_agencies(self, spec: FileSpec, params: list[dict[str, Any]]) -> list[str]:
        """For each row, the agency of the record it inherits one from ("" for none)."""
        if spec.name not in _INHERITS:
            return [""] * len(params)
        kind, column = _INHERITS[spec.name]
        found, index = self.agency_of[kind].find(digests(p[column] for p in params))
        if not found.all():  # the loader checks references before rows reach a sink
            raise RuntimeError(f"{spec.name}: a {column} reached the bulk sink unchecked")
        return [self.agencies[i] for i in index.tolist()]

    def _agency(self, code: str) -> int:
        if code not in self._agency_index:
            self._agency_index[code] = len(self.agencies)
            self.agencies.append(code)
        return self._agency_index[code]

    def _record_agencies(self, spec: FileSpec, params: list[dict[str, Any]]) -> None:
        """Hold the agency of each person, incident and order written."""
        if spec.name not in _HOLDS_AGENCY:
            return
        codes = [self._agency(_agency_code(p)) for p in params]
        self.agency_of[_HOLDS_AGENCY[spec.name]].add(
            digests(p["key"] for p in params), np.array(codes, dtype=np.uint32)
        )

    def _addresses_used(self, spec: FileSpec, params: list[dict[str, Any]]) -> None:
        """An agency's incident or residence at an address: the address is supplied by it."""
        if spec.name not in ("incidents.csv", "residences.csv"):
            return
        pairs = [(p["address_key"], _agency_code(p)) for p in params if p.get("address_key")]
        new = self.address_agencies.add(digests(f"{a}\x1f{agency}" for a, agency in pairs))
        for address, agency in compress(pairs, new):
            self._supplied_by("Address", address, agency)

    # -- files ------------------------------------------------------------------------------
    def _node_file(self, label: str, key: str, props: list[str]) -> _Csv:
        if label not in self.nodes:
            self.nodes[label] = _Csv(
                self.folder / f"nodes_{label}.csv", [f"{key}:ID({label})"], props
            )
        return self.nodes[label]

    def _rel(self, name: str, start: str, end: str, props: list[str], rel_type: str | None) -> _Csv:
        """The file for one relationship type, or (rel_type None) one with a :TYPE column."""
        if name not in self.rels:
            ids = [f":START_ID({start})", f":END_ID({end})"] + ([] if rel_type else [":TYPE"])
            self.rels[name] = (_Csv(self.folder / f"rels_{name}.csv", ids, props), rel_type)
        return self.rels[name][0]

    def _supplied_by(self, label: str, key: str, agency: str) -> None:
        self._rel(f"SUPPLIED_BY_{label}", label, "Agency", [], "SUPPLIED_BY").add([key, agency], {})

    # -- rows -------------------------------------------------------------------------------
    def _row(self, spec: FileSpec, good: Good, p: dict[str, Any], inherited: str) -> None:
        """Write one row; `inherited` is the agency of the record it refers to."""
        name = spec.name
        if spec.label is not None and spec.key is not None:
            label = spec.label
            props = dict(p["props"])
            props.pop(spec.key, None)
            key = p["key"]
            if name == "orders.csv":
                self._rel("SUBJECT_OF", "Person", "Order", [], "SUBJECT_OF").add(
                    [p["subject_key"], key], {}
                )
            elif name == "breaches.csv":
                self._rel("BREACH_OF", "Breach", "Order", [], "BREACH_OF").add(
                    [key, p["order_key"]], {}
                )
            elif name == "notifications.csv":
                self._rel("NOTIFIED", "Person", "Notification", [], "NOTIFIED").add(
                    [p["person_key"], key], {}
                )
            elif name == "persons.csv":
                identity = "ID:" + key
                self._node_file("Identity", "identity_id", ["record_count"]).add(
                    [identity], {"record_count": 1}
                )
                self._rel("RESOLVES_TO", "Person", "Identity", ["method"], "RESOLVES_TO").add(
                    [key, identity], {"method": "initial"}
                )
            elif name == "incidents.csv":
                if p.get("address_key"):
                    self._rel("OCCURRED_AT", "Incident", "Address", [], "OCCURRED_AT").add(
                        [key, p["address_key"]], {}
                    )
            self._node_file(label, spec.key, _columns(spec, good)).add([key], props)
            if label not in ("Agency", "Address"):
                self._supplied_by(label, key, props["agency_code"])
        elif name == "incident_parties.csv":
            self._rel("PARTIES", "Person", "Incident", ["agency_code"], None).add(
                [p["person_key"], p["incident_key"], PARTY_TYPES[good.row.role]],  # type: ignore[attr-defined]
                {"agency_code": inherited},
            )
        elif name == "order_protected.csv":
            self._rel("PROTECTS", "Order", "Person", ["agency_code"], "PROTECTS").add(
                [p["order_key"], p["person_key"]],
                {"agency_code": inherited},
            )
        elif name == "residences.csv":
            self._rel("RESIDED_AT", "Person", "Address", _REL_PROPS, "RESIDED_AT").add(
                [p["person_key"], p["address_key"]], p["props"]
            )
        elif name == "relationships.csv":
            self._rel("RELATIONSHIPS", "Person", "Person", _REL_PROPS, None).add(
                [p["person_key"], p["other_key"], RELATIONSHIP_TYPES[good.row.type]],  # type: ignore[attr-defined]
                p["props"],
            )

    def finish(self) -> list[str]:
        """Close every file; return the importer's --nodes and --relationships arguments, with
        --multiline-fields when a value holds a line break: the importer then reads each file
        on one thread (at 100,000 people its 1.4 million entities took 12.6-13.9 s so, against
        9.9-11.5 s without)."""
        args = []
        files = [*self.nodes.values(), *(f for f, _ in self.rels.values())]
        if any(f.multiline for f in files):
            args.append("--multiline-fields=true")
        for label, f in self.nodes.items():
            f.close()
            args.append(f"--nodes={label}={f.path}")
        for f, rel_type in self.rels.values():
            f.close()
            args.append(
                f"--relationships={rel_type}={f.path}" if rel_type else f"--relationships={f.path}"
            )
        return args


_REL_PROPS = ["from_date", "to_date", "agency_code", "row_key", "row_hash"]

# Files whose rows may name no agency (or never do), and the record whose agency they take.
_INHERITS = {
    "orders.csv": ("person", "subject_key"),
    "breaches.csv": ("order", "order_key"),
    "notifications.csv": ("person", "person_key"),
    "incident_parties.csv": ("incident", "incident_key"),
    "order_protected.csv": ("order", "order_key"),
    "residences.csv": ("person", "person_key"),
    "relationships.csv": ("person", "person_key"),
}
# Files whose records' agencies later rows inherit.
_HOLDS_AGENCY = {"persons.csv": "person", "incidents.csv": "incident", "orders.csv": "order"}


def _agency_code(params: dict[str, Any]) -> str:
    """A row's agency, its own or the one it inherited (`ImportSink.write`)."""
    return str(params["props"]["agency_code"])


def _columns(spec: FileSpec, good: Good) -> list[str]:
    """Every property a node of this file can have, for a fixed importer header."""
    derived = {
        "agencies.csv": ["is_police"],
        "persons.csv": ["full_name", "alias_text"],
        "incidents.csv": ["event_date", "da_related"],
        "orders.csv": ["is_notice", "qualifying"],
    }.get(spec.name, [])
    refs_only = {col for col, _ in spec.refs if col != "agency_code"}
    base = [c for c in spec.columns if c not in refs_only and c != spec.key]
    if "agency_code" not in base and spec.name in (
        "breaches.csv",
        "notifications.csv",
        "orders.csv",
    ):
        base.append("agency_code")
    return base + derived + sorted(good.extra) + ["row_hash"]


def bulk_load(
    delivery: Path,
    settings: Settings | None = None,
    batch_size: int = BATCH,
    progress: Progress | None = None,
    alerts: bool = True,
) -> LoadSummary:
    """Validate `delivery`, import it into the empty local database, restart, migrate, and
    (unless `alerts` is off, as benchmarks of later deliveries want) evaluate the alert rules."""
    settings = settings or get_settings()
    server = LocalServer(settings)
    dist = server.start()
    _require_empty(settings)
    folder = settings.server_home / "import" / "bulk"
    sink = ImportSink(folder)
    summary = Loader(sink, batch_size, progress).load(delivery)
    inputs = sink.finish()
    server.stop()
    began = time.monotonic()
    proc = server.admin(
        dist,
        "database",
        "import",
        "full",
        settings.database,
        "--overwrite-destination",
        "--ignore-empty-strings=true",
        "--array-delimiter=;",
        f"--report-file={folder / 'import.report'}",
        *inputs,
    )
    summary.import_seconds = time.monotonic() - began
    summary.imported_entities = sum(
        int(n) for n in re.findall(r"^\s*(\d+) (?:nodes|relationships)$", proc.stdout, re.M)
    )
    server.start()
    if proc.returncode != 0:
        raise BulkRefused(f"neo4j-admin import failed: {_import_error(proc.stdout + proc.stderr)}")
    # The store was replaced: the process's driver holds bookmarks from the old one.
    close_driver()
    driver = make_driver(settings)
    try:
        apply_pending(driver)
        refresh_all(driver)
        if alerts:
            raise_alerts(summary, driver, baseline=True)  # into an empty database
    finally:
        driver.close()
    shutil.rmtree(folder, ignore_errors=True)
    return summary


def _require_empty(settings: Settings) -> None:
    driver = make_driver(settings)
    try:
        rows = read(
            "MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) > 0 AS any", driver=driver
        )
    finally:
        driver.close()
    if rows[0]["any"]:
        raise BulkRefused(
            "the bulk path loads into an empty database only: run `serialwatch db reset --yes` "
            "first, or load without --bulk"
        )


def _import_error(text: str) -> str:
    """The line of the importer's output that says what went wrong (not a stack frame)."""
    lines = [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.strip().startswith("at ")
    ]
    for line in lines:
        if "Exception" in line or "Error" in line or "doesn't exist" in line:
            return line[:300]
    return lines[-1][:300] if lines else "no output"
