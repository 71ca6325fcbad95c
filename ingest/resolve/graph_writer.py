"""Write identities back to the graph, touching only records whose link changed.

Each record has exactly one `RESOLVES_TO {method, probability, model_version}` to its Identity.
A record is rewritten when its identity, method or model version differs from what the graph
holds; afterwards every identity that gained or lost a record gets its `record_count` again, and
identities left with no record are deleted. Re-running on unchanged data writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import pandas as pd
from neo4j import Driver

from graph.driver import write

log = logging.getLogger(__name__)

BATCH = 10_000
WRITE_TIMEOUT_S = 600.0

_RELINK = """
UNWIND $rows AS row
MATCH (p:Person {person_key: row.key})
OPTIONAL MATCH (p)-[old:RESOLVES_TO]->(:Identity)
DELETE old
WITH DISTINCT p, row
MERGE (i:Identity {identity_id: row.id})
CREATE (p)-[:RESOLVES_TO {method: row.method, probability: row.prob,
                          model_version: row.version}]->(i)
"""

_RECOUNT = """
UNWIND $ids AS id
MATCH (i:Identity {identity_id: id})
WITH i, COUNT { (:Person)-[:RESOLVES_TO]->(i) } AS n
SET i.record_count = n
WITH i WHERE i.record_count = 0
DETACH DELETE i
"""


@dataclass(frozen=True)
class WriteSummary:
    relinked: int
    identities_touched: int


def changes(assigned: pd.DataFrame, current: pd.DataFrame, model_version: str) -> pd.DataFrame:
    """Rows of `assigned` (unique_id, identity_id, method, probability) that differ from
    `current` (unique_id, identity_id, method, model_version) as the graph holds it."""
    merged = assigned.merge(current, on="unique_id", how="left", suffixes=("", "_now"))
    version = merged["method"].map(lambda m: None if m == "initial" else model_version)
    differs = (
        (merged["identity_id"] != merged["identity_id_now"])
        | (merged["method"] != merged["method_now"])
        | (version.fillna("") != merged["model_version_now"].fillna(""))
    )
    out = merged.loc[differs, ["unique_id", "identity_id", "method", "probability"]].copy()
    out["old_identity_id"] = merged.loc[differs, "identity_id_now"]
    out["model_version"] = version[differs]
    return out


def write_identities(driver: Driver, changed: pd.DataFrame) -> WriteSummary:
    """Relink the changed records in batches, then recount and prune the touched identities."""
    rows: list[dict[str, Any]] = [
        {
            "key": k,
            "id": i,
            "method": m,
            "prob": None if p is None or pd.isna(p) else float(p),
            "version": v,
        }
        for k, i, m, p, v in zip(
            changed["unique_id"],
            changed["identity_id"],
            changed["method"],
            changed["probability"],
            changed["model_version"],
            strict=True,
        )
    ]
    for start in range(0, len(rows), BATCH):
        write(
            _RELINK, {"rows": rows[start : start + BATCH]}, driver=driver, timeout_s=WRITE_TIMEOUT_S
        )
        log.info("relinked %d of %d records", min(start + BATCH, len(rows)), len(rows))
    touched = sorted(
        set(changed["identity_id"]) | {i for i in changed["old_identity_id"] if isinstance(i, str)}
    )
    for start in range(0, len(touched), BATCH):
        write(
            _RECOUNT,
            {"ids": touched[start : start + BATCH]},
            driver=driver,
            timeout_s=WRITE_TIMEOUT_S,
        )
    return WriteSummary(len(rows), len(touched))
