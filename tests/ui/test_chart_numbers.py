"""The chart page numbers his victims ("V3") from the chart's own incidents and orders: the
same numbers as his chain story, read with one query and one audit entry (not the chain as
well), for every planted serial perpetrator of the suite's delivery and the men planted with
18 and 40 victims. A filtered chart, or a partner's, asks the chain and gets its numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.ui.conftest import analyst


def _story(who: Any, man: str) -> dict[str, int]:
    from app.services import network

    return {v["identity_id"]: v["n"] for v in network.victim_story(who, man)}


def _read(who: Any, man: str, **filters: Any) -> tuple[dict[str, Any], list[str]]:
    """The chart page's read of `man`, and the resources of the audit entries it wrote."""
    from app.security import audit
    from app.services import network

    before = audit.count()
    chart = network.people_chart(who, man, **{**network.OPENING, **filters})
    return chart, [e["resource"] for e in audit.entries(after=before, limit=50)]


def test_numbers_equal_the_chain_story(
    ui_server: str, ui_data: dict[str, Any], chains: dict[int, str]
) -> None:
    a = analyst()
    men = [chains[18], chains[40], chains[100]] + [
        min(ui_data["people"][h]) for h in ui_data["serial"]
    ]
    assert len(men) >= 4
    numbered = 0  # men with victims on their chart (a record the resolver left alone has none)
    for man in men:
        chart, audited = _read(a, man)
        assert not chart["truncated"]
        assert chart["numbers"] == _story(a, man), man
        assert audited == ["query:neighbourhood"], "the chart read the chain as well"
        numbered += bool(chart["numbers"])
    assert numbered >= 10
    assert sorted(_read(a, chains[40])[0]["numbers"].values()) == list(range(1, 41))


def test_a_narrowed_chart_still_numbers_by_his_whole_chain(
    ui_server: str, chains: dict[int, str]
) -> None:
    """With years that cut his history, the chart's incidents would number his victims from
    1 again: the numbers come from his chain, which the chart then reads too."""
    a = analyst()
    man = chains[18]
    chart, audited = _read(a, man, date_from=date(2016, 1, 1))
    assert chart["numbers"] == _story(a, man)
    assert audited == ["query:neighbourhood", "query:victim_chain"]
    assert min(chart["numbers"].values()) == 1 and len(chart["numbers"]) == 18


def test_partner_numbers_are_the_partner_chain(ui_server: str, chains: dict[int, str]) -> None:
    from app.security.roles import Role
    from app.security.users import User
    from app.services.door import Access

    partner = Access(User("partner", Role.partner), "MAPPA+ meeting, partner agency")
    chart, _ = _read(partner, chains[18])
    assert chart["numbers"] == _story(partner, chains[18])
    assert len(chart["numbers"]) == 18
