"""MAPPA+ case work behind the door (graph/cases.py, graph/case_assessment.py): every read
and every change checks the caller's role, is redacted for partners and audited.

Who may do what (app/security/roles.py, and `MOVE_PERM` for each move of a case):
- officers, analysts and caseworkers open a candidate case by hand (`case_open`);
- only the caseworker screens, accepts or not, assigns and closes (`case_work`);
- caseworkers and police officers run a meeting: agenda, minutes, level (which makes the case
  managed), plan actions and obligations (`meetings`);
- a plan action is moved on by caseworkers, officers, and a partner for its own agency's
  actions only (`action_status`);
- a partner sees the redacted case (victims as pseudonyms; minutes, notes, reasons and the
  before/after text of its history withheld as all free text is) and only its agency's plan
  actions; victim safety planning actions only reach roles that may see victims (not
  partners). Admins see no cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

from neo4j import Driver

from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.security.roles import Perm
from app.services.door import Access, for_subject, guard, personal, probe
from graph import case_assessment
from graph import cases as gc

T = TypeVar("T")
MOVE_PERM: dict[str, Perm] = {
    "screening": Perm.case_work,
    "accepted": Perm.case_work,
    "not_accepted": Perm.case_work,
    "managed": Perm.meetings,
    "closed": Perm.case_work,
}
BOARDS = ("mine", "agency", "overdue", "all")


@contextmanager
def _as_api_errors() -> Iterator[None]:
    """The graph's case errors as the API's: 404 unknown, 409 stale or not allowed from its
    status, 422 bad input."""
    try:
        yield
    except gc.CaseNotFound as e:
        raise NotFound(str(e)) from e
    except (gc.StaleWrite, gc.IllegalMove) as e:
        raise Conflict(str(e)) from e
    except gc.CaseError as e:
        raise Invalid(str(e)) from e


def sees_victims(access: Access) -> bool:
    """Victim safety planning names and places victims: never for a partner."""
    return not access.partner


def _visible_actions(access: Access, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A partner sees its own agency's actions, never victim safety planning."""
    if not access.partner:
        return rows
    return [a for a in rows if a.get("agency") == access.user.area
            and a.get("heading") != gc.VICTIM_SAFETY]  # fmt: skip


def _case_subject(access: Access, case_id: str, resource: str, action: str,
                  driver: Driver | None) -> str:  # fmt: skip
    """The identity a case is about (NotFound, audited, when there is no such case)."""
    with probe(access, resource, {"case": case_id}, action), _as_api_errors():
        return str(gc.case(case_id, driver)["identity_id"])


def _do(
    access: Access,
    perm: Perm,
    resource: str,
    params: dict[str, Any],
    subject: str | None,
    action: str,
    fn: Callable[[], T],
    driver: Driver | None,
) -> T:
    def run() -> T:
        with _as_api_errors():
            return fn()

    return personal(access, perm, resource, params, run, subject=subject, driver=driver,
                    action=action)  # fmt: skip


