"""Case work behind the door, on the real Neo4j: every move allowed to the roles MOVE_PERM names
and refused (403, audited, nothing changed) to every other; a stale write is a 409 that loses
nothing; partners see their agency's actions and the redacted case; every change is audited."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from neo4j import Driver

from app.errors import Conflict, Forbidden, NotFound
from app.security import audit
from app.security.redaction import WITHHELD
from app.security.roles import Role, allowed
from app.security.users import User
from app.services import cases as service
from app.services.door import Access
from app.settings import get_api_settings
from graph import cases as gc
from graph.driver import get_driver, read
from ingest.transactional import load_delivery
from tests.alerts.test_alerts import base
from tests.cases.flow import P1
from tests.conftest import wipe
from tests.stores import trail_env

ROLES = [Role.officer, Role.analyst, Role.caseworker, Role.partner, Role.admin]


def who(role: Role, area: str = "PROB") -> Access:
    return Access(User(role.value, role, area=area), "MAPPA+ case work test")


@pytest.fixture(scope="module")
def trail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An audit trail of this module's own."""
    env = trail_env(tmp_path_factory.mktemp("trail"))
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    get_api_settings.cache_clear()
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    get_api_settings.cache_clear()


@pytest.fixture(scope="module")
def loaded(neo4j_server: Any, trail: None, tmp_path_factory: pytest.TempPathFactory) -> Driver:
    driver = get_driver()
    wipe(driver)
    load_delivery(base(tmp_path_factory.mktemp("one")), driver, baseline=False)
    return driver


def _case() -> dict[str, Any]:
    """The newest case (the module's tests work on one case at a time)."""
    newest = read("MATCH (c:Case) RETURN c.case_id AS id ORDER BY c.opened_at DESC LIMIT 1")
    return gc.case(newest[0]["id"])


def _refused_for_all_but(allowed_roles: set[Role], attempt: Any) -> None:
    before = _case()
    for role in ROLES:
        if role in allowed_roles:
            continue
        with pytest.raises(Forbidden):
            attempt(who(role))
    assert _case() == before


def test_every_move_is_allowed_to_its_roles_and_refused_to_the_rest(loaded: Driver) -> None:
    case_id = _case()["case_id"]
    steps: list[tuple[str, dict[str, Any]]] = [
        ("screening", {}), ("accepted", {"level": 2}), ("managed", {}),
        ("closed", {"reason": "moved abroad"}),
    ]  # fmt: skip
    for status, extra in steps:
        perm = service.MOVE_PERM[status]
        may = {r for r in ROLES if allowed(r, perm)}
        assert may == ({Role.caseworker, Role.officer} if status == "managed"
                       else {Role.caseworker})  # fmt: skip

        def attempt(access: Access, status: str = status, extra: dict[str, Any] = extra) -> Any:
            return service.move(access, case_id, _case()["version"], status, **extra)

        _refused_for_all_but(may, attempt)
        assert attempt(who(Role.caseworker))["status"] == status
    # a new case by hand: officers, analysts, caseworkers; never partners or admins
    _refused_for_all_but({Role.officer, Role.analyst, Role.caseworker},
                         lambda a: service.open_case(a, P1))  # fmt: skip
    assert service.open_case(who(Role.analyst), P1)["status"] == "candidate"


def test_a_stale_write_answers_409_and_loses_nothing(loaded: Driver) -> None:
    case = _case()
    cw = who(Role.caseworker)
    service.assign(cw, case["case_id"], case["version"], caseworker="ann")
    with pytest.raises(Conflict, match="changed since you read it"):
        service.assign(cw, case["case_id"], case["version"], area="STH")
    assert (_case()["caseworker"], _case()["area"]) == ("ann", case["area"])


def _hear(case: dict[str, Any]) -> tuple[str, int]:
    cw = who(Role.caseworker)
    if case["status"] == "candidate":
        service.move(cw, case["case_id"], case["version"], "screening")
        service.move(cw, case["case_id"], _case()["version"], "accepted", level=2)
    m = service.create_meeting(who(Role.officer), date.today(), "NTH", "Chair Person", [
        {"agency": "IDVA North", "role": "idva", "name": "Ivy"},
        {"agency": "ISAC North", "role": "isac", "name": "Ike"}])  # fmt: skip
    hearing = service.add_to_agenda(cw, m["meeting_id"], case["case_id"])["hearing_id"]
    return hearing, _case()["version"]


