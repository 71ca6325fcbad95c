"""The inbox on the real Neo4j: one item per perpetrator, ranked with its reasons, routed to
the area of its newest evidence, escalated when overdue; a baseline load's old history never
reaches it; resolution merging two men's identities folds their items."""

from __future__ import annotations

from pathlib import Path

from neo4j import Driver

from graph import alert_items as items
from graph import alerts as al
from graph.driver import read, write
from ingest.transactional import load_delivery
from tests.alerts.test_alerts import AGENCIES, base, incident, parties, person
from tests.ingest.deliveries import write_delivery


def partner(folder: Path, who: str, date: str = "2025-06-01") -> Path:
    """A follow-up delivery: Southshire records a new intimate partner of NTH:P1."""
    return write_delivery(
        folder,
        {
            "persons.csv": [person(who, "Newlove", "Cara")],
            "relationships.csv": [
                {"person_key": "NTH:P1", "other_key": who, "type": "intimate_partner",
                 "from_date": date, "agency_code": "STH"}
            ],
        },
    )  # fmt: skip


def breach(folder: Path) -> Path:
    """A follow-up delivery: an order protecting NTH:V1 from NTH:P1, in force, and its breach."""
    return write_delivery(
        folder,
        {
            "orders.csv": [
                {"order_key": "NTH:O1", "order_type": "DVPO", "subject_key": "NTH:P1",
                 "issued_date": "2025-01-10", "start_date": "2025-01-10", "agency_code": "NTH"}
            ],
            "order_protected.csv": [{"order_key": "NTH:O1", "person_key": "NTH:V1"}],
            "breaches.csv": [
                {"breach_key": "NTH:B1", "order_key": "NTH:O1", "breach_date": "2025-06-20",
                 "agency_code": "NTH"}
            ],
        },
    )  # fmt: skip


