"""The streamed pull and the identity writer on the real Neo4j.

The pull (one scan per kind of fact, assembled in DuckDB) must give every record exactly what a
plain per-record read gives, assembled here in Python. The writer must leave each record with
exactly one link to its assigned identity, the record counts right and no empty identity, both
on a first resolve (every record leaves its initial identity) and when identities merge, split
and move again.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from neo4j import Driver

from graph.driver import read
from ingest.resolve import features
from ingest.resolve.graph_writer import changes, write_identities
from ingest.resolve.names import canonical_full_name
from ingest.resolve.pipeline import resolve
from ingest.synth import synthesize
from ingest.transactional import load_delivery
from tests.conftest import wipe

PEOPLE, SEED = 400, 11

_PER_RECORD = """
MATCH (p:Person)
OPTIONAL MATCH (p)-[rt:RESOLVES_TO]->(i:Identity)
RETURN p.person_key AS key, p.forename AS forename, p.surname AS surname,
       p.middle_names AS middle,
       p.date_of_birth AS dob, p.gender AS gender, p.aliases AS aliases, p.pnc_id AS pnc,
       p.agency_code AS agency, i.identity_id AS identity, rt.method AS method,
       rt.model_version AS version,
       [(p)-[:RESIDED_AT]->(a:Address) | [a.address_key, a.postcode]] AS addresses,
       [(p)-[:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(x:Incident) | x.incident_key]
       + [(p)-[:SUBJECT_OF|PROTECTS]-(o:Order) | o.order_key]
       + [(p)-[r:INTIMATE_PARTNER|EX_PARTNER|FAMILY|ASSOCIATE]-(:Person) | elementId(r)]
         AS events,
       [(p)-[r:SUSPECT_IN|OFFENDER_IN|VICTIM_IN|WITNESS_IN]->(:Incident) | type(r)]
       + [(p)-[r:SUBJECT_OF|PROTECTS]-(:Order) | type(r)] AS roles
ORDER BY key
"""


@pytest.fixture(scope="module")
def loaded(neo4j_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    from graph.driver import get_driver

    driver = get_driver()
    wipe(driver)
    root: Path = tmp_path_factory.mktemp("pull")
    synthesize(PEOPLE, SEED, root / "d")
    load_delivery(root / "d", driver)
    yield driver


def _joined(values: list[str | None]) -> str | None:
    vals = sorted({v for v in values if v})
    return "\x1f".join(vals) if vals else None


def test_pull_gives_each_record_what_a_per_record_read_gives(loaded: Driver) -> None:
    region = {
        r["code"]: r["region"]
        for r in read(
            "MATCH (a:Agency) RETURN a.agency_code AS code, a.region AS region", driver=loaded
        )
    }
    want = read(_PER_RECORD, driver=loaded)
    got = features.pull_records(loaded)
    assert list(got["unique_id"]) == [r["key"] for r in want]
    assert sum(len(r["events"]) for r in want) > 0
    assert sum(len(r["addresses"]) for r in want) > 0
    assert any("SUSPECT_IN" in r["roles"] for r in want)
    assert any("VICTIM_IN" in r["roles"] for r in want)
    for row, r in zip(got.to_dict("records"), want, strict=True):
        expected = {
            "unique_id": r["key"],
            "forename_raw": r["forename"],
            "surname_raw": r["surname"],
            "middle_raw": r["middle"],
            "dob": r["dob"].isoformat() if r["dob"] is not None else None,
            "gender_raw": r["gender"],
            "aliases_raw": _joined([canonical_full_name(a) for a in r["aliases"] or []]),
            "pnc_raw": r["pnc"],
            "agency_code": r["agency"],
            "identity_id": r["identity"],
            "method": r["method"],
            "model_version": r["version"],
            "address_raw": _joined([a for a, _ in r["addresses"]]),
            "postcode_raw": _joined([pc for _, pc in r["addresses"]]),
            "region": region.get(r["agency"]),
            "events": sorted(r["events"]) or None,
            "accused": any(role in features.ACCUSED_ROLES for role in r["roles"]),
            "victim": any(role in features.VICTIM_ROLES for role in r["roles"]),
        }
        row["events"] = sorted(row["events"]) if row["events"] is not None else None
        assert row == expected, r["key"]
    keys = [r["key"] for r in want[:25]]
    con = duckdb.connect()
    features.pull_keys(loaded, con, keys)
    by_key = features.raw_frame(con)
    by_key["events"] = [sorted(e) if e is not None else None for e in by_key["events"]]
    first = got[got["unique_id"].isin(keys)].reset_index(drop=True)
    first["events"] = [sorted(e) if e is not None else None for e in first["events"]]
    pd.testing.assert_frame_equal(by_key, first)


def test_baseline_resolve_links_but_raises_no_relink_alert(loaded: Driver) -> None:
    before = {k: v[0] for k, v in _graph_identities(loaded).items()}
    summary = resolve(loaded, baseline=True, count_pairs=False)
    after = {k: v[0] for k, v in _graph_identities(loaded).items()}
    moved = sum(before[k] != after[k] for k in after)
    assert moved > 0 and summary.alerts_withheld == moved and summary.alerts_raised == 0
    rows = read(
        "MATCH (a:Alert {rule: 'same_person_new_force'}) RETURN count(a) AS n", driver=loaded
    )
    assert rows[0]["n"] == 0


def _graph_identities(driver: Driver) -> dict[str, list[str]]:
    rows = read(
        "MATCH (p:Person)-[r:RESOLVES_TO]->(i:Identity) "
        "RETURN p.person_key AS k, i.identity_id AS i, r.method AS m",
        driver=driver,
    )
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["k"], []).append(r["i"])
    return out


def _assign(keys: list[str], clusters: list[list[str]]) -> pd.DataFrame:
    """Assignments as the clustering gives them: the least record's `ID:key`, method initial
    for a singleton."""
    rows = []
    for members in clusters:
        ident = f"ID:{min(members)}"
        for k in members:
            single = len(members) == 1
            rows.append((k, ident, "initial" if single else "model", None if single else 0.97))
    frame = pd.DataFrame(rows, columns=["unique_id", "identity_id", "method", "probability"])
    assert sorted(frame["unique_id"]) == sorted(keys)
    return frame


@pytest.mark.parametrize("seed", range(3))
def test_writer_leaves_exactly_the_assigned_identities(loaded: Driver, seed: int) -> None:
    rng = random.Random(seed)
    keys = sorted(_graph_identities(loaded))
    for _ in range(3):  # first resolve, then merges, splits and moves between identities
        shuffled = keys[:]
        rng.shuffle(shuffled)
        clusters, i = [], 0
        while i < len(shuffled):
            n = rng.choice([1, 1, 2, 3, 5])
            clusters.append(sorted(shuffled[i : i + n]))
            i += n
        assigned = _assign(keys, clusters)
        current = features.pull_records(loaded)[
            ["unique_id", "identity_id", "method", "model_version"]
        ]
        changed = changes(assigned, current, "test-v1")
        sizes = assigned["identity_id"].value_counts()
        summary = write_identities(loaded, changed, sizes)
        assert summary.relinked == len(changed)
        now = _graph_identities(loaded)
        assert all(len(v) == 1 for v in now.values())
        want = dict(zip(assigned["unique_id"], assigned["identity_id"], strict=True))
        assert {k: v[0] for k, v in now.items()} == want
        counts = read(
            "MATCH (i:Identity) RETURN i.identity_id AS i, i.record_count AS n, "
            "COUNT { (:Person)-[:RESOLVES_TO]->(i) } AS linked",
            driver=loaded,
        )
        assert {r["i"]: r["n"] for r in counts} == dict(Counter(want.values()))
        assert all(r["n"] == r["linked"] for r in counts)
        links = read(
            "MATCH (p:Person)-[r:RESOLVES_TO]->() "
            "RETURN p.person_key AS k, r.method AS m, r.probability AS p, r.model_version AS v",
            driver=loaded,
        )
        stamped = {r["k"]: (r["m"], r["p"], r["v"]) for r in links}
        assert stamped == {  # moved and staying records alike carry their new link's stamp
            k: (m, None if pd.isna(p) else p, None if m == "initial" else "test-v1")
            for k, m, p in zip(
                assigned["unique_id"], assigned["method"], assigned["probability"], strict=True
            )
        }
        again = changes(
            assigned,
            features.pull_records(loaded)[["unique_id", "identity_id", "method", "model_version"]],
            "test-v1",
        )
        assert again.empty  # a re-run on the same assignment writes nothing
