"""MAPPA+ case work in the graph: a Category 4 case about one perpetrator, from candidate to a
risk management plan that is followed up.

A case names its subject by his record (`SUBJECT`, a Person, which survives re-resolution, as
an inbox item does: the record it was opened from, else his first record as a perpetrator, so
that a split of a wrong merge leaves the case with the perpetrator) and points at the identity
that record resolves to now (`ABOUT`, moved by `follow_resolution` after every resolve), so it
follows him through merges and splits.

Lifecycle (`MOVES`): candidate -> screening -> accepted (level 1-3) | not_accepted (reason)
-> managed -> closed (reason). Every write checks the case's `version` (optimistic concurrency:
a stale write changes nothing and raises `StaleWrite`) and keeps a `CaseChange` (who, when,
what, before and after) in the same transaction. Who may make which move is the service
layer's business (app/services/cases.py).
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any, LiteralString

from neo4j import Driver

from graph import ranking
from graph.alerts import NAME
from graph.cypher import config
from graph.driver import read, write
from graph.errors import SerialwatchError

STATUSES = ("candidate", "screening", "accepted", "not_accepted", "managed", "closed")
OPEN_STATUSES = ("candidate", "screening", "accepted", "managed")
# target status -> the statuses it may be reached from
MOVES: dict[str, tuple[str, ...]] = {
    "screening": ("candidate",),
    "accepted": ("screening",),
    "not_accepted": ("screening",),
    "managed": ("accepted", "managed"),
    "closed": ("candidate", "screening", "accepted", "managed"),
}
NEEDS_REASON = frozenset({"not_accepted", "closed"})
# The queue's order, kept on each case as one indexed number (migration 0010) so that a page
# of the queue reads that many cases, never every open one: the status's place in STATUSES
# (candidates first) times 100, less the case's RFGV (0-10), highest first within a status.
QUEUE_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_QUEUE_ORDER: LiteralString = "$ranks[c.status] * 100.0 - coalesce(c.rfgv, 0.0)"
LEVELS = (1, 2, 3)
HEADINGS = (
    "supervision",
    "monitoring_and_control",
    "interventions_and_treatment",
    "victim_safety_planning",
)
VICTIM_SAFETY = "victim_safety_planning"
ACTION_STATUSES = ("open", "in_progress", "done", "cancelled")
OPEN_ACTION = ("open", "in_progress")
OBLIGATIONS = (
    "treatment_programme",
    "notify_change_of_name",
    "notify_change_of_address",
    "notify_travel_abroad",
    "notify_new_relationship",
)
ATTENDEE_ROLES = ("police", "probation", "prison", "idva", "isac", "specialist_da_service",
                  "childrens_services", "health", "housing", "other")  # fmt: skip
CONFIG_FILE = "cases.toml"


class CaseError(SerialwatchError):
    """Bad input for a case, meeting or action."""


class CaseNotFound(CaseError):
    """No case, meeting, hearing or action with that id."""


class IllegalMove(CaseError):
    """The case's status does not allow that move (see MOVES)."""


class StaleWrite(CaseError):
    """The record changed since the caller read it: reload and apply the change again."""


def review_weeks(level: int) -> int:
    """Weeks between reviews at `level` (cases.toml); 0 for none."""
    return int(config(CONFIG_FILE)["review_weeks"].get(str(level), 0))


def review_due(level: int, held: date) -> date | None:
    weeks = review_weeks(level)
    return held + timedelta(weeks=weeks) if weeks else None


def _new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def _check_date(value: date, what: str) -> None:
    if not date(1990, 1, 1) <= value <= date(2100, 12, 31):
        raise CaseError(f"{what} must fall between 1990 and 2100")


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


