"""The review queue, kept in the graph so the CLI, the API and the UI share one queue.

    (:ReviewPair {pair_id, key_l, key_r, probability, match_weight, model_version, status,
                  decision, decided_by, decided_at, reason, ambiguous_record, explanation})
      -[:ABOUT]->(:Person)   (twice)

A pair enters as `pending` when the model scores it in the review band and the two records end
in different identities (`reason` 'band'), or when clustering found a record it cannot place
between identities a rule keeps apart (`reason` 'ambiguous', `ambiguous_record` its key: one
pair per candidate, listed side by side). `explanation` is the pair's score as lines of
"comparison: level (weight)". A decision (`same` / `not_same`, who, when) makes it
`decided`; decided pairs are never removed or rescored, and every run applies them before
writing identities.
Pending pairs the latest run no longer proposes are dropped.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import numpy as np
import pandas as pd
from neo4j import Driver

from graph.driver import read, write
from graph.errors import SerialwatchError
from ingest.resolve.cluster import NOT_SAME, SAME, Decision
from ingest.resolve.model import Model

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


def with_ambiguous(
    band: pd.DataFrame, ambiguous: pd.DataFrame, scored: pd.DataFrame
) -> pd.DataFrame:
    """The review band plus the scored pairs of the ambiguous records (`cluster`'s
    `ambiguous`), column `record` naming the ambiguous record (None for a band pair)."""
    band = band.assign(record=None)
    if ambiguous.empty:
        return band
    a, b = scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy()
    ordered = scored.assign(lo=np.where(a < b, a, b), hi=np.where(a < b, b, a))
    wanted = ambiguous.rename(columns={"unique_id_l": "lo", "unique_id_r": "hi"})
    found = ordered.merge(wanted[["lo", "hi", "record"]], on=["lo", "hi"])
    found = found.drop(columns=["lo", "hi"])
    both = pd.concat([found, band], ignore_index=True)
    both["pair"] = [
        pair_id(x, y) for x, y in zip(both["unique_id_l"], both["unique_id_r"], strict=True)
    ]
    return both.drop_duplicates("pair").drop(columns="pair")  # an ambiguous pair first


def explained(pairs: pd.DataFrame, m: Model) -> pd.DataFrame:
    """`pairs` with column `explanation`: per comparison, "name: level (+w.w)" from its match
    weight (`w_<name>`, as `pipeline._score` keeps it) and the model's levels, the name's
    frequency adjustment, and the prior with the total. No weights, no explanation."""
    table = {c["output_column_name"]: _levels(c) for c in m.splink["comparisons"]}
    prior = float(m.splink["probability_two_random_records_match"])
    start = math.log2(prior / (1 - prior))
    lines: list[list[str]] = []
    for row in pairs.to_dict("records"):
        out = []
        for name, levels in table.items():
            w = row.get(f"w_{name}")
            if w is None or pd.isna(w):
                continue
            label = min(levels, key=lambda lv: abs(lv[1] - float(w)))[0]
            out.append(f"{name}: {label} ({float(w):+.1f})")
        tf = row.get("w_tf_name")
        if out and tf is not None and not pd.isna(tf) and abs(float(tf)) >= 0.05:
            out.append(f"name frequency ({float(tf):+.1f})")
        if out:
            out.append(f"prior ({start:+.1f}); total {float(row['match_weight']):+.1f}")
        lines.append(out)
    return pairs.assign(explanation=lines)


def _levels(comparison: dict[str, Any]) -> list[tuple[str, float]]:
    """(label, match weight) of each level of one saved comparison, most specific first (a
    null level weighs 0)."""
    out = []
    for lv in comparison["comparison_levels"]:
        m, u = lv.get("m_probability"), lv.get("u_probability")
        weight = 0.0 if lv.get("is_null_level") or not (m and u) else math.log2(m / u)
        out.append((str(lv.get("label_for_charts", "")), weight))
    return out


def sync_queue(driver: Driver, band: pd.DataFrame, model_version: str) -> int:
    """Make the pending queue exactly `band` (unique_id_l, unique_id_r, match_probability,
    match_weight; optional `record`: the ambiguous record a pair is a candidate for, and
    `explanation`), leaving decided pairs alone; return the pending count."""
    rows = []
    records = band["record"] if "record" in band else [None] * len(band)
    why = band["explanation"] if "explanation" in band else [[]] * len(band)
    for a, b, p, w, rec, ex in zip(
        band["unique_id_l"],
        band["unique_id_r"],
        band["match_probability"],
        band["match_weight"],
        records,
        why,
        strict=True,
    ):
        lo, hi = sorted((a, b))
        rows.append(
            {
                "id": pair_id(lo, hi),
                "l": lo,
                "r": hi,
                "p": float(p),
                "w": float(w),
                "record": rec if isinstance(rec, str) else None,
                "why": list(ex) if isinstance(ex, list | tuple) else [],
            }
        )
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
            SET r.probability = row.p, r.match_weight = row.w, r.model_version = $version,
                r.reason = CASE WHEN row.record IS NULL THEN 'band' ELSE 'ambiguous' END,
                r.ambiguous_record = row.record, r.explanation = row.why
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
    """The pending pairs, ambiguous records' first, then the most likely, with both records'
    identifying fields and the pair's `explanation`. An ambiguous record's pair also lists its
    `alternatives`: the record's pairs with the other candidates (pair_id, the candidate
    record's fields, probability, match_weight, explanation), to be read side by side."""
    return read(
        """
        MATCH (r:ReviewPair {status: 'pending'})
        WITH r ORDER BY r.ambiguous_record IS NULL, r.ambiguous_record, r.probability DESC,
                        r.pair_id
        LIMIT $limit
        MATCH (l:Person {person_key: r.key_l}), (rr:Person {person_key: r.key_r})
        RETURN r.pair_id AS pair_id, r.probability AS probability,
               r.match_weight AS match_weight, r.model_version AS model_version,
               l {.person_key, .agency_code, .forename, .surname, .date_of_birth, .pnc_id,
                  .gender} AS left,
               rr {.person_key, .agency_code, .forename, .surname, .date_of_birth, .pnc_id,
                   .gender} AS right,
               coalesce(r.reason, 'band') AS reason, r.ambiguous_record AS ambiguous_record,
               coalesce(r.explanation, []) AS explanation,
               COLLECT {
                 MATCH (o:ReviewPair {status: 'pending', ambiguous_record: r.ambiguous_record})
                 WHERE o <> r
                 MATCH (c:Person)
                 WHERE c.person_key IN [o.key_l, o.key_r]
                   AND c.person_key <> r.ambiguous_record
                 RETURN {pair_id: o.pair_id, probability: o.probability,
                         match_weight: o.match_weight, explanation: o.explanation,
                         candidate: c {.person_key, .agency_code, .forename, .surname,
                                       .date_of_birth, .pnc_id, .gender}}
                 ORDER BY o.match_weight DESC, o.pair_id
               } AS alternatives
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
