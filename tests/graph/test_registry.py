"""The query library's loader: what it accepts, what it refuses, and the typed parameters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.cypher import BadParameter, coerce
from graph.registry import QueryLibraryError, QueryNotFound, get_library, load, markdown, parse
from graph.runner import bind
from graph.settings import get_settings

ROOT = Path(__file__).resolve().parents[2]
NAMES = {
    "serial_perpetrators", "matac_serial", "rfgv_ranking", "victim_chain",
    "cross_force_perpetrators", "disclosure_check", "order_breaches", "active_orders",
    "obligation_compliance", "shared_addresses", "agencies_involved", "shortest_path",
    "neighbourhood",
}

GOOD = """// name: demo
// title: Demo
// description: A demo query
//   over two lines.
// audience: analyst
// mode: read
// scope: person
// param person: string -- who
// param n: int = 2 -- how many
// range n: 1..5
// returns: one row
MATCH (i:Identity {identity_id: $person}) RETURN i.identity_id AS id, $n AS n
"""


def _with(body: str) -> str:
    head, _, _ = GOOD.rpartition("MATCH")
    return head + body


def test_the_library_holds_every_named_query() -> None:
    assert NAMES <= {q.name for q in load()}


def test_a_good_file_parses_with_its_header() -> None:
    q = parse(GOOD, "x/demo.cypher")
    assert q.description == "A demo query over two lines."
    assert [p.name for p in q.params] == ["person", "n"]
    assert q.param("n") is not None and q.param("n").high == 5  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("MATCH (n) RETURN n", "no `//` header"),
        (GOOD.replace("// audience: analyst\n", ""), "no `audience`"),
        (GOOD.replace("// mode: read", "// mode: write"), "mode must be `read`"),
        (GOOD.replace("// name: demo", "// name: other"), "match the file name"),
        (GOOD.replace("// param n: int = 2 -- how many\n// range n: 1..5\n", ""),
         "$n is used but not declared"),
        (GOOD.replace(", $n AS n", ""), "$n is declared but never used"),
        (GOOD.replace("int = 2", "integer = 2"), "type must be one of"),
        (GOOD.replace("= 2 -- how many", "= two -- how many"), "bad default"),
        (_with("MATCH (i) SET i.x = $person RETURN $n"), "'SET'"),
        (_with("CREATE (i {k: $person}) RETURN $n"), "'CREATE'"),
        (_with("MERGE (i {k: $person}) RETURN $n"), "'MERGE'"),
        (_with("MATCH (i {k: $person}) DETACH DELETE i RETURN $n"), "'DETACH'"),
        (_with("MATCH (i {k: $person}) REMOVE i.x RETURN $n"), "'REMOVE'"),
        (_with("LOAD CSV FROM $person AS r RETURN $n"), "'LOAD'"),
        (_with("FOREACH (x IN [$person] | SET x.y = 1) RETURN $n"), "'FOREACH'"),
        (_with("MATCH (i {k: $person}) CALL (i) { RETURN 1 AS y } IN TRANSACTIONS RETURN $n"),
         "'IN'"),
        (_with("CALL apoc.create.node(['X'], {k: $person}) YIELD node RETURN $n"),
         "not on the read-only allow-list"),
        (_with("CALL dbms.killQuery($person) RETURN $n"), "not on the read-only allow-list"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(QueryLibraryError) as e:
        parse(text, "x/demo.cypher")
    assert reason in str(e.value)


def test_words_in_strings_comments_and_properties_are_not_writes() -> None:
    body = ("MATCH (i {k: $person}) // CREATE nothing here\n"
            "WHERE i.note <> 'SET me; DELETE' AND i.`create` IS NULL AND i.set IS NULL\n"
            "CALL db.labels() YIELD label RETURN $n, label")
    assert parse(_with(body), "x/demo.cypher").name == "demo"


def test_an_analyst_folder_adds_queries_and_a_bad_one_stops_the_load(tmp_path: Path) -> None:
    (tmp_path / "demo.cypher").write_text(GOOD)
    assert "demo" in load([tmp_path])
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "victim_chain.cypher").write_text(GOOD.replace("demo", "victim_chain"))
    (tmp_path / "broken.cypher").write_text("MATCH (n) RETURN n")
    with pytest.raises(QueryLibraryError) as e:
        load([tmp_path])
    assert "is taken by graph/cypher/serial/victim_chain.cypher" in str(e.value)
    assert "broken.cypher: no `//` header" in str(e.value)


def test_the_env_variable_names_the_extra_folders(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "demo.cypher").write_text(GOOD)
    monkeypatch.setenv("SERIALWATCH_QUERY_DIRS", str(tmp_path))
    get_settings.cache_clear()
    get_library.cache_clear()
    try:
        assert "demo" in get_library()
    finally:
        monkeypatch.delenv("SERIALWATCH_QUERY_DIRS")
        get_settings.cache_clear()
        get_library.cache_clear()


def test_an_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(QueryNotFound, match="did you mean victim_chain"):
        load().get("victim_chian")


@pytest.mark.parametrize(
    ("type_", "text", "value"),
    [
        ("int", "3", 3),
        ("float", "2.5", 2.5),
        ("bool", "yes", True),
        ("bool", "false", False),
        ("date", "2024-02-29", date(2024, 2, 29)),
        ("string", "ID:F1:P1", "ID:F1:P1"),
        ("list<string>", "a, b", ["a", "b"]),
        ("list<string>", '["a,b", "c"]', ["a,b", "c"]),
        ("list<int>", "1,2", [1, 2]),
        ("list<date>", "2020-01-01", [date(2020, 1, 1)]),
        ("map", '{"a": 1}', {"a": 1}),
        ("date", "null", None),
    ],
)
def test_text_is_coerced_to_the_declared_type(type_: str, text: str, value: object) -> None:
    assert coerce(type_, text) == value


@pytest.mark.parametrize(
    ("type_", "text"),
    [("int", "three"), ("int", "2.5"), ("date", "2024-02-30"), ("bool", "maybe"),
     ("list<int>", "1,x"), ("map", "[1]"), ("string", ["a"])],
)
def test_a_bad_value_is_refused(type_: str, text: object) -> None:
    with pytest.raises(BadParameter):
        coerce(type_, text)


def test_bind_defaults_checks_ranges_choices_and_unknown_names() -> None:
    lib = load()
    chain = lib.get("victim_chain")
    with pytest.raises(BadParameter, match=r"\$person is required"):
        bind(chain, {})
    values = bind(chain, {"person": "H1"})
    assert values["rfgv"]["gravity"]["default_days"] > 0
    with pytest.raises(BadParameter, match="has no parameter colour"):
        bind(chain, {"person": "H1", "colour": "red"})
    hood = lib.get("neighbourhood")
    with pytest.raises(BadParameter, match="outside"):
        bind(hood, {"person": "H1", "hops": "4"})
    with pytest.raises(BadParameter, match="not allowed"):
        bind(hood, {"person": "H1", "labels": "Person,Agency"})
    assert bind(lib.get("matac_serial"), {})["as_of"] == date.today()


def test_docs_queries_md_is_up_to_date() -> None:
    """`python -m graph.registry --docs > docs/queries.md` after editing a header."""
    assert (ROOT / "docs" / "queries.md").read_text(encoding="utf-8") == markdown(load())
