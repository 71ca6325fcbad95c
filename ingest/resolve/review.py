"""The review queue, kept in the graph so the CLI, the API and the UI share one queue.

    (:ReviewPair {pair_id, key_l, key_r, probability, match_weight, model_version, status,
                  decision, decided_by, decided_at})-[:ABOUT]->(:Person)   (twice)

A pair enters as `pending` when the model scores it in the review band and the two records end
in different identities. A decision (`same` / `not_same`, who, when) makes it `decided`; decided
pairs are never removed or rescored, and every run applies them before writing identities.
Pending pairs the latest run no longer proposes are dropped.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
from neo4j import Driver

from graph.driver import read, write
from graph.errors import SerialwatchError
from ingest.resolve.cluster import NOT_SAME, SAME, Decision

BATCH = 5_000
DECISIONS = {"same": SAME, "not-same": NOT_SAME, "not_same": NOT_SAME}


class ReviewError(SerialwatchError):
    """A review command named a pair or decision that does not exist."""


def pair_id(key_a: str, key_b: str) -> str:
    """Deterministic, so a re-run finds the same pair again: `RP-` + 12 hex digits."""
    lo, hi = sorted((key_a, key_b))
    return "RP-" + hashlib.sha256(f"{lo}\x1f{hi}".encode()).hexdigest()[:12]


def decisions(driver: Driver) -> list[Decision]:
    rows = read(
        "MATCH (r:ReviewPair {status: 'decided'}) "
        "RETURN r.key_l AS l, r.key_r AS r, r.decision AS d",
        driver=driver,
    )
    return [Decision(x["l"], x["r"], x["d"]) for x in rows]


def sync_queue(driver: Driver, band: pd.DataFrame, model_version: str) -> int:
    """Make the pending queue exactly `band` (unique_id_l, unique_id_r, match_probability,
    match_weight), leaving decided pairs alone; return the pending count."""
    rows = []
    for a, b, p, w in zip(
        band["unique_id_l"],
        band["unique_id_r"],
        band["match_probability"],
        band["match_weight"],
        strict=True,
    ):
        lo, hi = sorted((a, b))
        rows.append({"id": pair_id(lo, hi), "l": lo, "r": hi, "p": float(p), "w": float(w)})
    keep = [r["id"] for r in rows]
    write(
        "MATCH (r:ReviewPair {status: 'pending'}) WHERE NOT r.pair_id IN $keep DETACH DELETE r",
        {"keep": keep},
        driver=driver,
    )
    for start in range(0, len(rows), BATCH):
        write(
            """
            UNWIND $rows AS row
            MERGE (r:ReviewPair {pair_id: row.id})
            ON CREATE SET r.key_l = row.l, r.key_r = row.r, r.status = 'pending',
                          r.created_at = datetime()
            WITH r, row WHERE r.status = 'pending'
            SET r.probability = row.p, r.match_weight = row.w, r.model_version = $version
            WITH r, row
            MATCH (pl:Person {person_key: row.l}), (pr:Person {person_key: row.r})
            MERGE (r)-[:ABOUT]->(pl)
            MERGE (r)-[:ABOUT]->(pr)
            """,
            {"rows": rows[start : start + BATCH], "version": model_version},
            driver=driver,
        )
    return pending_count(driver)


def pending_count(driver: Driver) -> int:
    rows = read("MATCH (r:ReviewPair {status: 'pending'}) RETURN count(r) AS n", driver=driver)
    return int(rows[0]["n"])


def pending(driver: Driver, limit: int = 20) -> list[dict[str, Any]]:
    """The most likely pending pairs first, with both records' identifying fields."""
    return read(
        """
        MATCH (r:ReviewPair {status: 'pending'})
        WITH r ORDER BY r.probability DESC, r.pair_id LIMIT $limit
        MATCH (l:Person {person_key: r.key_l}), (rr:Person {person_key: r.key_r})
        RETURN r.pair_id AS pair_id, r.probability AS probability,
               r.match_weight AS match_weight, r.model_version AS model_version,
               l {.person_key, .agency_code, .forename, .surname, .date_of_birth, .pnc_id} AS left,
               rr {.person_key, .agency_code, .forename, .surname, .date_of_birth, .pnc_id}
                 AS right
        """,
        {"limit": limit},
        driver=driver,
    )


def decide(driver: Driver, pid: str, decision: str, by: str) -> dict[str, Any]:
    """Record an analyst's decision on a queued pair; it wins on every later run."""
    kind = _kind(decision, by)
    rows = write(
        """
        MATCH (r:ReviewPair {pair_id: $id})
        SET r.status = 'decided', r.decision = $d, r.decided_by = $by, r.decided_at = datetime()
        RETURN r.pair_id AS pair_id, r.key_l AS key_l, r.key_r AS key_r, r.decision AS decision
        """,
        {"id": pid, "d": kind, "by": by},
        driver=driver,
    )
    if not rows:
        raise ReviewError(f"no review pair {pid!r}: `serialwatch resolve review` lists them")
    return rows[0]


def decide_keys(driver: Driver, key_a: str, key_b: str, decision: str, by: str) -> dict[str, Any]:
    """Decide on any two records, queued or not (e.g. after `resolve explain`)."""
    kind = _kind(decision, by)
    lo, hi = sorted((key_a, key_b))
    rows = write(
        """
        MATCH (pl:Person {person_key: $l}), (pr:Person {person_key: $r})
        MERGE (x:ReviewPair {pair_id: $id})
        ON CREATE SET x.key_l = $l, x.key_r = $r, x.created_at = datetime()
        SET x.status = 'decided', x.decision = $d, x.decided_by = $by, x.decided_at = datetime()
        MERGE (x)-[:ABOUT]->(pl)
        MERGE (x)-[:ABOUT]->(pr)
        RETURN x.pair_id AS pair_id, x.key_l AS key_l, x.key_r AS key_r, x.decision AS decision
        """,
        {"id": pair_id(lo, hi), "l": lo, "r": hi, "d": kind, "by": by},
        driver=driver,
    )
    if not rows:
        raise ReviewError(f"no person record {key_a!r} or {key_b!r}")
    return rows[0]


def _kind(decision: str, by: str) -> str:
    kind = DECISIONS.get(decision.strip().lower())
    if kind is None:
        raise ReviewError(f"decision must be `same` or `not-same`, not {decision!r}")
    if not by.strip():
        raise ReviewError("a decision needs the analyst's name (--by)")
    return kind
