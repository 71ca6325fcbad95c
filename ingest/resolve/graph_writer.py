"""Write identities back to the graph, touching only records whose link changed.

Each record has exactly one `RESOLVES_TO {method, probability, model_version}` to its Identity.
A record is rewritten when its identity, method or model version differs from what the graph
holds. Identity sizes come from the clustering (no counting queries); identities left with no
record are deleted. Re-running on unchanged data writes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, LiteralString

import pandas as pd
from neo4j import Driver

from graph.driver import write_chunked

log = logging.getLogger(__name__)

BATCH = 20_000
WRITE_TIMEOUT_S = 600.0

# New identities first (with their final record counts), so relinking is a MATCH, not a MERGE.
_IDENTITIES = """
UNWIND $rows AS row
MERGE (i:Identity {identity_id: row.id})
SET i.record_count = row.n
"""

_RELINK = """
UNWIND $rows AS row
MATCH (p:Person {person_key: row.key}), (i:Identity {identity_id: row.id})
OPTIONAL MATCH (p)-[old:RESOLVES_TO]->(:Identity)
DELETE old
WITH DISTINCT p, i, row
CREATE (p)-[:RESOLVES_TO {method: row.method, probability: row.prob,
                          model_version: row.version}]->(i)
"""

_PRUNE = """
UNWIND $ids AS id
MATCH (i:Identity {identity_id: id})
WHERE NOT EXISTS { (:Person)-[:RESOLVES_TO]->(i) }
DETACH DELETE i
"""


@dataclass(frozen=True)
class WriteSummary:
    relinked: int
    identities_touched: int


def changes(assigned: pd.DataFrame, current: pd.DataFrame, model_version: str) -> pd.DataFrame:
    """Rows of `assigned` (unique_id, identity_id, method, probability) that differ from
    `current` (unique_id, identity_id, method, model_version) as the graph holds it."""
    now = current.rename(
        columns={c: f"{c}_now" for c in ("identity_id", "method", "model_version")}
    )
    merged = assigned.merge(now, on="unique_id", how="left")
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


def write_identities(driver: Driver, changed: pd.DataFrame, sizes: pd.Series) -> WriteSummary:
    """Relink the changed records in batches; set the record counts (`sizes`: identity_id ->
    records, from the clustering) of the identities they join; delete identities left empty."""
    new_ids = sorted(set(changed["identity_id"]))
    old_ids = sorted({i for i in changed["old_identity_id"] if isinstance(i, str)} - set(new_ids))
    counted = [{"id": i, "n": int(sizes[i])} for i in new_ids]
    kept = [{"id": i, "n": int(sizes[i])} for i in old_ids if i in sizes.index]
    _batched(driver, _IDENTITIES, counted + kept)
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
    _batched(driver, _RELINK, rows)
    gone = [i for i in old_ids if i not in sizes.index]
    write_chunked(_PRUNE, "ids", gone, size=BATCH, driver=driver, timeout_s=WRITE_TIMEOUT_S)
    return WriteSummary(len(rows), len(new_ids) + len(old_ids))


def _batched(driver: Driver, statement: LiteralString, rows: list[dict[str, Any]]) -> None:
    write_chunked(statement, "rows", rows, size=BATCH, driver=driver, timeout_s=WRITE_TIMEOUT_S)
    log.info("%d rows written", len(rows))
