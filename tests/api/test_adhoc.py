"""Ad-hoc Cypher is judged by the server's plan, not by its text: procedures however quoted,
SHOW and TERMINATE commands, other databases and files are refused; answers are capped in rows
and bytes and say so; a statement the server's timeout does not stop is stopped anyway."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.settings import get_api_settings
from graph.driver import read

REFUSED = [
    "CALL `dbms`.`listConfig`()",
    "CALL `dbms`.listConfig() YIELD name RETURN name",
    "CALL `dbms`.`killConnections`(['bolt-1'])",
    "CALL `db`.`clearQueryCaches`()",
    "CALL db.`clearQueryCaches`",
    "CALL /* a */ `dbms` . `components` ()",
    "CALL { CALL `dbms`.`listConfig`() YIELD name RETURN name } RETURN name",
    "SHOW USERS",
    "SHOW SETTINGS",
    "show settings yield name, value return name, value",
    "SHOW TRANSACTIONS",
    "SHOW TRANSACTIONS YIELD currentQuery, parameters RETURN currentQuery, parameters",
    "SHOW PROCEDURES",
    "SHOW FUNCTIONS",
    "SHOW DATABASES",
    "SHOW INDEXES",
    "TERMINATE TRANSACTION 'neo4j-transaction-1'",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "USE system SHOW USERS",
    "USE system MATCH (n) RETURN n",
    "CREATE (:Person {person_key: 'X:1'})",
    "MATCH (n:Agency) CALL (n) { SET n.y = 1 } RETURN 1",
]


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set SERIALWATCH_ADHOC_* for one test; the settings are read afresh."""
    get_api_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_api_settings.cache_clear()


def cypher(client: TestClient, h: Any, statement: str, **params: Any) -> Any:
    return client.post(
        "/cypher", json={"cypher": statement, "params": params}, headers=h("analyst")
    )


@pytest.mark.parametrize("statement", REFUSED)
def test_statements_that_are_not_plain_reads_are_refused(
    statement: str, client: TestClient, graph: Any, h: Any
) -> None:
    before = read("MATCH (n) RETURN count(n) AS n", driver=graph)[0]["n"]
    r = cypher(client, h, statement)
    assert r.status_code == 422, (statement, r.text)
    assert isinstance(r.json()["detail"], str) and "Traceback" not in r.text
    assert read("MATCH (n) RETURN count(n) AS n", driver=graph)[0]["n"] == before


def test_a_refusal_names_the_canonical_procedure(client: TestClient, graph: Any, h: Any) -> None:
    r = cypher(client, h, "CALL `dbms`.`listConfig`()")
    assert "'dbms.listConfig'" in r.json()["detail"]


@pytest.mark.parametrize(
    "statement",
    [
        "CALL db.labels()",
        "CALL `db`.`labels`() YIELD label RETURN label",  # quoting changes nothing
        "MATCH (n:Agency) RETURN n.name AS name LIMIT 3",
        "CALL db.index.fulltext.queryNodes('person_names', 'a*') YIELD node RETURN count(node)",
    ],
)
def test_plain_reads_run(statement: str, client: TestClient, graph: Any, h: Any) -> None:
    r = cypher(client, h, statement)
    assert r.status_code == 200, r.text
    assert r.json()["rows"]


def test_rows_are_cut_at_the_row_cap_and_the_answer_says_so(
    client: TestClient, graph: Any, h: Any
) -> None:
    r = cypher(client, h, "UNWIND range(1, 5000) AS x RETURN x")
    body = r.json()
    assert r.status_code == 200 and len(body["rows"]) == 1000
    assert body["truncated"] is True and body["note"] == "cut at 1,000 rows"


def test_large_rows_are_cut_at_the_byte_cap(client: TestClient, graph: Any, h: Any) -> None:
    """1,000 rows of 512 kB each would be half a gigabyte: the answer stops near 5 MB."""
    r = cypher(
        client,
        h,
        "UNWIND range(1, 1000) AS i RETURN i, [x IN range(1, 52428) | 'abcdefghi'] AS big",
    )
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert len(r.content) <= 5 * (1 << 20) + 10_000
    assert 0 < len(body["rows"]) < 1000 and body["truncated"] is True
    assert body["note"].startswith("cut at 5 MB after ")


def test_a_statement_past_its_timeout_is_stopped_with_a_503(
    client: TestClient, graph: Any, h: Any, limits: pytest.MonkeyPatch
) -> None:
    """The server's timeout never fires inside `reduce`; the wait is bounded anyway, and the
    transaction is gone from the server afterwards."""
    limits.setenv("SERIALWATCH_ADHOC_TIMEOUT", "1")
    statement = "RETURN size(reduce(s = [], x IN range(1, 400000) | s + x)) AS n"
    r = cypher(client, h, statement)
    assert r.status_code == 503, r.text[:300]
    assert r.json()["detail"] == "the query ran longer than 1 s and was stopped; narrow it"
    running = read(
        "SHOW TRANSACTIONS YIELD currentQuery WHERE currentQuery CONTAINS 'reduce(s = []' "
        "AND NOT currentQuery CONTAINS 'SHOW' RETURN count(*) AS n",
        driver=graph,
    )
    assert running[0]["n"] == 0


def test_a_long_collect_is_stopped_with_a_503(
    client: TestClient, graph: Any, h: Any, limits: pytest.MonkeyPatch
) -> None:
    limits.setenv("SERIALWATCH_ADHOC_TIMEOUT", "1")
    r = cypher(client, h, "UNWIND range(1, 30000000) AS x RETURN collect(x) AS all")
    assert r.status_code == 503, r.text[:300]
