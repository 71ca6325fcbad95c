"""Alert rules on the real Neo4j: each fires when it should and stays quiet when it should not;
the same evidence never raises twice; statuses and watchlists work."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graph import alerts as al
from ingest.transactional import load_delivery
from tests.ingest.deliveries import write_delivery

AGENCIES = [
    {"agency_code": "NTH", "name": "Northshire Police", "type": "police_force"},
    {"agency_code": "STH", "name": "Southshire Police", "type": "police_force"},
]


def person(key: str, surname: str, forename: str, gender: str = "F") -> dict[str, str]:
    return {
        "person_key": key,
        "agency_code": key.split(":")[0],
        "surname": surname,
        "forename": forename,
        "gender": gender,
        "date_of_birth": "1985-05-05",
    }


def incident(key: str, date: str, outcome: str = "nfa") -> dict[str, str]:
    return {
        "incident_key": key,
        "agency_code": key.split(":")[0],
        "reported_date": date,
        "category": "domestic_abuse",
        "outcome": outcome,
    }


def parties(inc: str, suspect: str, victim: str) -> list[dict[str, str]]:
    return [
        {"incident_key": inc, "person_key": suspect, "role": "suspect"},
        {"incident_key": inc, "person_key": victim, "role": "victim"},
    ]


def base(folder: Path, victims: int = 2, convicted: bool = True) -> Path:
    """Perpetrator NTH:P1 with `victims` victims; the first incident ends in a conviction."""
    people = [person("NTH:P1", "Marlow", "Dean", "M")]
    incidents, links = [], []
    for n in range(1, victims + 1):
        people.append(person(f"NTH:V{n}", f"Victimson{n}", "Ann"))
        outcome = "conviction" if convicted and n == 1 else "nfa"
        incidents.append(incident(f"NTH:I{n}", f"2020-0{n}-01", outcome))
        links += parties(f"NTH:I{n}", "NTH:P1", f"NTH:V{n}")
    return write_delivery(
        folder,
        {
            "agencies.csv": AGENCIES,
            "persons.csv": people,
            "incidents.csv": incidents,
            "incident_parties.csv": links,
        },
    )


def rules_of(ids: list[str]) -> list[str]:
    by_id = {a["alert_id"]: a for a in al.alerts()}
    return sorted(by_id[i]["rule"] for i in ids)


def test_a_new_partner_of_a_serial_perpetrator_raises_exactly_one_alert_once(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(base(tmp_path / "one"), db)
    follow_up = write_delivery(
        tmp_path / "two",
        {
            "persons.csv": [person("STH:W1", "Newlove", "Cara")],
            "relationships.csv": [
                {
                    "person_key": "NTH:P1",
                    "other_key": "STH:W1",
                    "type": "intimate_partner",
                    "from_date": "2025-06-01",
                    "agency_code": "STH",
                }
            ],
        },
    )
    first = load_delivery(follow_up, db)
    assert rules_of(first.alerts) == ["new_victim_or_partner"]
    alert = next(a for a in al.alerts() if a["alert_id"] == first.alerts[0])
    assert alert["identity_id"] == "ID:NTH:P1"
    assert alert["evidence"] == ["NTH:P1|intimate_partner|STH:W1|2025-06-01"]
    assert alert["status"] == "new" and alert["owner"] == "STH"
    assert load_delivery(follow_up, db).alerts == []


def test_no_partner_alert_for_a_man_with_one_victim_and_no_order(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(base(tmp_path / "one", victims=1), db)
    follow_up = write_delivery(
        tmp_path / "two",
        {
            "persons.csv": [person("STH:W1", "Newlove", "Cara")],
            "relationships.csv": [
                {
                    "person_key": "NTH:P1",
                    "other_key": "STH:W1",
                    "type": "intimate_partner",
                    "from_date": "2025-06-01",
                }
            ],
        },
    )
    assert load_delivery(follow_up, db).alerts == []


def test_a_repeat_incident_against_a_known_victim_is_not_a_new_victim(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(base(tmp_path / "one"), db)
    again = write_delivery(
        tmp_path / "two",
        {
            "incidents.csv": [incident("STH:I9", "2024-01-01")],
            "incident_parties.csv": parties("STH:I9", "NTH:P1", "NTH:V1"),
        },
    )
    assert load_delivery(again, db).alerts == []


def test_crossing_the_serial_threshold_raises_a_category4_alert(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one", victims=1), db)
    second_victim = write_delivery(
        tmp_path / "two",
        {
            "persons.csv": [person("STH:V7", "Second", "Beth")],
            "incidents.csv": [incident("STH:I7", "2024-03-01")],
            "incident_parties.csv": parties("STH:I7", "NTH:P1", "STH:V7"),
        },
    )
    raised = load_delivery(second_victim, db).alerts
    assert rules_of(raised) == ["new_category4", "new_victim_or_partner"]
    cat4 = next(a for a in al.alerts(rule="new_category4"))
    assert cat4["evidence"] == ["STH:I7"] and "1 -> 2" in cat4["summary"]


def test_an_already_serial_perpetrator_is_not_a_new_category4_candidate(
    db: Driver, tmp_path: Path
) -> None:
    load_delivery(base(tmp_path / "one", victims=2), db)
    third = write_delivery(
        tmp_path / "two",
        {
            "persons.csv": [person("STH:V8", "Third", "Cleo")],
            "incidents.csv": [incident("STH:I8", "2024-03-01")],
            "incident_parties.csv": parties("STH:I8", "NTH:P1", "STH:V8"),
        },
    )
    assert rules_of(load_delivery(third, db).alerts) == ["new_victim_or_partner"]


def order_delivery(folder: Path, end: str = "") -> Path:
    return write_delivery(
        folder,
        {
            "orders.csv": [
                {
                    "order_key": "NTH:O1",
                    "order_type": "SPO",
                    "subject_key": "NTH:P1",
                    "issued_date": "2023-01-01",
                    "start_date": "2023-01-01",
                    "end_date": end,
                }
            ],
            "order_protected.csv": [{"order_key": "NTH:O1", "person_key": "NTH:V1"}],
        },
    )


def test_breach_and_contact_while_an_order_is_in_force(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(order_delivery(tmp_path / "order"), db)
    breach = write_delivery(
        tmp_path / "breach",
        {
            "breaches.csv": [
                {"breach_key": "NTH:B1", "order_key": "NTH:O1", "breach_date": "2024-02-02"}
            ],
            "incidents.csv": [incident("STH:I5", "2024-05-05")],
            "incident_parties.csv": parties("STH:I5", "NTH:P1", "NTH:V1"),
        },
    )
    raised = load_delivery(breach, db).alerts
    assert rules_of(raised) == ["order_breach", "order_breach"]
    kinds = sorted(a["summary"].split()[0] for a in al.alerts(rule="order_breach"))
    assert kinds == ["breach", "contact"]


def test_no_contact_alert_after_the_order_ended(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(order_delivery(tmp_path / "order", end="2023-06-30"), db)
    later = write_delivery(
        tmp_path / "later",
        {
            "incidents.csv": [incident("STH:I5", "2024-05-05")],
            "incident_parties.csv": parties("STH:I5", "NTH:P1", "NTH:V1"),
        },
    )
    assert load_delivery(later, db).alerts == []


def move(folder: Path, notified: str | None) -> Path:
    files = {
        "addresses.csv": [{"address_key": "STH:A1", "line1": "1 Quay Row", "postcode": "SO1 1AA"}],
        "residences.csv": [
            {
                "person_key": "NTH:P1",
                "address_key": "STH:A1",
                "from_date": "2024-04-01",
                "agency_code": "STH",
            }
        ],
    }
    if notified:
        files["notifications.csv"] = [
            {
                "notification_key": "NTH:N1",
                "person_key": "NTH:P1",
                "type": "address_change",
                "notified_date": notified,
                "event_date": "2024-04-01",
                "agency_code": "NTH",
            }
        ]
    return write_delivery(folder, files)


def test_a_move_under_an_spo_with_no_notification_is_missed(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(order_delivery(tmp_path / "order"), db)
    assert rules_of(load_delivery(move(tmp_path / "move", None), db).alerts) == [
        "missed_notification"
    ]


def test_a_notified_move_raises_nothing(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    load_delivery(order_delivery(tmp_path / "order"), db)
    assert load_delivery(move(tmp_path / "move", "2024-04-02"), db).alerts == []


def test_watchlist_alerts_only_for_followed_identities(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one"), db)
    al.watch("ID:NTH:V2", "caseworker.kim")
    touching = write_delivery(
        tmp_path / "two",
        {
            "notifications.csv": [
                {
                    "notification_key": "NTH:N5",
                    "person_key": "NTH:V2",
                    "type": "address_change",
                    "notified_date": "2025-01-01",
                }
            ],
        },
    )
    raised = load_delivery(touching, db).alerts
    assert rules_of(raised) == ["watchlist"]
    assert al.alerts(rule="watchlist")[0]["owner"] == "caseworker.kim"
    al.watch("ID:NTH:V2", "officer.lee")  # a second follower gets his own alert
    assert rules_of(load_delivery(touching, db).alerts) == ["watchlist"]
    assert sorted(a["owner"] for a in al.alerts(rule="watchlist")) == [
        "caseworker.kim",
        "officer.lee",
    ]
    al.unwatch("ID:NTH:V2", "officer.lee")
    al.unwatch("ID:NTH:V2", "caseworker.kim")
    other = write_delivery(
        tmp_path / "three",
        {
            "notifications.csv": [
                {
                    "notification_key": "NTH:N6",
                    "person_key": "NTH:V2",
                    "type": "address_change",
                    "notified_date": "2025-02-01",
                }
            ],
        },
    )
    assert load_delivery(other, db).alerts == []


def test_statuses_are_recorded_with_who_and_why(db: Driver, tmp_path: Path) -> None:
    load_delivery(base(tmp_path / "one", victims=1), db)
    raised = load_delivery(
        write_delivery(
            tmp_path / "two",
            {
                "persons.csv": [person("STH:V7", "Second", "Beth")],
                "incidents.csv": [incident("STH:I7", "2024-03-01")],
                "incident_parties.csv": parties("STH:I7", "NTH:P1", "STH:V7"),
            },
        ),
        db,
    ).alerts
    first, second = raised
    al.set_status(first, "acknowledged", "officer.lee")
    done = al.set_status(first, "actioned", "officer.lee")
    assert done["status"] == "actioned"
    assert [h.split(" ", 1)[1] for h in done["history"]] == [
        "new",
        "acknowledged by officer.lee",
        "actioned by officer.lee",
    ]
    with pytest.raises(al.AlertError, match="needs a reason"):
        al.set_status(second, "dismissed", "officer.lee")
    dismissed = al.set_status(second, "dismissed", "officer.lee", "duplicate of a MARAC referral")
    assert dismissed["history"][-1].endswith(
        "dismissed by officer.lee: duplicate of a MARAC referral"
    )
    with pytest.raises(al.AlertError, match="no alert"):
        al.set_status("AL-missing", "actioned", "officer.lee")


def test_register_lists_obligations_notifications_and_compliance(
    db: Driver, tmp_path: Path
) -> None:
    from graph.runner import run

    load_delivery(base(tmp_path / "one"), db)
    load_delivery(order_delivery(tmp_path / "order"), db)
    load_delivery(move(tmp_path / "move", None), db)
    rows = run("obligations_register", {"as_of": "2025-01-01"}).rows
    assert [r["identity_id"] for r in rows] == ["ID:NTH:P1"]
    row = rows[0]
    assert row["category4"] is True and row["duty_orders"] == ["NTH:O1"]
    assert "notify a move" in row["obligations"]
    assert row["status"] == "non_compliant" and row["open_missed"] == 1
    assert row["next_due"] == "2024-04-04"
    missed = al.alerts(rule="missed_notification")[0]["alert_id"]
    al.set_status(missed, "dismissed", "officer.lee", "notified by phone; record to follow")
    assert run("obligations_register", {"as_of": "2025-01-01"}).rows[0]["status"] == "compliant"


def test_an_open_alert_alone_puts_no_one_on_the_register(db: Driver, tmp_path: Path) -> None:
    """The register orders by open missed-notification alerts, counted from the alerts' side;
    a man whose duty order has ended, and who is not serial, is off it, open alert or not."""
    from graph.runner import run

    load_delivery(base(tmp_path / "one", victims=1), db)
    load_delivery(order_delivery(tmp_path / "order", end="2024-12-31"), db)
    load_delivery(move(tmp_path / "move", None), db)
    assert [a["status"] for a in al.alerts(rule="missed_notification")] == ["new"]
    listed = {day: [r["identity_id"] for r in run("obligations_register", {"as_of": day}).rows]
              for day in ("2024-12-31", "2025-01-01")}  # fmt: skip
    assert listed == {"2024-12-31": ["ID:NTH:P1"], "2025-01-01": []}


def test_a_man_serial_through_a_woman_his_order_protected_is_on_the_register(
    db: Driver, tmp_path: Path
) -> None:
    """Category 4 counts the persons his orders protect as his victims, as serial_perpetrators
    does: one DA victim (a conviction) and a second woman his ended order protected."""
    from graph.runner import run

    load_delivery(base(tmp_path / "one", victims=1), db)
    load_delivery(write_delivery(tmp_path / "order", {
        "persons.csv": [person("NTH:V9", "Protected", "Nina")],
        "orders.csv": [{"order_key": "NTH:O9", "order_type": "NMO", "subject_key": "NTH:P1",
                        "issued_date": "2023-01-01", "start_date": "2023-01-01",
                        "end_date": "2023-06-30"}],
        "order_protected.csv": [{"order_key": "NTH:O9", "person_key": "NTH:V9"}],
    }), db)  # fmt: skip
    assert [r["identity_id"] for r in run("serial_perpetrators").rows] == ["ID:NTH:P1"]
    rows = run("obligations_register", {"as_of": "2025-01-01"}).rows
    assert [(r["identity_id"], r["category4"], r["duty_orders"]) for r in rows] == [
        ("ID:NTH:P1", True, [])]
