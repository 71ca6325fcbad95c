"""At national scale a saved list is cut at the row cap. A page about one person (the subject
page, the briefing pack, search's flags) must ask the saved queries about him, not look for him
in the cut national list, where a man past the first page would lose his flag and his count."""

from __future__ import annotations

from typing import Any

import pytest

from dashboards.components.flags import TIERS
from graph.settings import get_settings
from tests.ui.conftest import analyst


@pytest.fixture(scope="module", autouse=True)
def pages() -> None:
    """The explorer's pages register themselves with a Dash app, made here as the server does."""
    from dashboards.app import create_dash

    create_dash()


@pytest.fixture
def row_cap(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Sets the row cap, as SERIALWATCH_QUERY_ROW_CAP would."""

    def to(rows: int) -> None:
        monkeypatch.setenv("SERIALWATCH_QUERY_ROW_CAP", str(rows))
        get_settings.cache_clear()

    yield to
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_subject_past_the_first_page_keeps_his_flag(
    chains: dict[int, str], row_cap: Any
) -> None:
    from app.services import library, people
    from dashboards.pages import search, subject

    a = analyst()
    ident = people.profile(a, chains[18])["identity_id"]
    row_cap(1)
    first_page = library.run(a, "serial_perpetrators", {})
    assert first_page["truncated"] and first_page["rows"][0]["identity_id"] != ident
    whole = library.run(a, "serial_perpetrators", {}, limit=1_000_000)["rows"]
    tier = next(r["tier"] for r in whole if r["identity_id"] == ident)

    assert TIERS[tier] in str(subject.page(a, ident))
    assert TIERS[tier] in str(search.results(a, "Chainman18"))


def test_a_briefing_counts_all_his_missed_notifications(ui_data: Any, row_cap: Any) -> None:
    from collections import Counter

    from app.services import library
    from dashboards import data

    a = analyst()
    rows = library.run(a, "obligation_compliance", {}, limit=1_000_000)["rows"]
    per_man = Counter(r["identity_id"] for r in rows)
    ident, missed = max(per_man.items(), key=lambda kv: (kv[1], kv[0]))
    row_cap(missed)  # his rows fit in a page, the nation's do not
    assert len(rows) > missed

    assert data.briefing(a, ident)["facts"]["Missed or late notifications"] == missed


def test_a_meeting_can_pick_a_subject_past_the_first_page(
    chains: dict[int, str], row_cap: Any
) -> None:
    """The meeting's picker lists the serial list's first page; typing a name finds anyone,
    labelled as the list would label him; a subject a link names is asked about alone."""
    from app.services import library, people
    from dashboards.pages import meeting

    a = analyst()
    ident = people.profile(a, chains[18])["identity_id"]
    row_cap(1)
    first = [meeting._option(r) for r in library.run(a, "serial_perpetrators", {})["rows"]]
    assert ident not in {o["value"] for o in first}

    opts = meeting.searched(a, "Chainman18", first)
    assert opts[: len(first)] == first
    his = next(o for o in opts if o["value"] == ident)
    row = library.run(a, "serial_perpetrators", {"ids": [ident]})["rows"][0]
    assert his["label"] == f"{row['name']} · {row['tier']} · {row['victims']} victims"
    assert "search" not in his  # his label holds what was typed: the menu's filter keeps him
    assert meeting.searched(a, "Chainman18", opts) == []  # nothing to change
    typo = meeting.searched(a, "Chainmn18", opts)  # found, so shown for what was typed
    assert next(o for o in typo if o["value"] == ident)["search"].startswith("Chainmn18 ")

    victim = library.run(a, "victim_chain", {"person": ident})["rows"][0]["identity_id"]
    named = meeting._named(a, [ident, victim])  # as a link names them: by id
    assert named[0]["label"] == his["label"]
    assert named[1]["label"] == f"{victim} · not on the serial list"


def test_the_serial_pages_force_choices_are_every_force_not_the_first_pages(
    ui_data: Any, row_cap: Any
) -> None:
    """Each force holding a serial or at-risk man is offered, with its counts, however far down
    the national list its men are."""
    from collections import Counter

    from app.services import library
    from dashboards.pages import serial

    a = analyst()
    whole = library.run(a, "serial_perpetrators", {}, limit=1_000_000)["rows"]
    row_cap(1)
    first = library.run(a, "serial_perpetrators", {})["rows"]
    held = Counter((f, r["tier"]) for r in whole for f in r.get("forces") or [])
    forces = sorted({f for f, _ in held})
    assert len(forces) > len({f for r in first for f in r.get("forces") or []})

    options = serial._force_options(a)
    assert [o["value"] for o in options] == forces
    assert [o["label"] for o in options] == [
        f"{f} · {held[f, 'serial']:,} serial, {held[f, 'at_risk']:,} at risk" for f in forces]
