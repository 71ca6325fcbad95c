"""Property: for random small deliveries, graph counts equal row counts minus rejects."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import Driver

from ingest.transactional import load_delivery
from tests.conftest import wipe
from tests.graphdump import count_label, count_type
from tests.ingest.deliveries import csv_rows, rejects, write_delivery

codes = st.sampled_from(["AAA", "BBB", "ZZZ"])  # ZZZ is never supplied: dangling
keys = st.integers(0, 12).map(lambda i: f"AAA:P{i}")  # a small pool: duplicates happen
dates = st.sampled_from(["1980-01-31", "2001-02-29", "1999-12-01", "", "31/12/1999"])

agency = st.fixed_dictionaries(
    {
        "agency_code": codes,
        "name": st.sampled_from(["A force", ""]),
        "type": st.sampled_from(["police_force", "probation", "spaceport"]),
    }
)
person = st.fixed_dictionaries(
    {
        "person_key": keys,
        "agency_code": codes,
        "surname": st.sampled_from(["Hale", "", "Oakes"]),
        "date_of_birth": dates,
        "gender": st.sampled_from(["M", "F", "", "?"]),
    }
)
incident = st.fixed_dictionaries(
    {
        "incident_key": st.integers(0, 6).map(lambda i: f"AAA:I{i}"),
        "agency_code": codes,
        "reported_date": dates,
        "category": st.sampled_from(["domestic_abuse", "stalking", "theft"]),
    }
)
party = st.fixed_dictionaries(
    {
        "incident_key": st.integers(0, 7).map(lambda i: f"AAA:I{i}"),
        "person_key": keys,
        "role": st.sampled_from(["suspect", "victim", "witness", "judge"]),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    agencies=st.lists(agency, max_size=4),
    persons=st.lists(person, max_size=12),
    incidents=st.lists(incident, max_size=8),
    parties=st.lists(party, max_size=15),
)
def test_graph_counts_equal_rows_minus_rejects(
    db: Driver,
    agencies: list[dict[str, str]],
    persons: list[dict[str, str]],
    incidents: list[dict[str, str]],
    parties: list[dict[str, str]],
) -> None:
    wipe(db)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_delivery(
            Path(tmp),
            {
                "agencies.csv": agencies,
                "persons.csv": persons,
                "incidents.csv": incidents,
                "incident_parties.csv": parties,
            },
        )
        summary = load_delivery(folder, db)

        def kept(name: str) -> int:
            return csv_rows(folder / name) - len(rejects(folder, name))

        assert count_label(db, "Agency") == kept("agencies.csv")
        assert count_label(db, "Person") == kept("persons.csv")
        assert count_label(db, "Incident") == kept("incidents.csv")
        roles = ["SUSPECT_IN", "VICTIM_IN", "WITNESS_IN", "OFFENDER_IN"]
        assert sum(count_type(db, t) for t in roles) == kept("incident_parties.csv")
        total_rows = sum(
            csv_rows(folder / n)
            for n in ("agencies.csv", "persons.csv", "incidents.csv", "incident_parties.csv")
        )
        assert sum(f.rows for f in summary.files) == total_rows
