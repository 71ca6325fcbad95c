"""Every saved query on the real Neo4j, against the hand-worked scenario in `scenario.py`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver
from typer.testing import CliRunner

from app.cli import cli
from graph.registry import SavedQuery, load
from graph.runner import BadParameter, QueryResult, QueryTimeout, bind, plain, run, sent
from tests.graph.graphs import build
from tests.graph.scenario import SCENARIO

AS_OF = "2022-06-01"
PERSON = {"person": "F1:P1", "a": "F1:P1", "b": "F1:Q1"}
ISSUE_4 = {
    "serial_perpetrators", "matac_serial", "rfgv_ranking", "victim_chain",
    "cross_force_perpetrators", "disclosure_check", "order_breaches", "active_orders",
    "obligation_compliance", "shared_addresses", "agencies_involved", "shortest_path",
    "neighbourhood",
}


@pytest.fixture
def scenario(db: Driver) -> Iterator[Driver]:
    build(db, SCENARIO)
    yield db


def q(name: str, **params: Any) -> list[dict[str, Any]]:
    return run(name, params).rows


def driver_rows(db: Driver, query: SavedQuery, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows as the driver's own `Record.data()` gives them, made plain: what the runner's
    one-pass conversion must equal."""
    with db.session() as s:
        records = s.run(query.cypher, sent(query, bind(query, params))).data()  # type: ignore[arg-type]
    return [{k: plain(v) for k, v in r.items()} for r in records]


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [r["identity_id"] for r in rows]


@pytest.mark.parametrize("query", list(load()), ids=lambda x: x.name)
def test_every_query_runs_and_every_person_row_carries_identity(
    scenario: Driver, query: SavedQuery
) -> None:
    params = {k: v for k, v in PERSON.items() if query.param(k)}
    if query.param("as_of"):
        params["as_of"] = AS_OF
    result = run(query.name, params)
    if query.name in ISSUE_4:  # queries added by other work may need data of their own
        assert result.rows, f"{query.name} returned nothing on the scenario"
    json.dumps(result.rows)  # plain values only
    assert result.rows == driver_rows(scenario, query, params)
    for row in result.rows:
        if "identity_id" in row and row["identity_id"] is not None:
            assert row["record_keys"] == sorted(row["record_keys"])


def test_serial_perpetrators_tiers(scenario: Driver) -> None:
    rows = q("serial_perpetrators")
    assert [(r["identity_id"], r["tier"], r["victims"]) for r in rows] == [
        ("H1", "serial", 4), ("ID:F1:Q1", "at_risk", 2)]
    h1 = rows[0]
    assert h1["record_keys"] == ["F1:P1", "F2:P9", "PR:P7"]
    assert h1["outcome_types"] == ["conviction"] and h1["order_types"] == ["RO", "SPO"]
    assert h1["forces"] == ["Alpha Constabulary", "Beta Police"]
    assert rows[1]["notices"] == ["DVPN"]
    assert ids(q("serial_perpetrators", tiers=["at_risk"])) == ["ID:F1:Q1"]
    assert ids(q("serial_perpetrators", min_victims=3)) == ["H1"]


def test_victim_chain_orders_victims_by_first_offence(scenario: Driver) -> None:
    for person in ("H1", "F2:P9", "PR:P7"):
        rows = q("victim_chain", person=person)
        assert ids(rows) == ["ID:F1:V1", "HV2", "ID:C1:V4", "ID:F1:V3"]
    assert [r["first_date"] for r in rows] == ["2018-03-01", "2020-05-30", "2020-07-01",
                                               "2021-01-10"]
    assert [r["n"] for r in rows] == [1, 2, 3, 4]
    assert [r["escalation"] for r in rows] == [False, True, False, True]
    assert rows[1]["record_keys"] == ["F1:V2b", "F2:V2"]
    assert rows[1]["forces"] == ["Alpha Constabulary", "Beta Police"]
    assert q("victim_chain", person="nobody") == []


