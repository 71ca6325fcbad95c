"""Write identities back to the graph, touching only records whose link changed.

Each record has exactly one `RESOLVES_TO {method, probability, model_version}` to its Identity.
A record is rewritten when its identity, method or model version differs from what the graph
holds. Identity sizes come from the clustering (no counting queries); identities left with no
record are deleted. Re-running on unchanged data writes nothing.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

import pandas as pd
from neo4j import Driver

from graph.driver import write, write_chunked

log = logging.getLogger(__name__)

BATCH = 20_000  # records per write transaction
WRITERS = 2  # write transactions side by side (a lock wait is retried by the driver)
WRITE_TIMEOUT_S = 600.0

# One statement per batch of identities: set each identity's record count (creating it if
# new), restamp the changed records already on it (a cluster keeps its least record's
# identity, so that record only changes method and probability), move the others onto it,
# and delete the identities those records left if nothing resolves to them any more (on a
# first resolve, each joining record's own initial identity), so there is no separate pruning
# pass over a million left identities.
_RELINK = """
UNWIND $groups AS g
MERGE (i:Identity {identity_id: g.id})
SET i.record_count = g.n
WITH i, g
CALL (i, g) {
  UNWIND g.stay AS row
  MATCH (:Person {person_key: row.key})-[r:RESOLVES_TO]->(i)
  SET r.method = row.method, r.probability = row.prob, r.model_version = row.version
}
WITH i, g
UNWIND g.rows AS row
MATCH (p:Person {person_key: row.key})
CALL (p) {
  OPTIONAL MATCH (p)-[old:RESOLVES_TO]->(was:Identity)
  DELETE old
  RETURN collect(was) AS left
}
CREATE (p)-[:RESOLVES_TO {method: row.method, probability: row.prob,
                          model_version: row.version}]->(i)
WITH left
UNWIND left AS was
WITH DISTINCT was
WHERE NOT EXISTS { (was)<-[:RESOLVES_TO]-(:Person) }
DETACH DELETE was
"""

# Shared identities left empty that no batch saw empty (two batches side by side each still
# saw the other's record on it).
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
    """Relink the changed records, grouped by the identity they join, in batches; set the
    record counts (`sizes`: identity_id -> records, from the clustering) of the identities they
    join or leave; delete identities left empty."""
    frame = pd.DataFrame(
        {
            "key": changed["unique_id"].to_numpy(),
            "id": changed["identity_id"].to_numpy(),
            "method": changed["method"].to_numpy(),
            "prob": changed["probability"].astype(float).to_numpy(),
            "version": changed["model_version"].to_numpy(),
            "stays": (changed["identity_id"] == changed["old_identity_id"]).to_numpy(),
        }
    ).sort_values(["id", "key"], kind="stable")
    frame = frame.astype(object).where(frame.notna(), None)  # NaN is no value
    size = sizes.to_dict()
    joined = set(frame["id"])
    left = changed["old_identity_id"].dropna().value_counts().to_dict()
    old_ids = sorted(set(left) - joined)

    def groups() -> Iterator[dict[str, Any]]:
        """Each identity joined, with its records, in id order; then those only left. Made a
        batch at a time as the writers take them: a national run relinks a million records."""
        rows = frame.itertuples(index=False, name=None)
        for i, members in groupby(rows, key=itemgetter(1)):
            g: dict[str, Any] = {"id": i, "n": int(size[i]), "stay": [], "rows": []}
            for key, _, method, prob, version, stays in members:
                g["stay" if stays else "rows"].append(
                    {"key": key, "method": method, "prob": prob, "version": version}
                )
            yield g
        for i in old_ids:
            if i in size:
                yield {"id": i, "n": int(size[i]), "stay": [], "rows": []}

    with ThreadPoolExecutor(WRITERS) as pool:  # batches join disjoint identities
        pending: deque[Future[None]] = deque()
        for batch in _batches(groups()):
            if len(pending) > WRITERS:
                pending.popleft().result()
            pending.append(pool.submit(_relink, driver, batch))
        for f in pending:
            f.result()
    moved = int((~frame["stays"].astype(bool)).sum())
    log.info("%d records relinked into %d identities (%d moved)", len(frame), len(joined), moved)
    # An identity that held one record was deleted by the batch that moved it; one that held
    # several, emptied by two batches side by side, may be left.
    gone = [i for i in old_ids if i not in size and left[i] > 1]
    write_chunked(_PRUNE, "ids", gone, size=BATCH, driver=driver, timeout_s=WRITE_TIMEOUT_S)
    return WriteSummary(len(frame), len(joined) + len(old_ids))


def _relink(driver: Driver, groups: list[dict[str, Any]]) -> None:
    write(_RELINK, {"groups": groups}, driver=driver, timeout_s=WRITE_TIMEOUT_S)


def _batches(groups: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Whole groups, about BATCH records (or empty groups) a batch."""
    batch: list[dict[str, Any]] = []
    size = 0
    for g in groups:
        batch.append(g)
        size += max(len(g["rows"]) + len(g["stay"]), 1)
        if size >= BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch
