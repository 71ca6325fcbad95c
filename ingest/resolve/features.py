"""Pull every person record (with its residences' address keys and postcodes) out of the graph
and shape it into the DuckDB table the Splink model reads.

Records are read in key order, one read transaction per batch, so memory on the Neo4j side stays
flat and the process never holds more than the columns it needs. Derived columns (canonical
forename, Soundex, birth-year, day-month swap) are computed once here so blocking rules can be
plain equi-joins.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import duckdb
import pandas as pd
from neo4j import Driver

from graph.driver import read
from ingest.resolve.names import (
    NICKNAMES,
    canonical_forename,
    canonical_full_name,
    clean,
    soundex,
)

log = logging.getLogger(__name__)

BATCH = 100_000
TABLE = "records"

_RETURN = """
OPTIONAL MATCH (p)-[rt:RESOLVES_TO]->(i:Identity)
RETURN [p.person_key, p.forename, p.surname, p.date_of_birth, p.gender, p.aliases, p.pnc_id,
        p.agency_code, i.identity_id, rt.method, rt.model_version,
        [(p)-[:RESIDED_AT]->(a:Address) | [a.address_key, a.postcode]],
        [(p)-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(x:Incident) | x.incident_key]
        + [(p)-[:SUBJECT_OF|PROTECTS]-(o:Order) | o.order_key]
        + [(p)-[r:INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE]-(:Person) | elementId(r)]] AS r
"""
# One list per record, not a map: the driver decodes lists about twice as fast. Per-record
# pattern comprehensions read faster here than whole-relationship-type scans (measured).
_PULL = (
    """
MATCH (p:Person) WHERE p.person_key > $after
WITH p ORDER BY p.person_key LIMIT $n
"""
    + _RETURN
)
_PULL_KEYS = (
    """
UNWIND $keys AS key
MATCH (p:Person {person_key: key})
"""
    + _RETURN
)
_REGIONS = "MATCH (a:Agency) RETURN a.agency_code AS code, a.region AS region"
_SEP = "\x1f"  # joins list values into one string column; split again in DuckDB


def pull_records(driver: Driver, batch: int = BATCH) -> pd.DataFrame:
    """Every Person record as raw columns (lists joined; `events`: the incidents, orders and
    recorded relationships it takes part in), read batch by batch in key order, one read
    transaction per batch."""
    rows: list[list[Any]] = []
    after = ""
    while True:
        got = read(_PULL, {"after": after, "n": batch}, driver=driver, timeout_s=600)
        rows.extend(r["r"] for r in got)
        log.info("pulled %d person records", len(rows))
        if len(got) < batch:
            break
        after = rows[-1][0]
    return _frame(driver, rows)


def pull_keys(driver: Driver, keys: Iterable[str]) -> pd.DataFrame:
    """The named records only (for explanations), same columns as `pull_records`."""
    got = read(_PULL_KEYS, {"keys": sorted(set(keys))}, driver=driver)
    return _frame(driver, [r["r"] for r in got])


def events_of(raw: pd.DataFrame) -> pd.DataFrame:
    """(unique_id, event): one row per event a record takes part in."""
    out = raw[["unique_id", "events"]].explode("events").dropna()
    return out.rename(columns={"events": "event"}).reset_index(drop=True)


def _frame(driver: Driver, rows: list[list[Any]]) -> pd.DataFrame:
    region = {r["code"]: r["region"] for r in read(_REGIONS, driver=driver)}

    def joined(values: Iterable[str | None]) -> str | None:
        vals = [v for v in values if v]
        return _SEP.join(sorted(set(vals))) if vals else None

    return pd.DataFrame(
        {
            "unique_id": [r[0] for r in rows],
            "forename_raw": [r[1] for r in rows],
            "surname_raw": [r[2] for r in rows],
            "dob": [r[3].isoformat() if r[3] is not None else None for r in rows],
            "gender_raw": [r[4] for r in rows],
            "aliases_raw": [joined([canonical_full_name(a) for a in r[5] or []]) for r in rows],
            "pnc_raw": [r[6] for r in rows],
            "agency_code": [r[7] for r in rows],
            "identity_id": [r[8] for r in rows],
            "method": [r[9] for r in rows],
            "model_version": [r[10] for r in rows],
            "address_raw": [joined(a for a, _ in r[11]) for r in rows],
            "postcode_raw": [joined(pc for _, pc in r[11]) for r in rows],
            "region": [region.get(r[7]) for r in rows],
            "events": [r[12] or None for r in rows],
        },
        dtype=object,
    )


_NAMESAKES = """
MATCH (p:Person) WHERE toLower(p.surname) IN $surnames
RETURN p.forename AS f, p.surname AS s
"""
_RECORDS = "MATCH (p:Person) RETURN count(p) AS n"


def name_frequencies(driver: Driver, full_names: Iterable[str]) -> pd.DataFrame:
    """Term frequencies (`full_name`, `tf_full_name`) of these canonical full names among all
    records, as `predict` computes them, without pulling every record (for explanations)."""
    names = {n for n in full_names if n}
    surnames = sorted({n.partition(" ")[2] for n in names})
    rows = read(_NAMESAKES, {"surnames": surnames}, driver=driver, timeout_s=600)
    total = int(read(_RECORDS, driver=driver)[0]["n"])
    counts = pd.Series(
        [f"{canonical_forename(r['f'])} {clean(r['s'])}" for r in rows], dtype=object
    ).value_counts()
    return pd.DataFrame(
        {
            "full_name": sorted(names),
            "tf_full_name": [float(counts.get(n, 1)) / max(total, 1) for n in sorted(names)],
        }
    )


_ASSOCIATES_BY_KEY = """
UNWIND $keys AS key
MATCH (p:Person {person_key: key})
CALL (p) {
  MATCH (p)-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(:Incident)
        <-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]-(q:Person)
  RETURN q
  UNION
  MATCH (p)-[:SUBJECT_OF|PROTECTS]-(:Order)-[:SUBJECT_OF|PROTECTS]-(q:Person)
  RETURN q
  UNION
  MATCH (p)-[:INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE]-(q:Person)
  RETURN q
}
WITH key, p, q WHERE q <> p
MATCH (q)-[:RESOLVES_TO]->(i:Identity)
RETURN key, collect(DISTINCT i.identity_id) AS ids
"""


def pull_associates(driver: Driver, keys: Iterable[str]) -> dict[str, list[str]]:
    """The associates of the named records by the graph's current identities (explanations)."""
    rows = read(_ASSOCIATES_BY_KEY, {"keys": sorted(set(keys))}, driver=driver)
    return {r["key"]: sorted(r["ids"]) for r in rows if r["ids"]}


