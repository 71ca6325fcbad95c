"""Apply the schema migrations in order and record each in the graph.

A migration is a `.cypher` file of `;`-separated schema statements. It is applied once: a
`(:SchemaMigration {id, checksum, applied_at})` node marks it, and a file edited after it was
applied is refused rather than silently re-run. Statements use `IF NOT EXISTS`, so a
migration interrupted halfway is safe to apply again.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, LiteralString, cast

from neo4j import Driver

from graph.driver import get_driver, read, write
from graph.errors import MigrationError

# Migrations after which the stored facts (graph/facts.py) must be recomputed on an upgrade.
FACT_MIGRATIONS = frozenset(
    {"0006_identity_facts", "0011_query_facts", "0012_victim_facts", "0014_order_facts",
     "0015_notification_facts"}
)  # fmt: skip
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.cypher$")


@dataclass(frozen=True)
class Migration:
    id: str
    statements: tuple[str, ...]
    checksum: str


def available() -> list[Migration]:
    """Every migration shipped with the package, in order."""
    found = []
    for entry in resources.files("graph.schema").iterdir():
        if not _NAME.match(entry.name):
            continue
        text = entry.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
        statements = tuple(s.strip() for s in body.split(";") if s.strip())
        checksum = hashlib.sha256(text.encode()).hexdigest()[:16]
        found.append(Migration(entry.name.removesuffix(".cypher"), statements, checksum))
    return sorted(found, key=lambda m: m.id)


def applied(driver: Driver | None = None) -> dict[str, dict[str, Any]]:
    """The migrations recorded in the graph, by id."""
    rows = read(
        "MATCH (m:SchemaMigration) RETURN m.id AS id, m.checksum AS checksum, "
        "toString(m.applied_at) AS applied_at ORDER BY m.id",
        driver=driver,
    )
    return {r["id"]: r for r in rows}


def apply_pending(driver: Driver | None = None) -> list[str]:
    """Apply the migrations not yet recorded; return the ids applied now."""
    drv = driver or get_driver()
    done = applied(drv)
    now = []
    for m in available():
        if m.id in done:
            if done[m.id]["checksum"] != m.checksum:
                raise MigrationError(
                    f"migration {m.id} was edited after it was applied; add a new migration instead"
                )
            continue
        for statement in m.statements:
            try:
                # Schema statements come from the package's own files, never from input.
                write(cast(LiteralString, statement), driver=drv)
            except Exception as e:
                raise MigrationError(f"migration {m.id} failed: {e}") from e
        write(
            "MERGE (m:SchemaMigration {id: $id}) "
            "ON CREATE SET m.checksum = $checksum, m.applied_at = datetime()",
            {"id": m.id, "checksum": m.checksum},
            driver=drv,
        )
        now.append(m.id)
    if FACT_MIGRATIONS & set(now) and now[0] != available()[0].id:
        # An upgraded graph gets the facts its data implies (a new store gets them from
        # whatever loads it).
        from graph.facts import refresh_all

        refresh_all(drv)
    return now