# -- reads ------------------------------------------------------------------------------------
def queue(
    access: Access,
    *,
    area: str | None = None,
    mine: bool = False,
    statuses: list[str] | None = None,
    limit: int = 100,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """The caseworker's queue: open cases, candidates first, each status ranked by RFGV."""
    wanted = tuple(statuses or gc.OPEN_STATUSES)
    bad = [s for s in wanted if s not in gc.STATUSES]
    if bad:
        raise Invalid(f"status must be among {', '.join(gc.STATUSES)}")
    params = {"area": area, "mine": mine, "statuses": list(wanted), "limit": limit}

    def fetch() -> list[dict[str, Any]]:
        return gc.queue(statuses=wanted, area=area, limit=limit, driver=driver,
                        caseworker=access.user.name if mine else None)  # fmt: skip

    return personal(access, Perm.cases, "cases", params, fetch, rows=True, driver=driver)


def detail(access: Access, case_id: str, driver: Driver | None = None) -> dict[str, Any]:
    """One case: status, level, owner, history, assessments, hearings, actions, obligations."""
    params = {"case": case_id}
    guard(access, Perm.cases, "case", params)
    with probe(access, "case", params), _as_api_errors():
        found = gc.case(case_id, driver)  # read once: it names the subject too
    shown = {**found, "actions": _visible_actions(access, found["actions"])}
    return personal(access, Perm.cases, "case", params, lambda: shown,
                    subject=str(found["identity_id"]), driver=driver)  # fmt: skip


def assessment(access: Access, assessment_id: str, driver: Driver | None = None
               ) -> dict[str, Any]:  # fmt: skip
    """One frozen assessment (victims as identity references: pseudonyms for a partner)."""
    params = {"assessment": assessment_id}
    guard(access, Perm.cases, "assessment", params)
    with probe(access, "assessment", params), _as_api_errors():
        found = case_assessment.assessment(assessment_id, driver)
    return personal(access, Perm.cases, "assessment", params, lambda: found,
                    subject=found["identity_id"], driver=driver)  # fmt: skip


def changed_since(access: Access, earlier: str, later: str, driver: Driver | None = None
                  ) -> dict[str, Any]:  # fmt: skip
    """What changed between two assessments of one case."""
    params = {"from": earlier, "to": later}
    guard(access, Perm.cases, "assessment", params)
    with probe(access, "assessment", params), _as_api_errors():
        a = case_assessment.assessment(earlier, driver)
        b = case_assessment.assessment(later, driver)
    if a["case_id"] != b["case_id"]:
        raise Invalid("compare two assessments of the same case")
    return personal(access, Perm.cases, "assessment", params,
                    lambda: {**case_assessment.changed_since(a, b),
                             "identity_id": b["identity_id"]},
                    subject=b["identity_id"], driver=driver)  # fmt: skip


def meeting(access: Access, meeting_id: str, driver: Driver | None = None) -> dict[str, Any]:
    """A meeting and its agenda; a partner sees its agency's actions only."""
    params = {"meeting": meeting_id}
    guard(access, Perm.cases, "meeting", params)

    def fetch() -> dict[str, Any]:
        with _as_api_errors():
            found = gc.meeting(meeting_id, driver)
        found["agenda"] = [{**h, "actions": _visible_actions(access, h["actions"])}
                           for h in found["agenda"]]  # fmt: skip
        return found

    return personal(access, Perm.cases, "meeting", params, fetch, driver=driver)


def meetings(access: Access, driver: Driver | None = None) -> list[dict[str, Any]]:
    guard(access, Perm.cases, "meetings", {})
    return personal(access, Perm.cases, "meetings", {}, lambda: gc.meetings(driver),
                    driver=driver)  # fmt: skip


def board(access: Access, view: str = "mine", driver: Driver | None = None
          ) -> list[dict[str, Any]]:  # fmt: skip
    """The actions board: mine (I own them), agency (my area's), overdue, or all."""
    if view not in BOARDS:
        raise Invalid(f"view must be one of {', '.join(BOARDS)}")
    params = {"view": view}

    def fetch() -> list[dict[str, Any]]:
        rows = gc.actions(
            owner=access.user.name if view == "mine" else None,
            agency=(access.user.area or "-") if view == "agency" or access.partner else None,
            overdue=view == "overdue", driver=driver,
        )  # fmt: skip
        keep = {a["action_id"] for a in _visible_actions(access, [r["action"] for r in rows])}
        return [{**r["action"], "identity_id": r["identity_id"], "name": r["name"],
                 "overdue": r["overdue"]} for r in rows if r["action"]["action_id"] in keep]

    return personal(access, Perm.cases, "actions", params, fetch, rows=True, driver=driver)


# -- changes ----------------------------------------------------------------------------------
def open_case(
    access: Access,
    person: str,
    *,
    area: str = "",
    lead_agency: str = "",
    caseworker: str = "",
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Open a candidate case by hand about a perpetrator (identity id or record key)."""
    params = {"person": person, "area": area, "lead_agency": lead_agency,
              "caseworker": caseworker}  # fmt: skip
    guard(access, Perm.case_open, "case", params, "open")
    subject = for_subject(access, person, Perm.case_open, driver)

    def change() -> dict[str, Any]:
        case_id = gc.open_case(subject, access.user.name, area=area or access.user.area,
                               lead_agency=lead_agency, caseworker=caseworker, driver=driver)
        return gc.case(case_id, driver)

    return _do(access, Perm.case_open, "case", params, subject, "open", change, driver)


def move(
    access: Access,
    case_id: str,
    version: int,
    status: str,
    *,
    reason: str | None = None,
    level: int | None = None,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Move a case on (graph.cases.MOVES) as the caller; the role each move needs is
    MOVE_PERM's; 409 if the case changed since `version` or its status forbids the move."""
    if status not in MOVE_PERM:
        raise Invalid(f"status must be one of {', '.join(MOVE_PERM)}")
    perm = MOVE_PERM[status]
    params = {"case": case_id, "version": version, "status": status, "reason": reason,
              "level": level}  # fmt: skip
    guard(access, perm, "case", params, status)
    subject = _case_subject(access, case_id, "case", status, driver)

    def change() -> dict[str, Any]:
        gc.move(case_id, version, status, access.user.name, reason=reason, level=level,
                driver=driver)  # fmt: skip
        return gc.case(case_id, driver)

    return _do(access, perm, "case", params, subject, status, change, driver)


def assign(
    access: Access,
    case_id: str,
    version: int,
    *,
    caseworker: str | None = None,
    lead_agency: str | None = None,
    area: str | None = None,
    driver: Driver | None = None,
) -> dict[str, Any]:
    params = {"case": case_id, "version": version, "caseworker": caseworker,
              "lead_agency": lead_agency, "area": area}  # fmt: skip
    guard(access, Perm.case_work, "case", params, "assign")
    subject = _case_subject(access, case_id, "case", "assign", driver)

    def change() -> dict[str, Any]:
        gc.assign(case_id, version, access.user.name, caseworker=caseworker,
                  lead_agency=lead_agency, area=area, driver=driver)  # fmt: skip
        return gc.case(case_id, driver)

    return _do(access, Perm.case_work, "case", params, subject, "assign", change, driver)


def assess(
    access: Access,
    case_id: str,
    version: int,
    *,
    notes: str,
    decision: str,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Screening: freeze the evidence with the caseworker's notes and decision."""
    params = {"case": case_id, "version": version, "decision": decision}
    guard(access, Perm.case_work, "assessment", params, "assess")
    subject = _case_subject(access, case_id, "assessment", "assess", driver)

    def change() -> dict[str, Any]:
        made = case_assessment.assess(case_id, version, access.user.name, notes=notes,
                                      decision=decision, driver=driver)  # fmt: skip
        return {**case_assessment.assessment(made["assessment_id"], driver),
                "case_version": made["case_version"]}

    return _do(access, Perm.case_work, "assessment", params, subject, "assess", change, driver)


def create_meeting(
    access: Access,
    held: date,
    area: str,
    chair: str,
    attendees: list[dict[str, str]],
    driver: Driver | None = None,
) -> dict[str, Any]:
    """A MAPPA+ meeting; attendees as {agency, role, name} (roles include idva and isac)."""
    params = {"date": held.isoformat(), "area": area, "chair": chair}
    guard(access, Perm.meetings, "meeting", params, "create")

    def change() -> dict[str, Any]:
        people = [gc.attendee(a.get("agency", ""), a.get("role", ""), a.get("name", ""))
                  for a in attendees]  # fmt: skip
        return gc.meeting(gc.create_meeting(held, area, chair, people, access.user.name,
                                            driver), driver)  # fmt: skip

    return _do(access, Perm.meetings, "meeting", params, None, "create", change, driver)


def add_to_agenda(access: Access, meeting_id: str, case_id: str,
                  driver: Driver | None = None) -> dict[str, Any]:  # fmt: skip
    params = {"meeting": meeting_id, "case": case_id}
    guard(access, Perm.meetings, "meeting", params, "agenda")
    subject = _case_subject(access, case_id, "meeting", "agenda", driver)

    def change() -> dict[str, Any]:
        return {"hearing_id": gc.add_to_agenda(meeting_id, case_id, access.user.name, driver),
                "meeting_id": meeting_id, "case_id": case_id}

    return _do(access, Perm.meetings, "meeting", params, subject, "agenda", change, driver)


def _hearing_subject(access: Access, hearing_id: str, action: str,
                     driver: Driver | None) -> str:  # fmt: skip
    with probe(access, "hearing", {"hearing": hearing_id}, action), _as_api_errors():
        return str(gc.hearing(hearing_id, driver)["identity_id"])


def _at_hearing(
    access: Access, hearing_id: str, action: str, params: dict[str, Any],
    fn: Callable[[], dict[str, Any]], driver: Driver | None,
) -> dict[str, Any]:  # fmt: skip
    params = {"hearing": hearing_id, **params}
    guard(access, Perm.meetings, "hearing", params, action)
    subject = _hearing_subject(access, hearing_id, action, driver)
    return _do(access, Perm.meetings, "hearing", params, subject, action, fn, driver)


def record_minutes(access: Access, hearing_id: str, version: int, minutes: str,
                   driver: Driver | None = None) -> dict[str, Any]:  # fmt: skip
    def change() -> dict[str, Any]:
        return {"case_version": gc.record_minutes(hearing_id, version, access.user.name,
                                                  minutes, driver)}  # fmt: skip

    return _at_hearing(access, hearing_id, "minutes", {"version": version}, change, driver)


def set_level(access: Access, hearing_id: str, version: int, level: int,
              driver: Driver | None = None) -> dict[str, Any]:  # fmt: skip
    def change() -> dict[str, Any]:
        return {"case_version": gc.set_level(hearing_id, version, access.user.name, level,
                                             driver)}  # fmt: skip

    return _at_hearing(access, hearing_id, "level", {"version": version, "level": level},
                       change, driver)  # fmt: skip


def add_action(
    access: Access,
    hearing_id: str,
    version: int,
    *,
    heading: str,
    title: str,
    agency: str,
    owner: str,
    due: date,
    driver: Driver | None = None,
) -> dict[str, Any]:
    def change() -> dict[str, Any]:
        return gc.add_action(hearing_id, version, access.user.name, heading=heading,
                             title=title, agency=agency, owner=owner, due=due, driver=driver)

    params = {"version": version, "heading": heading, "agency": agency, "owner": owner,
              "due": due.isoformat()}  # fmt: skip
    return _at_hearing(access, hearing_id, "action", params, change, driver)


def impose_obligation(
    access: Access,
    hearing_id: str,
    version: int,
    kind: str,
    *,
    order_keys: list[str] | None = None,
    window_days: int = 3,
    driver: Driver | None = None,
) -> dict[str, Any]:
    def change() -> dict[str, Any]:
        return gc.impose_obligation(hearing_id, version, access.user.name, kind,
                                    order_keys=order_keys, window_days=window_days,
                                    driver=driver)  # fmt: skip

    params = {"version": version, "kind": kind, "orders": order_keys or []}
    return _at_hearing(access, hearing_id, "obligation", params, change, driver)


def set_action(
    access: Access,
    action_id: str,
    version: int,
    *,
    status: str | None = None,
    due: date | None = None,
    owner: str | None = None,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Move a plan action on; a partner only its own agency's (and never victim safety)."""
    params = {"action": action_id, "version": version, "status": status,
              "due": due.isoformat() if due else None, "owner": owner}  # fmt: skip
    guard(access, Perm.action_status, "action", params, "update")
    with probe(access, "action", params, "update"), _as_api_errors():
        found = gc.action(action_id, driver)
        if not _visible_actions(access, [found]):
            raise NotFound(f"no action {action_id}")
    if access.partner and (due is not None or owner is not None):
        with probe(access, "action", params, "update"):
            raise Forbidden("a partner agency may move its actions on, not re-plan them")

    def change() -> dict[str, Any]:
        gc.set_action(action_id, version, access.user.name, status=status, due=due,
                      owner=owner, driver=driver)  # fmt: skip
        return gc.action(action_id, driver)

    return _do(access, Perm.action_status, "action", params, found["identity_id"], "update",
               change, driver)  # fmt: skip