def test_a_new_partner_puts_one_named_item_at_the_top_of_his_area(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(base(tmp_path / "one"), db)
    follow_up = partner(tmp_path / "two", "STH:W1")
    load_delivery(follow_up, db)
    mine = [i for i in items.items(area="STH") if i["identity_id"] == "ID:NTH:P1"]
    assert len(mine) == 1
    item = mine[0]
    assert items.items(area="STH", limit=1)[0]["item_id"] == item["item_id"]
    assert item["name"] == "Dean Marlow" and item["owner"] == "STH"
    assert "new_victim_or_partner" in item["rules"]
    assert any(r.startswith("new victim or partner +") for r in item["reasons"])
    detail = items.item(item["item_id"])
    evidence = [e for a in detail["alerts"] for e in a["evidence"]]
    assert "NTH:P1|intimate_partner|STH:W1|2025-06-01" in evidence
    snapshot = items.items(status=None, limit=100)
    load_delivery(follow_up, db)  # a reload changes nothing
    assert items.items(status=None, limit=100) == snapshot


def test_a_second_rule_on_the_same_man_joins_his_open_item(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(partner(tmp_path / "two", "STH:W1"), db)
    load_delivery(breach(tmp_path / "three"), db)
    open_items = [i for i in items.items() if i["identity_id"] == "ID:NTH:P1"]
    assert len(open_items) == 1
    assert {"new_victim_or_partner", "order_breach"} <= set(open_items[0]["rules"])
    assert open_items[0]["owner"] == "NTH"  # the area of the newest evidence (the breach)
    assert any(r.startswith("order breach +") for r in open_items[0]["reasons"])


def test_acknowledged_items_gather_no_more_and_new_evidence_opens_a_new_one(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(partner(tmp_path / "two", "STH:W1"), db)
    (first,) = [i for i in items.items() if i["identity_id"] == "ID:NTH:P1"]
    moved = items.set_status(first["item_id"], "acknowledged", "pc.synthetic")
    assert moved["status"] == "acknowledged"
    assert {a["status"] for a in items.item(first["item_id"])["alerts"]} == {"acknowledged"}
    load_delivery(partner(tmp_path / "three", "STH:W2", "2025-07-01"), db)
    (second,) = [i for i in items.items() if i["identity_id"] == "ID:NTH:P1"]
    assert second["item_id"] != first["item_id"]


def test_a_baseline_load_files_old_history_out_of_the_inbox(db: Driver, tmp_path: Path) -> None:
    recent = write_delivery(
        tmp_path / "one",
        {
            "agencies.csv": AGENCIES,
            "persons.csv": [
                *[person(k, s, "Ann") for k, s in (("NTH:V1", "Victimson1"),
                                                   ("NTH:V2", "Victimson2"))],
                person("NTH:P1", "Marlow", "Dean", "M"),
                person("STH:P9", "Quill", "Rory", "M"), person("STH:V9", "Ash", "Bea"),
                person("STH:V8", "Birch", "Cy"),
            ],
            "incidents.csv": [incident("NTH:I1", "2020-01-01", "conviction"),
                              incident("NTH:I2", "2020-02-01"),
                              incident("STH:I9", "2024-05-01", "conviction"),
                              incident("STH:I8", "2024-06-01")],
            "incident_parties.csv": [*parties("NTH:I1", "NTH:P1", "NTH:V1"),
                                     *parties("NTH:I2", "NTH:P1", "NTH:V2"),
                                     *parties("STH:I9", "STH:P9", "STH:V9"),
                                     *parties("STH:I8", "STH:P9", "STH:V8")],
        },
    )  # fmt: skip
    summary = load_delivery(recent, db)  # the first load into an empty graph: a baseline
    statuses = {a["identity_id"]: a["status"] for a in al.alerts(status=None)
                if a["alert_id"] in summary.alerts}  # fmt: skip
    assert statuses["ID:NTH:P1"] == "history"  # 2020 is years before the delivery's newest day
    assert statuses["ID:STH:P9"] == "new"  # his second victim falls inside the window
    assert [i["identity_id"] for i in items.items()] == ["ID:STH:P9"]
    assert load_delivery(recent, db, baseline=False).alerts == []  # filed, never raised again


def test_an_overdue_item_is_escalated(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(partner(tmp_path / "two", "STH:W1"), db)
    (item,) = [i for i in items.items() if i["identity_id"] == "ID:NTH:P1"]
    assert not item["overdue"] and not item["escalated"]
    write("MATCH (it:AlertItem {item_id: $id}) SET it.due_at = datetime() - duration('PT1H')",
          {"id": item["item_id"]})  # fmt: skip
    (late,) = [i for i in items.items() if i["item_id"] == item["item_id"]]
    assert late["overdue"]
    if item["band"] != "high":
        assert late["escalated"] and late["band"] != item["band"]
    assert items.count()["total"] == len(items.items(limit=1000))


def test_resolution_merging_two_identities_folds_their_items(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(partner(tmp_path / "two", "STH:W1"), db)
    # The same man, held by Southshire under another key, with a new partner of his own there.
    load_delivery(
        write_delivery(
            tmp_path / "three",
            {
                "persons.csv": [person("STH:P1", "Marlow", "Dean", "M"),
                                person("STH:W5", "Fern", "Di"), person("STH:W6", "Gale", "Em")],
                "incidents.csv": [incident("STH:I5", "2025-05-01"),
                                  incident("STH:I6", "2025-05-02")],
                "incident_parties.csv": [*parties("STH:I5", "STH:P1", "STH:W5"),
                                         *parties("STH:I6", "STH:P1", "STH:W6")],
            },
        ),
        db,
    )  # fmt: skip
    open_before = {i["identity_id"] for i in items.items()}
    assert {"ID:NTH:P1", "ID:STH:P1"} <= open_before
    write(  # what resolution does when it links the two records into one identity
        "MATCH (p:Person {person_key: 'STH:P1'})-[r:RESOLVES_TO]->(old:Identity) DELETE r "
        "WITH p, old MATCH (i:Identity {identity_id: 'ID:NTH:P1'}) MERGE (p)-[:RESOLVES_TO]->(i) "
        "WITH old DETACH DELETE old"
    )
    items.regroup()
    mine = [i for i in items.items() if i["identity_id"] == "ID:NTH:P1"]
    assert len(mine) == 1
    assert read("MATCH (it:AlertItem {status: 'new'}) RETURN count(it) AS n")[0]["n"] == len(
        items.items(limit=1000)
    )
