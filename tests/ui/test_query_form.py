"""The saved-query form's fields as query parameters (no browser needed)."""

from __future__ import annotations

from dashboards.components.query_form import params


def _ids(*specs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"type": "q-param", "name": n, "ptype": t} for n, t in specs]


def test_an_empty_json_list_is_an_empty_list_not_a_value() -> None:
    ids = _ids(("ids", "list<string>"), ("tiers", "list<string>"), ("min_victims", "int"))
    got = params(["[]", "serial, at_risk", "3"], ids)
    assert got == {"ids": [], "tiers": ["serial", "at_risk"], "min_victims": 3}


def test_json_lists_and_empty_fields() -> None:
    ids = _ids(("ids", "list<string>"), ("tiers", "list<string>"), ("limit", "int"))
    assert params(['["ID:A", "ID:B"]', "", None], ids) == {"ids": ["ID:A", "ID:B"]}