# -- cases ------------------------------------------------------------------------------------
_OPEN: LiteralString = """
CALL () {
  MATCH (i:Identity {identity_id: $person}) RETURN i
  UNION
  MATCH (:Person {person_key: $person})-[:RESOLVES_TO]->(i:Identity) RETURN i
}
WITH i LIMIT 1
MATCH (i)<-[:RESOLVES_TO]-(s:Person)
WITH i, s ORDER BY s.person_key = $person DESC,
  EXISTS { (s)-[:SUSPECT_IN|OFFENDER_IN]->(n:Incident) WHERE n.da_related }
  OR EXISTS { (s)-[:SUBJECT_OF]->(:Order) } DESC, s.person_key LIMIT 1
OPTIONAL MATCH (open:Case)-[:ABOUT]->(i) WHERE open.status IN $open
WITH i, s, collect(open.case_id) AS already
CALL (i, s, already) {
  WITH i, s WHERE size(already) = 0
  CREATE (c:Case {case_id: $id, status: 'candidate', version: 1, source: $source,
                  area: $area, lead_agency: $lead_agency, caseworker: $caseworker,
                  subject_key: s.person_key, identity_id: i.identity_id,
                  opened_at: datetime(), opened_by: $by})
  SET c.queue_order = """ + _QUEUE_ORDER + """
  CREATE (c)-[:SUBJECT]->(s)
  CREATE (c)-[:ABOUT]->(i)
  CREATE (:CaseChange {case_id: $id, at: datetime(), by: $by, what: 'opened', version: 1,
                       after_text: 'candidate (' + $source + ')'})-[:OF]->(c)
  RETURN c.case_id AS created
  UNION
  WITH already WHERE size(already) > 0
  RETURN null AS created
}
RETURN i.identity_id AS identity_id, already, created
"""


