"""Pull every person record (with its residences' address keys and postcodes) out of the graph
and shape it into the DuckDB table the Splink model reads.

Records are read a page of persons at a time (keyset pages in person_key order, one read
transaction each): a page is one result row holding its persons, their residences and their
events as lists, so the driver decodes a few large lists instead of a record per row (about
ten times faster: at 1,000,000 people the driver spent 25 to 33 us a row on records), and the
server holds one page. The rows are assembled per record in DuckDB. Derived
columns (canonical forename, Soundex, birth-year, day-month swap) are computed once here so
blocking rules can be plain equi-joins.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from neo4j import Driver

from graph.driver import read, read_columns
from ingest.resolve.names import (
    NICKNAMES,
    canonical_forename,
    canonical_full_name,
    clean,
    soundex,
)

log = logging.getLogger(__name__)

TABLE = "records"
PAGE = 50_000  # person records a page of the pull
PULLERS = 2  # key ranges paged side by side: the server runs a page on one core
PULL_TIMEOUT_S = 600.0

# One page: persons after `$after` in key order (the person_key index gives the order, so
# there is no sort), then their residences and events, every column one flat list (a list of
# lists decodes ten times slower). collect() drops nulls, so a missing value travels as ''.
# Events: incidents, orders and recorded relationships a record takes part in (a relationship
# by its element id, which both of its people see).
_PULL_PAGE = """
MATCH (p:Person) WHERE p.person_key > $after AND ($until IS NULL OR p.person_key <= $until)
WITH p ORDER BY p.person_key LIMIT $page
OPTIONAL MATCH (p)-[rt:RESOLVES_TO]->(i:Identity)
WITH collect(p) AS ps,
     collect(p.person_key) AS unique_id,
     collect(coalesce(p.forename, '')) AS forename_raw,
     collect(coalesce(p.surname, '')) AS surname_raw,
     collect(coalesce(p.middle_names, '')) AS middle_raw,
     collect(coalesce(toString(p.date_of_birth), '')) AS dob,
     collect(coalesce(p.gender, '')) AS gender_raw,
     collect(coalesce(p.aliases, [])) AS aliases,
     collect(coalesce(p.pnc_id, '')) AS pnc_raw,
     collect(coalesce(p.agency_code, '')) AS agency_code,
     collect(coalesce(i.identity_id, '')) AS identity_id,
     collect(coalesce(rt.method, '')) AS method,
     collect(coalesce(rt.model_version, '')) AS model_version