def test_meeting_work_is_for_caseworkers_and_officers_and_partners_see_their_own(
    loaded: Driver,
) -> None:
    hearing, v = _hear(_case())
    meeting_roles = {Role.caseworker, Role.officer}
    _refused_for_all_but(meeting_roles, lambda a: service.set_level(a, hearing, v, 2))
    v = service.set_level(who(Role.officer), hearing, v, 2)["case_version"]
    v = service.record_minutes(who(Role.caseworker), hearing, v,
                               "Discussed risk to the new partner.")["case_version"]
    due = date.today() + timedelta(days=7)
    made = {}
    for heading, agency in [("supervision", "PROB"), ("victim_safety_planning", "PROB"),
                            ("monitoring_and_control", "NTH")]:  # fmt: skip
        made[heading] = service.add_action(
            who(Role.caseworker), hearing, v, heading=heading, title=f"{heading} step",
            agency=agency, owner="olly", due=due)  # fmt: skip
        v = made[heading]["case_version"]
    service.impose_obligation(who(Role.officer), hearing, v, "notify_new_relationship")
    seen = service.detail(who(Role.partner, area="PROB"), _case()["case_id"])
    assert [a["heading"] for a in seen["actions"]] == ["supervision"]  # no victim safety
    assert seen["hearings"][-1]["minutes"] == WITHHELD
    assert all(h.get("after_text") in (None, WITHHELD) for h in seen["changes"])
    full = service.detail(who(Role.caseworker), _case()["case_id"])
    assert len(full["actions"]) == 3
    assert full["hearings"][-1]["minutes"] == "Discussed risk to the new partner."
    board = service.board(who(Role.partner, area="NTH"), "agency")
    assert [a["heading"] for a in board] == ["monitoring_and_control"]
    # a partner moves its own agency's action on, but no other's
    nth = made["monitoring_and_control"]["action_id"]
    assert service.set_action(who(Role.partner, area="NTH"), nth, 1,
                              status="in_progress")["status"] == "in_progress"  # fmt: skip
    with pytest.raises(NotFound):
        service.set_action(who(Role.partner, area="NTH"),
                           made["supervision"]["action_id"], 1, status="done")  # fmt: skip
    with pytest.raises(Forbidden):
        service.set_action(who(Role.partner, area="NTH"), nth, 2, due=due)
    with pytest.raises(Forbidden):
        service.detail(who(Role.admin), _case()["case_id"])


def test_every_change_is_audited_with_its_subject(loaded: Driver) -> None:
    case = _case()
    before = audit.count()
    service.assign(who(Role.caseworker), case["case_id"], case["version"], lead_agency="PROB")
    with pytest.raises(Forbidden):
        service.move(who(Role.partner), case["case_id"], case["version"] + 1, "closed",
                     reason="x")  # fmt: skip
    entries = audit.entries(after=before, limit=10)
    assert [(e["action"], e["outcome"]) for e in entries] == [("assign", "ok"),
                                                             ("closed", "refused")]
    assert P1 in entries[0]["identities"]


def _pdf_text(body: bytes) -> str:
    return body.decode("latin-1")  # the packs are written uncompressed


def test_the_agenda_pdf_holds_its_cases_and_the_partners_copy_no_victim(loaded: Driver) -> None:
    from dashboards.data import meeting_pdf

    case = _case()
    hearing, v = _hear(case)
    v = service.set_level(who(Role.caseworker), hearing, v, 2)["case_version"]
    said = "Ann Victimson1 (NTH:V1) fears contact."
    v = service.record_minutes(who(Role.caseworker), hearing, v, said)["case_version"]
    service.add_action(who(Role.caseworker), hearing, v, heading="victim_safety_planning",
                       title="Safety plan with Ann Victimson2", agency="PROB", owner="olly",
                       due=date.today() + timedelta(days=7))  # fmt: skip
    meeting_id = gc.hearing(hearing)["meeting_id"]
    before = audit.count()
    cw = who(Role.caseworker)
    theirs = _pdf_text(meeting_pdf(cw, service.meeting(cw, meeting_id), minutes=False))
    assert "Agenda" in theirs and case["case_id"] in theirs and "Dean Marlow" in theirs
    assert "fears contact" not in theirs  # an agenda holds no minutes
    partner = who(Role.partner)
    copy = _pdf_text(meeting_pdf(partner, service.meeting(partner, meeting_id), minutes=False))
    assert "Agenda" in copy and case["case_id"] in copy and "Partner view" in copy
    for victim in ("Victimson1", "Victimson2", "NTH:V1", "NTH:V2"):
        assert victim not in copy and victim not in theirs, victim
    minutes = _pdf_text(meeting_pdf(partner, service.meeting(partner, meeting_id), minutes=True))
    for victim in ("Victimson1", "Victimson2", "NTH:V1", "NTH:V2"):
        assert victim not in minutes, victim
    exports = [(e["user"], e["resource"]) for e in audit.entries(after=before, limit=20)
               if e["resource"].endswith(".pdf")]  # fmt: skip
    assert exports == [("caseworker", "agenda.pdf"), ("partner", "agenda.pdf"),
                       ("partner", "minutes.pdf")]
