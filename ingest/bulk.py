"""The bulk path: a first national load into an empty database with `neo4j-admin import`.

The delivery goes through the same validation, reference checks and rejects as the
transactional path; the good rows are written as the importer's CSV files instead of MERGEd,
with the same properties and relationships, so both paths build the same graph.
"""

from __future__ import annotations

import csv
import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import IO, Any

from graph.driver import close_driver, make_driver, read
from graph.errors import SerialwatchError
from graph.facts import refresh_all
from graph.schema import apply_pending
from graph.server import LocalServer
from graph.settings import Settings, get_settings
from ingest.alerting import raise_alerts
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

    def add(self, ids: list[str], props: dict[str, Any]) -> None:
        self._w.writerow(ids + [_cell(props.get(p)) for p in self.props])

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
        # A national delivery's millions of records name a hundred agencies: each code and
        # each address's set of agencies is held once (sys.intern, _shared).
        self.agency_of: dict[str, dict[str, str]] = {"person": {}, "incident": {}, "order": {}}
        self.address_agencies: dict[str, frozenset[str]] = {}
        self._sets: dict[frozenset[str], frozenset[str]] = {}

    def lookup(self, kind: str, keys: set[str]) -> set[str]:
        return set()  # the database is empty: only this delivery's keys exist

    def write(self, spec: FileSpec, rows: list[Good]) -> int:
        for good in rows:
            self._row(spec, good, row_params(spec, good))
        return len(rows)

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

    def _address_used(self, address: str, agency: str) -> None:
        """An agency's incident or residence at an address: the address is supplied by it."""
        held = self.address_agencies.get(address, frozenset())
        if agency not in held:
            both = held | {agency}
            self.address_agencies[address] = self._sets.setdefault(both, both)
            self._supplied_by("Address", address, agency)

    # -- rows -------------------------------------------------------------------------------
    def _row(self, spec: FileSpec, good: Good, p: dict[str, Any]) -> None:
        name = spec.name
        if spec.label is not None and spec.key is not None:
            label = spec.label
            props = dict(p["props"], row_hash=p["hash"])
            props.pop(spec.key, None)
            key = p["key"]
            if name == "orders.csv":
                props.setdefault("agency_code", self.agency_of["person"][p["subject_key"]])
                self.agency_of["order"][key] = sys.intern(props["agency_code"])
                self._rel("SUBJECT_OF", "Person", "Order", [], "SUBJECT_OF").add(
                    [p["subject_key"], key], {}
                )
            elif name == "breaches.csv":
                props.setdefault("agency_code", self.agency_of["order"][p["order_key"]])
                self._rel("BREACH_OF", "Breach", "Order", [], "BREACH_OF").add(
                    [key, p["order_key"]], {}
                )
            elif name == "notifications.csv":
                props.setdefault("agency_code", self.agency_of["person"][p["person_key"]])
                self._rel("NOTIFIED", "Person", "Notification", [], "NOTIFIED").add(
                    [p["person_key"], key], {}
                )
            elif name == "persons.csv":
                self.agency_of["person"][key] = sys.intern(props["agency_code"])
                identity = "ID:" + key
                self._node_file("Identity", "identity_id", ["record_count"]).add(
                    [identity], {"record_count": 1}
                )
                self._rel("RESOLVES_TO", "Person", "Identity", ["method"], "RESOLVES_TO").add(
                    [key, identity], {"method": "initial"}
                )
            elif name == "incidents.csv":
                self.agency_of["incident"][key] = sys.intern(props["agency_code"])
                if p.get("address_key"):
                    self._rel("OCCURRED_AT", "Incident", "Address", [], "OCCURRED_AT").add(
                        [key, p["address_key"]], {}
                    )
                    self._address_used(p["address_key"], props["agency_code"])
            self._node_file(label, spec.key, _columns(spec, good)).add([key], props)
            if label not in ("Agency", "Address"):
                self._supplied_by(label, key, props["agency_code"])
        elif name == "incident_parties.csv":
            agency = self.agency_of["incident"][p["incident_key"]]
            self._rel("PARTIES", "Person", "Incident", ["agency_code"], None).add(
                [p["person_key"], p["incident_key"], PARTY_TYPES[good.row.role]],  # type: ignore[attr-defined]
                {"agency_code": agency},
            )
        elif name == "order_protected.csv":
            self._rel("PROTECTS", "Order", "Person", ["agency_code"], "PROTECTS").add(
                [p["order_key"], p["person_key"]],
                {"agency_code": self.agency_of["order"][p["order_key"]]},
            )
        elif name == "residences.csv":
            props = dict(p["props"], row_key=p["key"], row_hash=p["hash"])
            props.setdefault("agency_code", self.agency_of["person"][p["person_key"]])
            self._rel("RESIDED_AT", "Person", "Address", _REL_PROPS, "RESIDED_AT").add(
                [p["person_key"], p["address_key"]], props
            )
            self._address_used(p["address_key"], props["agency_code"])
        elif name == "relationships.csv":
            props = dict(p["props"], row_key=p["key"], row_hash=p["hash"])
            props.setdefault("agency_code", self.agency_of["person"][p["person_key"]])
            self._rel("RELATIONSHIPS", "Person", "Person", _REL_PROPS, None).add(
                [p["person_key"], p["other_key"], RELATIONSHIP_TYPES[good.row.type]],  # type: ignore[attr-defined]
                props,
            )

    def finish(self) -> list[str]:
        """Close every file; return the importer's --nodes and --relationships arguments."""
        args = []
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
        "--multiline-fields=true",
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
            raise_alerts(summary, driver)
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