def test_chart_rows_number_victims_as_the_chain_does(scenario: Driver) -> None:
    """The link chart numbers his victims from its own rows (app.services.network.chain_order):
    the chain's order, with a victim known only from an order, one with two records, a
    non-DA incident left out, whichever of his records the chart is opened on."""
    from app.services.network import chain_order

    for person in ("H1", "F2:P9", "PR:P7", "ID:F1:Q1"):
        rows = q("neighbourhood", person=person, hops=2, limit=1000)
        chain = q("victim_chain", person=person)
        assert chain_order(rows) == [(r["identity_id"], r["perpetrator_id"]) for r in chain]
    assert [v for v, _ in chain_order(q("neighbourhood", person="H1", hops=2, limit=1000))] == [
        "ID:F1:V1", "HV2", "ID:C1:V4", "ID:F1:V3"]  # fmt: skip
    assert chain_order(q("neighbourhood", person="H1", hops=1, limit=1000)) == []


def test_matac_depends_on_the_date_and_on_victims_ages(scenario: Driver) -> None:
    assert ids(q("matac_serial", as_of=AS_OF)) == ["ID:F1:Q1"]
    assert ids(q("matac_serial", as_of="2020-06-01")) == ["H1"]
    assert ids(q("matac_serial", as_of="2021-02-01", min_age=0)) == ["H1"]
    assert q("matac_serial", as_of="2026-01-01") == []


def test_cross_force_lists_forces_with_dates(scenario: Driver) -> None:
    rows = q("cross_force_perpetrators")
    assert ids(rows) == ["H1"] and rows[0]["forces"] == ["Alpha Constabulary", "Beta Police"]
    beta = rows[0]["by_force"][1]
    assert (beta["first_date"], beta["last_date"], beta["orders"]) == ("2020-05-30",
                                                                       "2020-07-01", 1)


def test_rfgv_components_add_up(scenario: Driver) -> None:
    rows = q("rfgv_ranking", as_of=AS_OF)
    h1 = next(r for r in rows if r["identity_id"] == "H1")
    assert (h1["recency_days"], h1["incidents"], h1["harm_days"], h1["victims_count"]) == (
        507, 2, 90 + 730 + 120, 4)
    # Sliding points: 507 days lies between the bands 365 (6 points) and 730 (4), 940 harm days
    # between 365 (6) and 1095 (8); 2 incidents and 4 victims sit on band edges (4 and 7).
    recency, gravity = 6 - 2 * (507 - 365) / (730 - 365), 6 + 2 * (940 - 365) / (1095 - 365)
    assert (h1["recency"], h1["frequency"], h1["gravity"], h1["victims"]) == pytest.approx(
        (recency, 4, gravity, 7))
    assert h1["score"] == pytest.approx(
        recency * 0.25 + 4 * 0.25 + gravity * 0.3 + 7 * 0.2, abs=0.005)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    flat = {"window_years": 3, "recency": {"weight": 0, "bands": []},
            "frequency": {"weight": 0, "bands": []}, "victims": {"weight": 1, "bands": [
                {"upto": 2, "points": 1}, {"upto": 99, "points": 9}]},
            "gravity": {"weight": 0, "bands": [], "harm": {}, "default_days": 1,
                        "breach_days": 0}}
    assert [r["score"] for r in q("rfgv_ranking", as_of=AS_OF, rfgv=flat)] == [9, 1]


def test_disclosure_check_covers_every_record(scenario: Driver) -> None:
    (row,) = q("disclosure_check", person="F2:P9", as_of=AS_OF)
    assert row["identity_id"] == "H1"
    assert [v["identity_id"] for v in row["victims"]] == ["ID:F1:V1", "HV2", "ID:C1:V4",
                                                          "ID:F1:V3"]
    assert [c["incident_key"] for c in row["convictions"]] == ["F1:I1"]
    assert [c["incident_key"] for c in row["cautions"]] == ["F1:I4"]
    assert [(o["order_key"], o["active"]) for o in row["orders"]] == [("C1:O1", True),
                                                                      ("F2:O2", True)]
    assert [b["breach_key"] for b in row["breaches"]] == ["F2:B1"]
    assert row["forces"] == ["Alpha Constabulary", "Beta Police"]
    assert "Probation North" in row["agencies"]


