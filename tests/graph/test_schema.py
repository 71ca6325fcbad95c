"""The schema migrations on the real server: constraints exist, migrations apply once."""

from __future__ import annotations

import pytest
from neo4j import Driver

from graph.driver import read, write
from graph.errors import MigrationError
from graph.schema import applied, apply_pending, available

KEYS = {
    "Agency": "agency_code",
    "Person": "person_key",
    "Identity": "identity_id",
    "Address": "address_key",
    "Incident": "incident_key",
    "Order": "order_key",
    "Breach": "breach_key",
    "Notification": "notification_key",
}


def test_every_record_key_has_a_uniqueness_constraint(db: Driver) -> None:
    rows = read("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN *", driver=db)
    unique = {
        (r["labelsOrTypes"][0], r["properties"][0]) for r in rows if r["type"] == "UNIQUENESS"
    }
    assert set(KEYS.items()) <= unique


def test_duplicate_key_is_refused_by_the_constraint(db: Driver) -> None:
    write("CREATE (:Person {person_key: 'T:1'})", driver=db)
    with pytest.raises(Exception, match="already exists"):
        write("CREATE (:Person {person_key: 'T:1'})", driver=db)


def test_search_indexes_exist(db: Driver) -> None:
    rows = read("SHOW INDEXES YIELD name, type RETURN name, type", driver=db)
    kinds = {r["name"]: r["type"] for r in rows}
    assert kinds["person_names"] == "FULLTEXT"
    assert {"person_dob", "address_postcode"} <= kinds.keys()


def test_person_indexes_nothing_reads_are_dropped(db: Driver) -> None:
    """Every person write updates every person index, so one that no query seeks is pure
    cost (0007): names are searched through the full-text index, PNC ids in DuckDB."""
    rows = read("SHOW INDEXES YIELD name, labelsOrTypes RETURN name, labelsOrTypes", driver=db)
    person = {r["name"] for r in rows if r["labelsOrTypes"] == ["Person"]}
    assert person == {"person_key", "person_dob", "person_names"}


def test_migrations_apply_once_and_are_listed(db: Driver) -> None:
    assert apply_pending(db) == []  # the session fixture applied them already
    done = applied(db)
    assert list(done) == [m.id for m in available()]
    assert all(r["applied_at"] for r in done.values())


def test_dropped_index_is_not_recreated_by_an_applied_migration(db: Driver) -> None:
    """Applied means applied: the runner does not re-run it (and says so by returning [])."""
    first = available()[0]
    assert first.id in applied(db)
    assert first.id not in apply_pending(db)


def test_a_migration_edited_after_it_was_applied_is_refused(db: Driver) -> None:
    first = available()[0].id
    write("MATCH (m:SchemaMigration {id: $id}) SET m.checksum = 'edited'", {"id": first}, driver=db)
    try:
        with pytest.raises(MigrationError, match="edited after it was applied"):
            apply_pending(db)
    finally:
        write(
            "MATCH (m:SchemaMigration {id: $id}) SET m.checksum = $c",
            {"id": first, "c": available()[0].checksum},
            driver=db,
        )


def test_fulltext_index_finds_names_and_aliases(db: Driver) -> None:
    write(
        "CREATE (:Person {person_key: 'T:2', full_name: 'Darren Pettigrew', "
        "alias_text: 'Daz Pettigrew'})",
        driver=db,
    )
    write("CALL db.awaitIndexes(60)", driver=db)
    rows = read(
        "CALL db.index.fulltext.queryNodes('person_names', $q) YIELD node "
        "RETURN node.person_key AS k",
        {"q": "daz"},
        driver=db,
    )
    assert rows == [{"k": "T:2"}]
