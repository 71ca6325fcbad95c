"""Associates: the identities of those a record shares an incident, order or relationship with,
checked against an independent Python computation on random events."""

from __future__ import annotations

import random

import duckdb
import pandas as pd
import pytest

from ingest.resolve import features


@pytest.mark.parametrize("seed", range(3))
def test_associates_equal_a_python_computation(seed: int) -> None:
    rng = random.Random(seed)
    keys = [f"K{i:02d}" for i in range(40)]
    events = pd.DataFrame(
        [(rng.choice(keys), f"E{rng.randrange(25)}") for _ in range(80)],
        columns=["unique_id", "event"],
        dtype=object,
    )
    identities = pd.DataFrame(
        {"unique_id": keys, "identity_id": [f"I{rng.randrange(15)}" for _ in keys]}
    )
    con = duckdb.connect()
    con.execute(
        f"CREATE TABLE {features.TABLE} AS SELECT unique_id, CAST(NULL AS VARCHAR[]) AS "
        "associates, CAST(NULL AS VARCHAR) AS own_identity FROM (SELECT unnest(?) AS unique_id)",
        [keys],
    )
    con.register("events", events)
    features.set_associates(con, identities, events="events")
    got = {
        k: (sorted(a) if a is not None else None)
        for k, a in con.execute(f"SELECT unique_id, associates FROM {features.TABLE}").fetchall()
    }
    ident = dict(zip(identities["unique_id"], identities["identity_id"], strict=True))
    own = dict(con.execute(f"SELECT unique_id, own_identity FROM {features.TABLE}").fetchall())
    assert own == ident
    by_event: dict[str, set[str]] = {}
    for k, e in zip(events["unique_id"], events["event"], strict=True):
        by_event.setdefault(e, set()).add(k)
    for k in keys:
        others = {o for ks in by_event.values() if k in ks for o in ks if o != k}
        want = sorted({ident[o] for o in others}) or None
        assert got[k] == want, k


def _raw(**columns: list[object]) -> pd.DataFrame:
    """Raw records as `pull_records` returns them, with the named columns set."""
    n = len(next(iter(columns.values())))
    base: dict[str, list[object]] = {
        c: [None] * n
        for c in (
            "unique_id forename_raw surname_raw middle_raw dob gender_raw aliases_raw pnc_raw "
            "agency_code identity_id method model_version address_raw postcode_raw region"
        ).split()
    }
    base["unique_id"] = [f"K{i}" for i in range(n)]
    return pd.DataFrame(base | columns, dtype=object)


def test_build_table_derives_middle_names_and_keeps_only_aliases_that_say_something() -> None:
    sep = "\x1f"
    raw = _raw(
        forename_raw=["Bill", "Ann"],
        surname_raw=["Brown", "Lee"],
        middle_raw=["  Derek ", None],
        # Bill's own name as an alias (a nickname of it) says nothing; another name does.
        aliases_raw=[f"william brown{sep}william smith", "ann lee"],
    )
    con = duckdb.connect()
    con.register(features.RAW, raw)
    assert features.build_table(con) == 2
    rows = con.execute(
        f"SELECT full_name, middle, aliases, forename_sx FROM {features.TABLE} ORDER BY unique_id"
    ).fetchall()
    assert rows == [
        ("william brown", "derek", ["william smith"], "B400"),
        ("ann lee", None, None, "A500"),
    ]