def test_active_orders_and_breaches(scenario: Driver) -> None:
    rows = q("active_orders", person="H1", as_of=AS_OF)
    assert [r["order_key"] for r in rows] == ["F2:O2", "C1:O1"]
    assert rows[0]["breaches"] == 1 and rows[0]["last_breach"] == "2021-02-01"
    assert [p["identity_id"] for p in rows[0]["protected"]] == ["HV2", "ID:C1:V4"]
    assert [r["order_key"] for r in q("active_orders", person="F1:Q1",
                                      as_of="2022-02-04")] == ["F1:O3"]
    assert q("active_orders", person="F1:Q1", as_of=AS_OF) == []
    (b,) = q("order_breaches", order_types=["SPO"], to="2021-12-31")
    assert (b["breach_key"], b["identity_id"]) == ("F2:B1", "H1")
    assert q("order_breaches", **{"from": "2021-03-01"}) == []


def test_obligation_compliance_finds_missed_and_late(scenario: Driver) -> None:
    rows = q("obligation_compliance", as_of=AS_OF)
    found = [(r["obligation"], r["status"], r["event_date"], r["source_key"]) for r in rows]
    assert found == [
        ("address_change", "missed", "2021-06-01", "F2:A2"),
        ("travel_abroad", "late", "2021-09-01", "F2:N2"),
        ("new_relationship", "missed", "2022-05-01", "ID:F2:V6"),
    ]
    assert rows[0]["detected_by"] == "Probation North" and rows[1]["days_late"] == 16
    wide = q("obligation_compliance", as_of=AS_OF, window_days=30)
    assert [r["obligation"] for r in wide] == ["address_change", "new_relationship"]


def test_the_register_holds_each_man_once_with_all_his_notifications(scenario: Driver) -> None:
    """H1 notified two things of two types: one row, both counted (it was a row per type)."""
    rows = q("obligations_register", as_of=AS_OF)
    assert len(rows) == len({r["identity_id"] for r in rows})
    (h1,) = [r for r in rows if r["identity_id"] == "H1"]
    assert h1["notifications"] == 2 and h1["last_notified"] == "2021-09-20"
    assert h1["notified_types"] == ["address_change", "travel_abroad"]


def test_shared_addresses_agencies_and_paths(scenario: Driver) -> None:
    (a,) = q("shared_addresses")
    assert a["address_key"] == "F1:A1" and [r["identity_id"] for r in a["residents"]] == [
        "H1", "HV2"]
    agencies = q("agencies_involved", person="H1")
    assert [r["agency_code"] for r in agencies] == ["F1", "F2", "C1", "PR"]
    path = q("shortest_path", a="H1", b="F1:Q1")
    assert path[0]["key"] == "H1" and path[-1]["key"] == "ID:F1:Q1"
    assert {r["length"] for r in path} == {6} and len(path) == 7
    assert q("shortest_path", a="H1", b="F1:Q1", max_hops=5) == []
    assert len(q("shortest_path", a="H1", b="F1:P1")) == 1


def test_shortest_path_under_a_small_budget_says_how_far_it_searched(scenario: Driver) -> None:
    assert {r["searched"] for r in q("shortest_path", a="H1", b="F1:Q1")} == {6}
    (row,) = q("shortest_path", a="H1", b="F1:Q1", budget=12)
    assert row["step"] is None and row["length"] is None and 0 < row["searched"] < 6
    steps = f"{row['searched']} step{'s' * (row['searched'] != 1)}"
    assert row["caption"].startswith(f"no path within {steps} (the search stopped")