def open_case(
    person: str,
    by: str,
    *,
    source: str = "by hand",
    area: str = "",
    lead_agency: str = "",
    caseworker: str = "",
    driver: Driver | None = None,
) -> str:
    """Open a candidate case about the identity behind `person` (identity id or record key);
    refused if he already has an open case."""
    if not by.strip():
        raise CaseError("say who is opening the case")
    rows = write(
        _OPEN,
        {"person": person, "id": _new_id("CASE"), "source": source, "area": area,
         "lead_agency": lead_agency, "caseworker": caseworker, "by": by,
         "open": list(OPEN_STATUSES), "ranks": QUEUE_RANK},  # fmt: skip
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no person {person}")
    if rows[0]["already"]:
        raise IllegalMove(
            f"{rows[0]['identity_id']} already has an open case: {rows[0]['already'][0]}"
        )
    created = str(rows[0]["created"])
    refresh_rfgv([created], driver)
    return created


# Change the case's own properties: checked against its version and its status in the same
# write, the change kept as one CaseChange per property.
_CHANGE: LiteralString = """
MATCH (c:Case {case_id: $id})
SET c._lock = true
WITH c, c.version AS was, c.status AS status, properties(c) AS before
CALL (c, was, status, before) {
  WITH c WHERE was = $version AND ($from IS NULL OR status IN $from)
  SET c += $sets, c.version = was + 1, c.updated_at = datetime(), c.updated_by = $by
  SET c.queue_order = """ + _QUEUE_ORDER + """
  WITH c
  UNWIND [k IN keys($sets) WHERE before[k] IS NULL OR before[k] <> $sets[k]] AS k
  CREATE (:CaseChange {case_id: c.case_id, at: datetime(), by: $by, what: coalesce($what, k),
                       field: k, version: was + 1,
                       before_text: CASE WHEN before[k] IS NULL THEN null
                                         ELSE toString(before[k]) END,
                       after_text: CASE WHEN $sets[k] IS NULL THEN null
                                        ELSE toString($sets[k]) END})-[:OF]->(c)
}
REMOVE c._lock
RETURN was, status, c.version AS version
"""


def change(
    case_id: str,
    version: int,
    by: str,
    sets: dict[str, Any],
    *,
    allowed_from: tuple[str, ...] | None = None,
    what: str | None = None,
    driver: Driver | None = None,
) -> int:
    """Set `sets` on the case if it is still at `version` (and in one of `allowed_from`);
    returns the new version."""
    if not by.strip():
        raise CaseError("say who is changing the case")
    rows = write(
        _CHANGE,
        {"id": case_id, "version": version, "by": by, "sets": sets, "what": what,
         "from": list(allowed_from) if allowed_from is not None else None,
         "ranks": QUEUE_RANK},  # fmt: skip
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no case {case_id}")
    row = rows[0]
    if row["was"] != version:
        raise StaleWrite(
            f"case {case_id} changed since you read it (you had version {version}, it is now "
            f"{row['was']}): reload it and make your change again"
        )
    if allowed_from is not None and row["status"] not in allowed_from:
        raise IllegalMove(
            f"case {case_id} is {row['status']}; that needs it to be {' or '.join(allowed_from)}"
        )
    return int(row["version"])


def move(
    case_id: str,
    version: int,
    status: str,
    by: str,
    *,
    reason: str | None = None,
    level: int | None = None,
    driver: Driver | None = None,
) -> int:
    """Move a case on (see MOVES); not_accepted and closed need a reason, accepted a level."""
    if status not in MOVES:
        raise CaseError(f"status must be one of {', '.join(MOVES)}")
    reason = _text(reason)
    if status in NEEDS_REASON and not reason:
        raise CaseError(f"a case moved to {status} needs a reason")
    sets: dict[str, Any] = {"status": status}
    if status == "accepted":
        if level not in LEVELS:
            raise CaseError("accepting a case needs a MAPPA level: 1, 2 or 3")
        sets["level"] = level
    if reason:
        sets["status_reason"] = reason
    if status == "managed":
        sets["managed_since"] = datetime.now(UTC)
    return change(case_id, version, by, sets, allowed_from=MOVES[status], driver=driver)


def assign(
    case_id: str,
    version: int,
    by: str,
    *,
    caseworker: str | None = None,
    lead_agency: str | None = None,
    area: str | None = None,
    driver: Driver | None = None,
) -> int:
    """Set the caseworker, the lead agency or the area of an open case."""
    sets = {k: v for k, v in (("caseworker", caseworker), ("lead_agency", lead_agency),
                              ("area", area)) if v is not None}  # fmt: skip
    if not sets:
        raise CaseError("name a caseworker, lead agency or area to set")
    return change(case_id, version, by, sets, allowed_from=OPEN_STATUSES, driver=driver)


_CASE_ROW: LiteralString = (
    "c {.case_id, .status, .level, .version, .source, .area, .lead_agency, .caseworker, "
    "   .subject_key, .status_reason, opened_at: toString(c.opened_at), .opened_by, "
    "   review_due: toString(c.review_due), last_review: toString(c.last_review), "
    "   managed_since: toString(c.managed_since), updated_at: toString(c.updated_at), .updated_by, "
    "   identity_id: i.identity_id} AS case, " + NAME
)


def case(case_id: str, driver: Driver | None = None) -> dict[str, Any]:
    """One case with its history, assessments, hearings, actions and obligations."""
    rows = read(
        "MATCH (c:Case {case_id: $id})-[:ABOUT]->(i:Identity) "
        "RETURN " + _CASE_ROW + ", "
        "COLLECT { MATCH (h:CaseChange)-[:OF]->(c) "
        "  RETURN h {at: toString(h.at), .by, .what, .field, .version, .before_text, "
        "  .after_text} ORDER BY h.version, h.at, h.field } AS changes, "
        "COLLECT { MATCH (a:Assessment)-[:OF]->(c) RETURN a.assessment_id "
        "  ORDER BY a.version, a.at } AS assessments, "
        "COLLECT { MATCH (h:Hearing)-[:OF]->(c) MATCH (h)-[:AT]->(m:Meeting) "
        "  RETURN h {.hearing_id, .level, .minutes, meeting_id: m.meeting_id, "
        "  date: toString(m.date), area: m.area} ORDER BY m.date } AS hearings, "
        "COLLECT { MATCH (x:Action)-[:FOR]->(c) RETURN " + _ACTION + " "
        "  ORDER BY x.due_date, x.action_id } AS actions, "
        "COLLECT { MATCH (o:Obligation)-[:FOR]->(c) "
        "  RETURN o {.obligation_id, .type, imposed_on: toString(o.imposed_on), "
        "  .window_days, .order_keys} ORDER BY o.type } AS obligations",
        {"id": case_id},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no case {case_id}")
    r = rows[0]
    return {**r["case"], "name": r["name"], "changes": r["changes"],
            "assessments": r["assessments"], "hearings": r["hearings"],
            "actions": r["actions"], "obligations": r["obligations"]}  # fmt: skip


QUEUE: LiteralString = (
    "MATCH (c:Case) USING INDEX c:Case(queue_order) "
    "WHERE c.queue_order >= $from AND c.queue_order < $to "
    "AND c.status IN $statuses AND ($area IS NULL OR c.area = $area) "
    "AND ($caseworker IS NULL OR c.caseworker = $caseworker) "
    "WITH c ORDER BY c.queue_order, c.case_id LIMIT $limit "
    "MATCH (c)-[:ABOUT]->(i:Identity) "
    "RETURN " + _CASE_ROW + ", coalesce(c.rfgv, 0.0) AS rfgv, "
    "COUNT { MATCH (x:Action)-[:FOR]->(c) WHERE x.status IN $open_action "
    "        AND x.due_date < date() } AS overdue_actions"
)


def queue_params(
    statuses: tuple[str, ...], *, area: str | None = None, caseworker: str | None = None,
    limit: int = 100,
) -> dict[str, Any]:  # fmt: skip
    """QUEUE's parameters: the range of `queue_order` the statuses asked for span."""
    ranks = [QUEUE_RANK[s] for s in statuses] or [0]
    return {"statuses": list(statuses), "area": area, "caseworker": caseworker, "limit": limit,
            "from": min(ranks) * 100.0 - 50, "to": max(ranks) * 100.0 + 50,
            "open_action": list(OPEN_ACTION)}  # fmt: skip


def queue(
    *,
    statuses: tuple[str, ...] = OPEN_STATUSES,
    area: str | None = None,
    caseworker: str | None = None,
    limit: int = 100,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Open cases, candidates first, then screening, accepted and managed; within a status the
    highest RFGV first (the score `refresh_rfgv` keeps on each open case). Read in the order
    `queue_order` keeps, from its index: a page costs its own cases, whatever the total."""
    rows = read(
        QUEUE, queue_params(statuses, area=area, caseworker=caseworker, limit=limit),
        driver=driver,
    )  # fmt: skip
    return [{**r["case"], "name": r["name"], "overdue_actions": r["overdue_actions"],
             "rfgv": r["rfgv"]} for r in rows]  # fmt: skip


def refresh_rfgv(case_ids: list[str] | None = None, driver: Driver | None = None) -> int:
    """Keep each open case's RFGV score (rfgv_ranking as of today) for the queue's order; run
    when a case opens and by every follow-up (after loads, resolution, and daily)."""
    rows = read(
        "MATCH (c:Case)-[:ABOUT]->(i:Identity) WHERE c.status IN $open "
        "AND ($ids IS NULL OR c.case_id IN $ids) "
        "RETURN c.case_id AS case_id, i.identity_id AS identity_id",
        {"open": list(OPEN_STATUSES), "ids": case_ids},
        driver=driver,
    )
    scores = ranking.scores(sorted({r["identity_id"] for r in rows}), date.today(), driver)
    write(
        "UNWIND $rows AS r MATCH (c:Case {case_id: r.case_id}) "
        "SET c.rfgv = r.score, c.rfgv_on = date() "
        "SET c.queue_order = " + _QUEUE_ORDER,
        {"rows": [{"case_id": r["case_id"], "score": scores.get(r["identity_id"], 0.0)}
                  for r in rows], "ranks": QUEUE_RANK},  # fmt: skip
        driver=driver,
    )
    return len(rows)


def follow_resolution(driver: Driver | None = None) -> int:
    """After resolution: each case points at the identity its subject record resolves to now;
    the move is kept in its history. Returns how many cases moved."""
    rows = write(
        "MATCH (c:Case)-[:SUBJECT]->(:Person)-[:RESOLVES_TO]->(now:Identity) "
        "WHERE c.identity_id <> now.identity_id OR NOT (c)-[:ABOUT]->(now) "
        "OPTIONAL MATCH (c)-[old:ABOUT]->() DELETE old "
        "WITH DISTINCT c, now "
        "CREATE (c)-[:ABOUT]->(now) "
        "CREATE (:CaseChange {case_id: c.case_id, at: datetime(), by: 'resolution', "
        "  what: 're-resolved', field: 'identity_id', version: c.version, "
        "  before_text: c.identity_id, after_text: now.identity_id})-[:OF]->(c) "
        "SET c.identity_id = now.identity_id "
        "RETURN count(c) AS n",
        driver=driver,
    )
    return int(rows[0]["n"])


# -- actions ----------------------------------------------------------------------------------
_ACTION: LiteralString = (
    "x {.action_id, .heading, .title, .agency, .owner, due_date: toString(x.due_date), "
    ".status, .version, .case_id, meeting_id: COLLECT { MATCH (x)-[:AGREED_AT]->(m:Meeting) "
    "RETURN m.meeting_id }[0], created_at: toString(x.created_at), .created_by}"
)


def actions(
    *,
    agency: str | None = None,
    owner: str | None = None,
    overdue: bool = False,
    case_id: str | None = None,
    driver: Driver | None = None,
) -> list[dict[str, Any]]:
    """Plan actions (the actions board), soonest due first, each with its case's identity."""
    return read(
        "MATCH (x:Action)-[:FOR]->(c:Case)-[:ABOUT]->(i:Identity) "
        "WHERE ($agency IS NULL OR x.agency = $agency) AND ($owner IS NULL OR x.owner = $owner) "
        "AND ($case IS NULL OR c.case_id = $case) "
        "AND (NOT $overdue OR (x.status IN $open_action AND x.due_date < date())) "
        "RETURN " + _ACTION + " AS action, i.identity_id AS identity_id, " + NAME + ", "
        "x.status IN $open_action AND x.due_date < date() AS overdue "
        "ORDER BY x.due_date, x.action_id LIMIT 1000",
        {"agency": agency, "owner": owner, "overdue": overdue, "case": case_id,
         "open_action": list(OPEN_ACTION)},  # fmt: skip
        driver=driver,
    )


def _check_action(heading: str, title: str, agency: str, owner: str) -> None:
    if heading not in HEADINGS:
        raise CaseError(f"heading must be one of {', '.join(HEADINGS)}")
    if not title.strip() or not agency.strip() or not owner.strip():
        raise CaseError("an action needs what is to be done, an owning agency and a person")


def add_action(
    hearing_id: str,
    version: int,
    by: str,
    *,
    heading: str,
    title: str,
    agency: str,
    owner: str,
    due: date,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """Record a plan action agreed at a hearing (bumps the case's version)."""
    _check_action(heading, title, agency, owner)
    _check_date(due, "an action's due date")
    action_id = _new_id("ACT")
    case_id = _case_of_hearing(hearing_id, driver)
    new_version = change(
        case_id, version, by, {}, allowed_from=("accepted", "managed"), driver=driver
    )
    write(
        "MATCH (h:Hearing {hearing_id: $hearing})-[:OF]->(c:Case), (h)-[:AT]->(m:Meeting) "
        "CREATE (x:Action {action_id: $id, case_id: c.case_id, heading: $heading, "
        "  title: $title, agency: $agency, owner: $owner, due_date: $due, status: 'open', "
        "  version: 1, created_at: datetime(), created_by: $by}) "
        "CREATE (x)-[:FOR]->(c) CREATE (x)-[:AGREED_AT]->(m) "
        "CREATE (:CaseChange {case_id: c.case_id, at: datetime(), by: $by, "
        "  what: 'action ' + $id + ' added', field: 'action', version: $version, "
        "  after_text: $heading + ': ' + $title + ' (' + $agency + ', ' + $owner + ', due ' "
        "  + toString($due) + ')'})-[:OF]->(c)",
        {"hearing": hearing_id, "id": action_id, "heading": heading, "title": title.strip(),
         "agency": agency.strip(), "owner": owner.strip(), "due": due, "by": by,
         "version": new_version},  # fmt: skip
        driver=driver,
    )
    return {"action_id": action_id, "case_id": case_id, "case_version": new_version}


def action(action_id: str, driver: Driver | None = None) -> dict[str, Any]:
    rows = read(
        "MATCH (x:Action {action_id: $id})-[:FOR]->(c:Case)-[:ABOUT]->(i:Identity) "
        "RETURN " + _ACTION + " AS action, i.identity_id AS identity_id",
        {"id": action_id},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no action {action_id}")
    return {**rows[0]["action"], "identity_id": rows[0]["identity_id"]}


def set_action(
    action_id: str,
    version: int,
    by: str,
    *,
    status: str | None = None,
    due: date | None = None,
    owner: str | None = None,
    driver: Driver | None = None,
) -> int:
    """Change an action's status, due date or owner if it is still at `version`; the change
    is kept in its case's history. Returns the action's new version."""
    if status is not None and status not in ACTION_STATUSES:
        raise CaseError(f"status must be one of {', '.join(ACTION_STATUSES)}")
    if due is not None:
        _check_date(due, "an action's due date")
    sets = {k: v for k, v in (("status", status), ("due_date", due), ("owner", owner))
            if v is not None}  # fmt: skip
    if not sets:
        raise CaseError("name a status, due date or owner to set")
    rows = write(
        "MATCH (x:Action {action_id: $id})-[:FOR]->(c:Case) "
        "SET x._lock = true "
        "WITH x, c, x.version AS was, properties(x) AS before "
        "CALL (x, c, was, before) { "
        "  WITH x, c WHERE was = $version "
        "  SET x += $sets, x.version = was + 1, x.updated_at = datetime(), x.updated_by = $by "
        "  WITH x, c UNWIND [k IN keys($sets) WHERE before[k] <> $sets[k]] AS k "
        "  CREATE (:CaseChange {case_id: c.case_id, at: datetime(), by: $by, "
        "    what: 'action ' + x.action_id + ' ' + k, field: k, version: c.version, "
        "    before_text: toString(before[k]), after_text: toString($sets[k])})-[:OF]->(c) "
        "} "
        "REMOVE x._lock RETURN was, x.version AS version",
        {"id": action_id, "version": version, "sets": sets, "by": by},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no action {action_id}")
    if rows[0]["was"] != version:
        raise StaleWrite(
            f"action {action_id} changed since you read it (you had version {version}, it is "
            f"now {rows[0]['was']}): reload it and make your change again"
        )
    return int(rows[0]["version"])


# -- meetings ---------------------------------------------------------------------------------
def attendee(agency: str, role: str, name: str) -> str:
    """One attendee as stored: 'agency|role|name'."""
    if role not in ATTENDEE_ROLES:
        raise CaseError(f"an attendee's role is one of {', '.join(ATTENDEE_ROLES)}")
    if not agency.strip() or not name.strip() or "|" in agency + name:
        raise CaseError("an attendee needs an agency and a name (without '|')")
    return f"{agency.strip()}|{role}|{name.strip()}"


def create_meeting(
    held: date, area: str, chair: str, attendees: list[str], by: str,
    driver: Driver | None = None,
) -> str:  # fmt: skip
    """A MAPPA+ meeting; `attendees` as `attendee` makes them."""
    if not area.strip() or not chair.strip():
        raise CaseError("a meeting needs an area and a chair")
    _check_date(held, "a meeting's date")
    meeting_id = _new_id("MTG")
    write(
        "CREATE (:Meeting {meeting_id: $id, date: $date, area: $area, chair: $chair, "
        "attendees: $attendees, created_by: $by, created_at: datetime()})",
        {"id": meeting_id, "date": held, "area": area.strip(), "chair": chair.strip(),
         "attendees": attendees, "by": by},  # fmt: skip
        driver=driver,
    )
    return meeting_id


def add_to_agenda(meeting_id: str, case_id: str, by: str, driver: Driver | None = None) -> str:
    """Put an accepted or managed case on a meeting's agenda (once); returns its hearing."""
    rows = write(
        "MATCH (m:Meeting {meeting_id: $meeting}) MATCH (c:Case {case_id: $case}) "
        "WHERE c.status IN ['screening', 'accepted', 'managed'] "
        "OPTIONAL MATCH (old:Hearing)-[:OF]->(c) WHERE (old)-[:AT]->(m) "
        "CALL (m, c, old) { "
        "  WITH m, c WHERE old IS NULL "
        "  CREATE (h:Hearing {hearing_id: $id, position: COUNT { (:Hearing)-[:AT]->(m) } + 1, "
        "    added_by: $by, added_at: datetime()}) "
        "  CREATE (h)-[:OF]->(c) CREATE (h)-[:AT]->(m) "
        "  CREATE (:CaseChange {case_id: c.case_id, at: datetime(), by: $by, "
        "    what: 'on agenda', field: 'agenda', version: c.version, "
        "    after_text: m.meeting_id + ' ' + toString(m.date)})-[:OF]->(c) "
        "  RETURN h.hearing_id AS made "
        "} "
        "RETURN coalesce(old.hearing_id, made) AS hearing_id",
        {"meeting": meeting_id, "case": case_id, "id": _new_id("HRG"), "by": by},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(
            f"no meeting {meeting_id}, or no case {case_id} in screening, accepted or managed"
        )
    return str(rows[0]["hearing_id"])


def _case_of_hearing(hearing_id: str, driver: Driver | None) -> str:
    rows = read(
        "MATCH (:Hearing {hearing_id: $id})-[:OF]->(c:Case) RETURN c.case_id AS case_id",
        {"id": hearing_id},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no hearing {hearing_id}")
    return str(rows[0]["case_id"])


def hearing(hearing_id: str, driver: Driver | None = None) -> dict[str, Any]:
    rows = read(
        "MATCH (h:Hearing {hearing_id: $id})-[:OF]->(c:Case)-[:ABOUT]->(i:Identity), "
        "(h)-[:AT]->(m:Meeting) "
        "RETURN h.hearing_id AS hearing_id, c.case_id AS case_id, m.meeting_id AS meeting_id, "
        "m.date AS date, i.identity_id AS identity_id",
        {"id": hearing_id},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no hearing {hearing_id}")
    return {**rows[0], "date": rows[0]["date"].to_native()}


def record_minutes(
    hearing_id: str, version: int, by: str, minutes: str, driver: Driver | None = None
) -> int:
    """The minutes of one case's hearing (replacing any before; the change is kept)."""
    h = hearing(hearing_id, driver)
    new_version = change(h["case_id"], version, by, {}, driver=driver)
    write(
        "MATCH (h:Hearing {hearing_id: $id})-[:OF]->(c:Case) "
        "CREATE (:CaseChange {case_id: c.case_id, at: datetime(), by: $by, "
        "  what: 'minutes of ' + h.hearing_id, field: 'minutes', version: $version, "
        "  before_text: h.minutes, after_text: $minutes})-[:OF]->(c) "
        "SET h.minutes = $minutes",
        {"id": hearing_id, "minutes": minutes.strip(), "by": by, "version": new_version},
        driver=driver,
    )
    return new_version


def set_level(
    hearing_id: str, version: int, by: str, level: int, driver: Driver | None = None
) -> int:
    """The meeting sets the case's level: the case is managed from the meeting's date, and its
    next review falls due by the level (cases.toml)."""
    if level not in LEVELS:
        raise CaseError("the MAPPA level is 1, 2 or 3")
    h = hearing(hearing_id, driver)
    sets: dict[str, Any] = {"level": level, "status": "managed", "last_review": h["date"],
                            "review_due": review_due(level, h["date"])}  # fmt: skip
    new_version = change(
        h["case_id"], version, by, sets, allowed_from=MOVES["managed"], driver=driver
    )
    write(
        "MATCH (c:Case {case_id: $case}) "
        "SET c.managed_since = coalesce(c.managed_since, datetime()) "
        "WITH c MATCH (h:Hearing {hearing_id: $id}) SET h.level = $level",
        {"case": h["case_id"], "id": hearing_id, "level": level},
        driver=driver,
    )
    return new_version


def impose_obligation(
    hearing_id: str,
    version: int,
    by: str,
    kind: str,
    *,
    order_keys: list[str] | None = None,
    window_days: int = 3,
    driver: Driver | None = None,
) -> dict[str, Any]:
    """A positive obligation imposed at a hearing, linked to the orders it rests on."""
    if kind not in OBLIGATIONS:
        raise CaseError(f"an obligation is one of {', '.join(OBLIGATIONS)}")
    if not 0 < window_days <= 365:
        raise CaseError("the notification window is 1 to 365 days")
    h = hearing(hearing_id, driver)
    obligation_id = _new_id("OBL")
    new_version = change(
        h["case_id"], version, by, {}, allowed_from=("accepted", "managed"), driver=driver
    )
    rows = write(
        "MATCH (h:Hearing {hearing_id: $hearing})-[:OF]->(c:Case)-[:SUBJECT]->(:Person)"
        "-[:RESOLVES_TO]->(i:Identity) "
        "CREATE (o:Obligation {obligation_id: $id, case_id: c.case_id, type: $kind, "
        "  imposed_on: $date, window_days: $window, imposed_by: $by}) "
        "CREATE (o)-[:FOR]->(c) CREATE (o)-[:IMPOSED_AT]->(h) "
        "CREATE (:CaseChange {case_id: c.case_id, at: datetime(), by: $by, "
        "  what: 'obligation ' + $kind + ' imposed', field: 'obligation', version: $version, "
        "  after_text: $kind})-[:OF]->(c) "
        "WITH o, i "
        "CALL (o, i) { "
        "  UNWIND $orders AS k "
        "  MATCH (i)<-[:RESOLVES_TO]-(:Person)-[:SUBJECT_OF]->(ord:Order {order_key: k}) "
        "  MERGE (o)-[:UNDER]->(ord) RETURN collect(ord.order_key) AS linked "
        "} "
        "SET o.order_keys = linked RETURN linked",
        {"hearing": hearing_id, "id": obligation_id, "kind": kind, "date": h["date"],
         "window": window_days, "by": by, "version": new_version,
         "orders": order_keys or []},  # fmt: skip
        driver=driver,
    )
    missing = sorted(set(order_keys or []) - set(rows[0]["linked"] if rows else []))
    if missing:
        raise CaseError(f"no order {', '.join(missing)} of which he is the subject")
    return {"obligation_id": obligation_id, "case_version": new_version}


def meeting(meeting_id: str, driver: Driver | None = None) -> dict[str, Any]:
    """A meeting with its agenda: each hearing's case, subject, minutes, level, actions and
    obligations."""
    rows = read(
        "MATCH (m:Meeting {meeting_id: $id}) "
        "RETURN m {.meeting_id, date: toString(m.date), .area, .chair, .attendees} AS meeting, "
        "COLLECT { MATCH (h:Hearing)-[:AT]->(m) MATCH (h)-[:OF]->(c:Case)-[:ABOUT]->(i:Identity) "
        "  RETURN h {.hearing_id, .position, .minutes, .level, case_id: c.case_id, "
        "  case_status: c.status, case_version: c.version, identity_id: i.identity_id, "
        "  name: COLLECT { MATCH (i)<-[:RESOLVES_TO]-(r:Person) WHERE r.full_name IS NOT NULL "
        "    RETURN r.full_name ORDER BY r.person_key LIMIT 1 }[0], "
        "  actions: COLLECT { MATCH (x:Action)-[:AGREED_AT]->(m) WHERE (x)-[:FOR]->(c) "
        "    RETURN " + _ACTION + " ORDER BY x.heading, x.due_date, x.action_id }, "
        "  obligations: COLLECT { MATCH (o:Obligation)-[:IMPOSED_AT]->(h) "
        "    RETURN o {.obligation_id, .type, .window_days, .order_keys} ORDER BY o.type } } "
        "  ORDER BY h.position } AS agenda",
        {"id": meeting_id},
        driver=driver,
    )
    if not rows:
        raise CaseNotFound(f"no meeting {meeting_id}")
    return {**rows[0]["meeting"], "agenda": rows[0]["agenda"]}


def meetings(driver: Driver | None = None) -> list[dict[str, Any]]:
    return read(
        "MATCH (m:Meeting) RETURN m.meeting_id AS meeting_id, toString(m.date) AS date, "
        "m.area AS area, m.chair AS chair, COUNT { (:Hearing)-[:AT]->(m) } AS cases "
        "ORDER BY m.date DESC, m.meeting_id LIMIT 200",
        driver=driver,
    )
