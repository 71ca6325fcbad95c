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
        "associates FROM (SELECT unnest(?) AS unique_id)",
        [keys],
    )
    features.set_associates(con, events, identities)
    got = {
        k: (sorted(a) if a is not None else None)
        for k, a in con.execute(f"SELECT unique_id, associates FROM {features.TABLE}").fetchall()
    }
    ident = dict(zip(identities["unique_id"], identities["identity_id"], strict=True))
    by_event: dict[str, set[str]] = {}
    for k, e in zip(events["unique_id"], events["event"], strict=True):
        by_event.setdefault(e, set()).add(k)
    for k in keys:
        others = {o for ks in by_event.values() if k in ks for o in ks if o != k}
        want = sorted({ident[o] for o in others}) or None
        assert got[k] == want, k