def test_neighbourhood_filters(scenario: Driver) -> None:
    one = {r["key"] for r in q("neighbourhood", person="H1")}
    assert {"F1:I1", "F2:I2", "F1:I3", "C1:O1", "F1:A1", "F1:V2b"} <= one
    two = q("neighbourhood", person="F1:P1", hops=2, labels=["Person", "Incident"],
            date_to="2020-12-31")
    keys = {r["key"] for r in two}
    assert "F1:I3" not in keys and "F2:V6" not in keys and {"F1:V1", "F2:V2"} <= keys
    assert {r["label"] for r in two if r["hops"] > 0} == {"Person", "Incident"}
    police = {r["key"] for r in q("neighbourhood", person="H1", forces=["F2"])}
    assert "F1:I1" not in police and "F2:I2" in police
    links = next(r for r in two if r["key"] == "F1:P1")["links"]
    assert {"type": "SUSPECT_IN", "to": "F1:I1"} in links
    with pytest.raises(BadParameter):
        q("neighbourhood", person="H1", rel_types=["SUPPLIED_BY"])


def test_row_cap_and_timeout(scenario: Driver, tmp_path: Path) -> None:
    result: QueryResult = run("victim_chain", {"person": "H1"}, row_cap=2)
    assert len(result.rows) == 2 and result.truncated
    (tmp_path / "slow.cypher").write_text(
        "// name: slow\n// title: Slow\n// description: Spins.\n// audience: test\n"
        "// mode: read\n// scope: population\n// returns: one row\n"
        "UNWIND range(1, 200000000) AS x WITH x WHERE x % 7 = 99 RETURN count(x) AS n\n")
    with pytest.raises(QueryTimeout):
        run("slow", library=load([tmp_path]), timeout_s=0.5)


def test_rows_hold_nodes_relationships_and_paths_as_the_driver_gives_them(
    scenario: Driver, tmp_path: Path
) -> None:
    (tmp_path / "shapes.cypher").write_text(
        "// name: shapes\n// title: Shapes\n// description: Graph values.\n// audience: test\n"
        "// mode: read\n// scope: person\n// returns: one row\n"
        "MATCH p = (a:Person {person_key: 'F1:P1'})-[r:RESOLVES_TO]->(:Identity)\n"
        "RETURN a, r, p, [a, date('2020-01-02')] AS l, {n: a, d: date('2020-01-03')} AS m\n")
    library = load([tmp_path])
    rows = run("shapes", library=library).rows
    assert rows == driver_rows(scenario, library.get("shapes"), {})
    assert rows[0]["m"]["d"] == "2020-01-03" and rows[0]["a"]["person_key"] == "F1:P1"


@pytest.fixture
def analyst(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """A CLI analyst with a stated purpose, in a users store of this test's own."""
    from app.security import users
    from app.settings import get_api_settings

    monkeypatch.setenv("SERIALWATCH_DB", str(tmp_path / "users.db"))
    monkeypatch.setenv("SERIALWATCH_SECRET_KEY", "k" * 40 + "synthetic-test-secret")
    monkeypatch.setenv("SERIALWATCH_USER", "cli.analyst")
    monkeypatch.setenv("SERIALWATCH_PASSWORD", "synthetic-only-password")
    monkeypatch.setenv("SERIALWATCH_PURPOSE", "synthetic scenario check")
    get_api_settings.cache_clear()
    users.add("cli.analyst", "analyst", "synthetic-only-password")
    yield
    get_api_settings.cache_clear()


def test_cli_runs_a_query_as_json_and_csv(scenario: Driver, analyst: None) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["query", "run", "victim_chain", "-p", "person=H1", "--format",
                              "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    assert [r["identity_id"] for r in rows][:2] == ["ID:F1:V1", "HV2"]
    out = runner.invoke(cli, ["query", "run", "victim_chain", "-p", "person=H1", "-f", "csv"])
    assert out.stdout.splitlines()[2].startswith("2,H1,HV2,F1:V2b;F2:V2,")
    bad = runner.invoke(cli, ["query", "run", "victim_chain", "-p", "who=H1"])
    assert bad.exit_code == 1 and "has no parameter who" in bad.output
    assert runner.invoke(cli, ["query", "show", "matac_serial"]).exit_code == 0
    assert "victim_chain" in runner.invoke(cli, ["query", "list"]).stdout
