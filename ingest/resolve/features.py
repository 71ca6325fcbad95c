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
from ingest.resolve.names import NICKNAMES, canonical_full_name, clean, soundex

log = logging.getLogger(__name__)

BATCH = 100_000
TABLE = "records"

_RETURN = """
OPTIONAL MATCH (p)-[rt:RESOLVES_TO]->(i:Identity)
RETURN [p.person_key, p.forename, p.surname, p.date_of_birth, p.gender, p.aliases, p.pnc_id,
        p.agency_code, i.identity_id, rt.method, rt.model_version,
        COLLECT { MATCH (p)-[:SUPPLIED_BY]->(ag:Agency) RETURN ag.region }[0],
        [(p)-[:RESIDED_AT]->(a:Address) | a.address_key],
        [(p)-[:RESIDED_AT]->(a:Address) | a.postcode]] AS r
"""
# One list per record, not a map: the driver decodes lists about twice as fast.
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
_FIELDS = ("k", "f", "s", "d", "g", "al", "pnc", "ag", "iid", "m", "mv", "reg", "ak", "pc")
_SEP = "\x1f"  # joins list values into one string column; split again in DuckDB


def pull_records(driver: Driver, batch: int = BATCH) -> pd.DataFrame:
    """Every Person record as raw columns (lists joined), read batch by batch in key order,
    one read transaction per batch."""
    rows: list[dict[str, Any]] = []
    after = ""
    while True:
        got = read(_PULL, {"after": after, "n": batch}, driver=driver, timeout_s=600)
        rows.extend(dict(zip(_FIELDS, r["r"], strict=True)) for r in got)
        log.info("pulled %d person records", len(rows))
        if len(got) < batch:
            break
        after = rows[-1]["k"]
    return _frame(rows)


def pull_keys(driver: Driver, keys: Iterable[str]) -> pd.DataFrame:
    """The named records only (for explanations), same columns as `pull_records`."""
    got = read(_PULL_KEYS, {"keys": list(keys)}, driver=driver)
    return _frame([dict(zip(_FIELDS, r["r"], strict=True)) for r in got])


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    def joined(values: list[str] | None) -> str | None:
        vals = [v for v in (values or []) if v]
        return _SEP.join(sorted(set(vals))) if vals else None

    return pd.DataFrame(
        {
            "unique_id": [r["k"] for r in rows],
            "forename_raw": [r["f"] for r in rows],
            "surname_raw": [r["s"] for r in rows],
            "dob": [r["d"].isoformat() if r["d"] is not None else None for r in rows],
            "gender_raw": [r["g"] for r in rows],
            "aliases_raw": [joined([canonical_full_name(a) for a in r["al"] or []]) for r in rows],
            "pnc_raw": [r["pnc"] for r in rows],
            "agency_code": [r["ag"] for r in rows],
            "address_raw": [joined(r["ak"]) for r in rows],
            "postcode_raw": [joined(r["pc"]) for r in rows],
            "identity_id": [r["iid"] for r in rows],
            "method": [r["m"] for r in rows],
            "model_version": [r["mv"] for r in rows],
            "region": [r["reg"] for r in rows],
        },
        dtype=object,
    )


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
    con.register("raw_records", raw)
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
               NULLIF(region, '') AS region, identity_id
        FROM base
        """
    )
    con.unregister("raw_records")
    con.unregister("name_lookup")
    return int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