def set_associates(
    con: duckdb.DuckDBPyConnection,
    events: pd.DataFrame,
    identities: pd.DataFrame,
    name: str = TABLE,
) -> None:
    """(Re)compute column `associates` of table `name`: the identities (`identities`: unique_id,
    identity_id) of the other records a record shares an incident, order or relationship with.
    Two records of one person often share a victim or a partner; strangers who share a name
    almost never share one, so this separates them where name and DOB cannot."""
    con.register("record_events", events)
    con.register("record_identities", identities[["unique_id", "identity_id"]])
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {name} AS
        WITH pairs AS (
          SELECT DISTINCT a.unique_id, b.unique_id AS other
          FROM record_events a JOIN record_events b
            ON a.event = b.event AND a.unique_id <> b.unique_id
        ), known AS (
          SELECT p.unique_id, list_sort(list_distinct(list(i.identity_id))) AS associates
          FROM pairs p JOIN record_identities i ON i.unique_id = p.other
          GROUP BY p.unique_id
        )
        SELECT r.* EXCLUDE (associates), known.associates
        FROM {name} r LEFT JOIN known USING (unique_id)
        ORDER BY r.unique_id
        """
    )
    con.unregister("record_events")
    con.unregister("record_identities")


def build_table(con: duckdb.DuckDBPyConnection, raw: pd.DataFrame, name: str = TABLE) -> int:
    """Create DuckDB table `name` with the model's input columns from `raw`; return its rows."""
    fore = {f: clean(f) for f in raw["forename_raw"].dropna().unique()}
    sur = {s: clean(s) for s in raw["surname_raw"].dropna().unique()}
    lookups = pd.DataFrame(
        {
            "raw": list(fore) + list(sur),
            "kind": ["f"] * len(fore) + ["s"] * len(sur),
            "clean": list(fore.values()) + list(sur.values()),
            "canon": [NICKNAMES.get(v or "", v) for v in fore.values()]
            + [NICKNAMES.get(v or "", v) for v in sur.values()],
            "sx": [soundex(v) for v in fore.values()] + [soundex(v) for v in sur.values()],
        },
        dtype=object,
    )
    con.register("raw_records", raw.drop(columns=["events"], errors="ignore"))
    con.register("name_lookup", lookups)
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.execute(
        f"""
        CREATE TABLE {name} AS
        WITH base AS (
          SELECT r.*, f.clean AS forename, f.canon AS forename_canon, s.clean AS surname,
                 s.sx AS surname_sx, s.canon AS surname_canon, TRY_CAST(r.dob AS DATE) AS dob_date
          FROM raw_records r
          LEFT JOIN name_lookup f ON f.kind = 'f' AND f.raw = r.forename_raw
          LEFT JOIN name_lookup s ON s.kind = 's' AND s.raw = r.surname_raw
        )
        SELECT unique_id, agency_code, forename, forename_canon, surname, surname_sx,
               surname_canon,
               string_split_regex(surname, '[ -]') AS surname_parts,
               dob_date AS dob,
               year(dob_date) AS birth_year,
               strftime(dob_date, '%m-%d') AS birth_mmdd,
               CASE WHEN day(dob_date) <= 12 THEN TRY_CAST(make_date(
                   year(dob_date), day(dob_date), month(dob_date)) AS DATE) END AS dob_swapped,
               CASE WHEN gender_raw IN ('M', 'F') THEN gender_raw END AS gender,
               NULLIF(upper(trim(pnc_raw)), '') AS pnc_id,
               CASE WHEN aliases_raw IS NOT NULL
                    THEN string_split(aliases_raw, chr(31)) END AS aliases,
               forename_canon || ' ' || surname AS full_name,
               CASE WHEN address_raw IS NOT NULL
                    THEN string_split(address_raw, chr(31)) END AS address_keys,
               CASE WHEN postcode_raw IS NOT NULL
                    THEN list_distinct(list_transform(string_split(postcode_raw, chr(31)),
                                       lambda x: upper(replace(x, ' ', '')))) END AS postcodes,
               CASE WHEN postcode_raw IS NOT NULL
                    THEN list_distinct(list_transform(string_split(postcode_raw, chr(31)),
                                       lambda x: upper(split_part(trim(x), ' ', 1))))
               END AS outcodes,
               CASE WHEN postcode_raw IS NOT NULL
                    THEN list_distinct(list_transform(string_split(postcode_raw, chr(31)),
                                       lambda x: regexp_extract(upper(trim(x)), '^[A-Z]+')))
               END AS pc_areas,
               NULLIF(region, '') AS region, identity_id,
               CAST(NULL AS VARCHAR[]) AS associates
        FROM base
        """
    )
    con.unregister("raw_records")
    con.unregister("name_lookup")
    return int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