CALL (ps) {
  UNWIND ps AS q
  MATCH (q)-[:RESIDED_AT]->(a:Address)
  RETURN collect(q.person_key) AS residence_of, collect(a.address_key) AS address,
         collect(coalesce(a.postcode, '')) AS postcode
}
CALL (ps) {
  CALL (ps) {
    UNWIND ps AS q
    MATCH (q)-[r:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(x:Incident)
    RETURN q.person_key AS k, x.incident_key AS e, type(r) AS role
    UNION ALL
    UNWIND ps AS q
    MATCH (q)-[r:SUBJECT_OF|PROTECTS]-(o:Order)
    RETURN q.person_key AS k, o.order_key AS e, type(r) AS role
    UNION ALL
    UNWIND ps AS q
    MATCH (q)-[r:INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE]-(:Person)
    RETURN q.person_key AS k, elementId(r) AS e, type(r) AS role
  }
  RETURN collect(k) AS event_of, collect(e) AS event, collect(role) AS event_role
}
RETURN unique_id, forename_raw, surname_raw, middle_raw, dob, gender_raw, aliases, pnc_raw,
       agency_code, identity_id, method, model_version, residence_of, address, postcode,
       event_of, event, event_role
"""
# The key at a position of the records in key order (the index gives the order).
_KEY_AT = """
MATCH (p:Person) WHERE p.person_key IS NOT NULL
WITH p.person_key AS key ORDER BY key SKIP $skip LIMIT 1
RETURN key
"""
_REGIONS = "MATCH (a:Agency) RETURN a.agency_code AS code, a.region AS region"

_PERSON_COLUMNS = [
    "unique_id",
    "forename_raw",
    "surname_raw",
    "middle_raw",
    "dob",
    "gender_raw",
    "aliases",
    "pnc_raw",
    "agency_code",
    "identity_id",
    "method",
    "model_version",
]

# The named records only, one row each, with their lists gathered per record: the reference
# the streamed pull is tested against, and the explanations' read.
_PULL_KEYS = """
UNWIND $keys AS key
MATCH (p:Person {person_key: key})
OPTIONAL MATCH (p)-[rt:RESOLVES_TO]->(i:Identity)
RETURN [p.person_key, p.forename, p.surname, p.middle_names, toString(p.date_of_birth),
        p.gender, p.aliases, p.pnc_id, p.agency_code, i.identity_id, rt.method, rt.model_version,
        [(p)-[:RESIDED_AT]->(a:Address) | [a.address_key, a.postcode]],
        [(p)-[r:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(x:Incident)
           | [x.incident_key, type(r)]]
        + [(p)-[r:SUBJECT_OF|PROTECTS]-(o:Order) | [o.order_key, type(r)]]
        + [(p)-[r:INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE]-(:Person)
           | [elementId(r), type(r)]]] AS r
"""
RAW = "raw_records"  # one row per record, as pulled (`raw_frame` reads it)
EVENTS = "pulled_events"  # (unique_id, event, role): the incidents, orders, relationships
# The roles that make a record accused (what a disclosure check and a serial tier are made of)
# or a victim (whom they count).
ACCUSED_ROLES = ("SUSPECT_IN", "OFFENDER_IN", "SUBJECT_OF")
VICTIM_ROLES = ("VICTIM_IN", "PROTECTS")

# The pulled tables' columns (all text), each from a column of a page.
_PULLED = {
    "pulled_persons": {c: c for c in _PERSON_COLUMNS},  # aliases joined by _SEP
    "pulled_addresses": {"unique_id": "residence_of", "address": "address", "postcode": "postcode"},
    EVENTS: {"unique_id": "event_of", "event": "event", "role": "event_role"},
}
_SEP = "\x1f"


def pull_records(driver: Driver) -> pd.DataFrame:
    """Every Person record as raw columns (lists joined; `events`: the incidents, orders and
    recorded relationships it takes part in; `accused`: suspect or offender in an incident or
    subject of an order; `victim`: victim in an incident or protected by an order), in key
    order: `pull` into a DuckDB of its own,
    read back."""
    con = duckdb.connect(config={"threads": 2})
    try:
        pull(driver, con)
        return raw_frame(con)
    finally:
        con.close()


def pull(driver: Driver, con: duckdb.DuckDBPyConnection) -> int:
    """Pull every Person record into table `RAW` of `con` (and its events into `EVENTS`), a
    page at a time (`PULLERS` key ranges side by side), each page into DuckDB as it arrives:
    Python holds a page, never the whole pull. Returns the records pulled."""
    n = record_count(driver)
    splits = [
        read(_KEY_AT, {"skip": n * k // PULLERS}, driver=driver)[0]["key"]
        for k in range(1, PULLERS if n else 1)
    ]
    ranges = list(zip(["", *splits], [*splits, None], strict=True))
    _create_pulled(con)
    lock = threading.Lock()
    with ThreadPoolExecutor(PULLERS) as pool:
        list(pool.map(lambda r: _pull_range(driver, con, lock, *r), ranges))
    return _assemble(driver, con)


def _pull_range(
    driver: Driver,
    con: duckdb.DuckDBPyConnection,
    lock: threading.Lock,
    after: str,
    until: str | None,
) -> None:
    """Pull the records with keys in (after, until] page by page into the pulled tables."""
    while True:
        page = read_columns(
            _PULL_PAGE,
            {"after": after, "until": until, "page": PAGE},
            driver=driver,
            timeout_s=PULL_TIMEOUT_S,
        )
        if not page["unique_id"]:
            return
        with lock:
            _insert(con, page)
        after = page["unique_id"][-1]


def pull_keys(driver: Driver, con: duckdb.DuckDBPyConnection, keys: Iterable[str]) -> int:
    """The named records only (for explanations), into the same tables as `pull`."""
    got = [r["r"] for r in read(_PULL_KEYS, {"keys": sorted(set(keys))}, driver=driver)]
    n = len(_PERSON_COLUMNS)  # then the residences, then the events
    page: dict[str, list[Any]] = {c: [r[i] for r in got] for i, c in enumerate(_PERSON_COLUMNS)}
    page["residence_of"] = [r[0] for r in got for _ in r[n]]
    page["address"] = [a for r in got for a, _ in r[n]]
    page["postcode"] = [pc for r in got for _, pc in r[n]]
    page["event_of"] = [r[0] for r in got for _ in r[n + 1]]
    page["event"] = [e for r in got for e, _ in r[n + 1]]
    page["event_role"] = [role for r in got for _, role in r[n + 1]]
    _create_pulled(con)
    _insert(con, page)
    return _assemble(driver, con)


def _create_pulled(con: duckdb.DuckDBPyConnection) -> None:
    for table, columns in _PULLED.items():
        typed = ", ".join(f"{c} VARCHAR" for c in columns)
        con.execute(f"CREATE OR REPLACE TABLE {table} ({typed})")


def _insert(con: duckdb.DuckDBPyConnection, page: dict[str, list[Any]]) -> None:
    """Append a page to the pulled tables; '' or None (a missing value) becomes NULL."""
    page = {**page, "aliases": [_SEP.join(a or []) for a in page["aliases"]]}
    for table, columns in _PULLED.items():
        frame = pd.DataFrame({c: page[src] for c, src in columns.items()}, dtype=object)
        values = ", ".join(f"NULLIF(CAST({c} AS VARCHAR), '')" for c in columns)
        con.register("pulled_page", frame)
        con.execute(f"INSERT INTO {table} SELECT {values} FROM pulled_page")
        con.unregister("pulled_page")


_ASSEMBLE = f"""
CREATE OR REPLACE TABLE {RAW} AS
WITH adr AS (
  SELECT unique_id,
         string_agg(DISTINCT address, chr(31) ORDER BY address) AS address_raw,
         string_agg(DISTINCT postcode, chr(31) ORDER BY postcode) AS postcode_raw
  FROM pulled_addresses GROUP BY unique_id
), ev AS (
  SELECT unique_id, list(event) AS events,
         bool_or(role IN {ACCUSED_ROLES}) AS accused, bool_or(role IN {VICTIM_ROLES}) AS victim
  FROM {EVENTS} WHERE event IS NOT NULL GROUP BY unique_id
), al AS (
  SELECT a.unique_id, string_agg(DISTINCT l.canon, chr(31) ORDER BY l.canon) AS aliases_raw
  FROM (SELECT unique_id, unnest(string_split(aliases, chr(31))) AS alias FROM pulled_persons) a
  JOIN alias_lookup l USING (alias)
  WHERE l.canon IS NOT NULL AND l.canon <> ''
  GROUP BY a.unique_id
)
SELECT p.unique_id, p.forename_raw, p.surname_raw, p.middle_raw, p.dob, al.aliases_raw,
       p.gender_raw, p.pnc_raw, p.agency_code, p.identity_id, p.method, p.model_version,
       adr.address_raw, adr.postcode_raw, ev.events, coalesce(ev.accused, false) AS accused,
       coalesce(ev.victim, false) AS victim, r.region
FROM pulled_persons p LEFT JOIN adr USING (unique_id) LEFT JOIN ev USING (unique_id)
  LEFT JOIN al USING (unique_id) LEFT JOIN agency_regions r USING (agency_code)
ORDER BY p.unique_id
"""


def _assemble(driver: Driver, con: duckdb.DuckDBPyConnection) -> int:
    """Table `RAW`, one row per record: the person's own values, its addresses and postcodes
    joined (sorted, distinct), its canonical aliases joined, its events as a list, its
    agency's region. The persons and residences pulled are dropped once assembled."""
    aliases = [
        a
        for (a,) in con.sql(
            "SELECT DISTINCT unnest(string_split(aliases, chr(31))) FROM pulled_persons"
        ).fetchall()
    ]
    lookup = pd.DataFrame(
        {"alias": aliases, "canon": [canonical_full_name(a) for a in aliases]}, dtype=object
    )
    regions = pd.DataFrame(read(_REGIONS, driver=driver), columns=["code", "region"], dtype=object)
    con.register("alias_lookup", lookup)
    con.register("agency_regions", regions.rename(columns={"code": "agency_code"}))
    try:
        con.execute(_ASSEMBLE)
    finally:
        con.unregister("alias_lookup")
        con.unregister("agency_regions")
    con.execute("DROP TABLE pulled_persons")
    con.execute("DROP TABLE pulled_addresses")
    n = int(con.execute(f"SELECT count(*) FROM {RAW}").fetchall()[0][0])
    events = con.execute(f"SELECT count(*) FROM {EVENTS}").fetchall()[0][0]
    log.info("pulled %d person records, %d events", n, events)
    return n


def raw_frame(con: duckdb.DuckDBPyConnection, columns: str = "*") -> pd.DataFrame:
    """Table `RAW` (some `columns` of it) as a frame in key order, missing values None and
    `events` lists."""
    out = con.sql(f"SELECT {columns} FROM {RAW} ORDER BY unique_id").df()
    if "events" in out:
        out["events"] = [list(e) if isinstance(e, Iterable) else None for e in out["events"]]
    return out.astype(object).where(out.notna(), None)


def events_of(raw: pd.DataFrame) -> pd.DataFrame:
    """(unique_id, event): one row per event a record takes part in, from a frame of `RAW`."""
    out = raw[["unique_id", "events"]].explode("events").dropna()
    return out.rename(columns={"events": "event"}).reset_index(drop=True)


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
    total = record_count(driver)
    counts = pd.Series(
        [f"{canonical_forename(r['f'])} {clean(r['s'])}" for r in rows], dtype=object
    ).value_counts()
    return pd.DataFrame(
        {
            "full_name": sorted(names),
            "tf_full_name": [float(counts.get(n, 1)) / max(total, 1) for n in sorted(names)],
        }
    )


def record_count(driver: Driver) -> int:
    """Person records in the graph (the population the prior is scaled to)."""
    return int(read(_RECORDS, driver=driver)[0]["n"])


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
    identities: pd.DataFrame,
    events: str = EVENTS,
    name: str = TABLE,
) -> None:
    """(Re)compute column `associates` of table `name`: the identities (`identities`: unique_id,
    identity_id) of the other records a record shares an incident, order or relationship with
    (table or view `events`: unique_id, event). Two records of one person often share a victim
    or a partner; strangers who share a name almost never share one, so this separates them
    where name and DOB cannot. Column `own_identity` is set to the record's own identity in
    `identities`: a record among the other's associates is that person's victim, partner or
    co-party, never that person."""
    con.register("record_identities", identities[["unique_id", "identity_id"]])
    con.execute(
        f"""
        CREATE OR REPLACE TABLE {name} AS
        WITH pairs AS (
          SELECT DISTINCT a.unique_id, b.unique_id AS other
          FROM {events} a JOIN {events} b
            ON a.event = b.event AND a.unique_id <> b.unique_id
        ), known AS (
          SELECT p.unique_id, list_sort(list_distinct(list(i.identity_id))) AS associates
          FROM pairs p JOIN record_identities i ON i.unique_id = p.other
          GROUP BY p.unique_id
        )
        SELECT r.* EXCLUDE (associates, own_identity), known.associates,
               i.identity_id AS own_identity
        FROM {name} r LEFT JOIN known USING (unique_id)
          LEFT JOIN record_identities i USING (unique_id)
        ORDER BY r.unique_id
        """
    )
    con.unregister("record_identities")


def cannot_link(
    con: duckdb.DuckDBPyConnection, events: str = EVENTS
) -> tuple[np.ndarray, np.ndarray]:
    """The pairs of records that share an incident, an order or a recorded relationship
    (table or view `events`), as indexes of `RAW` in key order (lo < hi): parties to one event
    are different humans. One self-join in DuckDB, like the associates'."""
    got = con.execute(
        f"""
        WITH ix AS (
          SELECT unique_id, row_number() OVER (ORDER BY unique_id) - 1 AS i FROM {RAW}
        ), ev AS (
          SELECT DISTINCT ix.i, e.event FROM {events} e JOIN ix USING (unique_id)
          WHERE e.event IS NOT NULL
        )
        SELECT DISTINCT a.i AS lo, b.i AS hi
        FROM ev a JOIN ev b ON a.event = b.event AND a.i < b.i
        """
    ).fetchnumpy()
    return np.asarray(got["lo"], dtype=np.int64), np.asarray(got["hi"], dtype=np.int64)


def build_table(con: duckdb.DuckDBPyConnection, name: str = TABLE) -> int:
    """Create DuckDB table `name` with the model's input columns from the records in `RAW` (a
    table `pull` made, or a frame of its columns registered under that name); return its
    rows."""
    kinds = {"f": "forename_raw", "s": "surname_raw", "m": "middle_raw"}
    found = [
        (v, kind)
        for kind, col in kinds.items()
        for (v,) in con.sql(f"SELECT DISTINCT {col} FROM {RAW} WHERE {col} IS NOT NULL").fetchall()
    ]
    cleaned = [clean(v) for v, _ in found]
    lookups = pd.DataFrame(
        {
            "raw": [v for v, _ in found],
            "kind": [kind for _, kind in found],
            "clean": cleaned,
            "canon": [NICKNAMES.get(v or "", v) for v in cleaned],
            "sx": [soundex(v) for v in cleaned],
        },
        dtype=object,
    )
    con.register("name_lookup", lookups)
    con.execute(f"DROP TABLE IF EXISTS {name}")
    con.execute(
        f"""
        CREATE TABLE {name} AS
        WITH base AS (
          SELECT r.*, f.clean AS forename, f.canon AS forename_canon, s.clean AS surname,
                 s.sx AS surname_sx, f.sx AS forename_sx, s.canon AS surname_canon,
                 m.clean AS middle,
                 TRY_CAST(r.dob AS DATE) AS dob_date
          FROM {RAW} r
          LEFT JOIN name_lookup f ON f.kind = 'f' AND f.raw = r.forename_raw
          LEFT JOIN name_lookup m ON m.kind = 'm' AND m.raw = r.middle_raw
          LEFT JOIN name_lookup s ON s.kind = 's' AND s.raw = r.surname_raw
        )
        SELECT unique_id, agency_code, forename, forename_canon, forename_sx, surname, surname_sx,
               surname_canon,
               string_split_regex(surname, '[ -]') AS surname_parts,
               middle,
               dob_date AS dob,
               year(dob_date) AS birth_year,
               strftime(dob_date, '%m-%d') AS birth_mmdd,
               CASE WHEN day(dob_date) <= 12 THEN TRY_CAST(make_date(
                   year(dob_date), day(dob_date), month(dob_date)) AS DATE) END AS dob_swapped,
               CASE WHEN gender_raw IN ('M', 'F') THEN gender_raw END AS gender,
               NULLIF(upper(trim(pnc_raw)), '') AS pnc_id,
               -- An alias that is the record's own name (a nickname of it) says nothing.
               NULLIF(list_filter(string_split(aliases_raw, chr(31)),
                                  lambda a: a <> forename_canon || ' ' || surname), [])
                 AS aliases,
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
               CAST(NULL AS VARCHAR[]) AS associates, identity_id AS own_identity
        FROM base
        """
    )
    con.unregister("name_lookup")
    return int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
