"""MAPPA+ case work: cases and their lifecycle, screening assessments, meetings (agenda,
minutes, level, plan actions, obligations) and the actions board. Every change names the
version the caller read: a stale write answers 409 and changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from app.api.deps import AccessDep, DriverDep
from app.api.models import Open
from app.api.routes import ERRORS
from app.services import cases
from graph import cases as gc

router = APIRouter(tags=["cases"], responses=ERRORS)
WithConflict = {**ERRORS, 409: {**ERRORS[404], "description": "Stale version, or not allowed "
                                "from its status: reload and try again"}}  # fmt: skip
CaseId = Annotated[str, Path(max_length=40, pattern=r"^CASE-[0-9a-f]{1,32}$")]
MeetingId = Annotated[str, Path(max_length=40, pattern=r"^MTG-[0-9a-f]{1,32}$")]
HearingId = Annotated[str, Path(max_length=40, pattern=r"^HRG-[0-9a-f]{1,32}$")]
ActionId = Annotated[str, Path(max_length=40, pattern=r"^ACT-[0-9a-f]{1,32}$")]
AssessmentId = Annotated[str, Path(max_length=40, pattern=r"^ASM-[0-9a-f]{1,32}$")]
Version = Annotated[int, Field(ge=1, description="The version you read (optimistic locking)")]
Text = Annotated[str, Field(max_length=20_000)]


class Case(Open):
    case_id: str
    status: str
    version: int
    identity_id: str | None = None


class NewCase(BaseModel):
    person: str = Field(max_length=200, description="Identity id or record key")
    area: str = Field("", max_length=64)
    lead_agency: str = Field("", max_length=64)
    caseworker: str = Field("", max_length=64)


class Move(BaseModel):
    version: Version
    status: str = Field(description=", ".join(gc.MOVES))
    reason: Text | None = Field(None, description="Required for not_accepted and closed")
    level: int | None = Field(None, ge=1, le=3, description="Required to accept")


class Assign(BaseModel):
    version: Version
    caseworker: str | None = Field(None, max_length=64)
    lead_agency: str | None = Field(None, max_length=64)
    area: str | None = Field(None, max_length=64)


class Assess(BaseModel):
    version: Version
    notes: Text
    decision: str = Field(description="accept, not_accept or defer")


class Attendee(BaseModel):
    agency: str = Field(max_length=100)
    role: str = Field(description=", ".join(gc.ATTENDEE_ROLES))
    name: str = Field(max_length=100)


class NewMeeting(BaseModel):
    date: date
    area: str = Field(max_length=64)
    chair: str = Field(max_length=100)
    attendees: list[Attendee] = Field(default_factory=list, max_length=100)


class AgendaItem(BaseModel):
    case_id: str = Field(max_length=40, pattern=r"^CASE-[0-9a-f]{1,32}$")


class Minutes(BaseModel):
    version: Version
    minutes: Text


class Level(BaseModel):
    version: Version
    level: int = Field(ge=1, le=3)


class NewAction(BaseModel):
    version: Version
    heading: str = Field(description=", ".join(gc.HEADINGS))
    title: str = Field(max_length=1000)
    agency: str = Field(max_length=100)
    owner: str = Field(max_length=100)
    due: date


class NewObligation(BaseModel):
    version: Version
    kind: str = Field(description=", ".join(gc.OBLIGATIONS))
    order_keys: list[str] = Field(default_factory=list, max_length=50)
    window_days: int = Field(3, ge=1, le=365)


class ActionChange(BaseModel):
    version: Version
    status: str | None = Field(None, description=", ".join(gc.ACTION_STATUSES))
    due: date | None = None
    owner: str | None = Field(None, max_length=100)


@router.get("/cases", response_model=list[Case])
def queue(
    access: AccessDep,
    driver: DriverDep,
    area: Annotated[str | None, Query(max_length=64)] = None,
    mine: bool = False,
    status: Annotated[list[str] | None, Query(max_length=6)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The caseworker's queue: open cases, candidates first, each status ranked by RFGV."""
    return cases.queue(access, area=area, mine=mine, statuses=status, limit=limit,
                       driver=driver)  # fmt: skip


@router.post("/cases", response_model=Case, status_code=201, responses=WithConflict)
def open_case(body: NewCase, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    """Open a candidate case by hand (409 if he already has an open case)."""
    return cases.open_case(access, body.person, area=body.area, lead_agency=body.lead_agency,
                           caseworker=body.caseworker, driver=driver)  # fmt: skip


@router.get("/cases/{case_id}", response_model=Case)
def one(case_id: CaseId, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return cases.detail(access, case_id, driver=driver)


@router.post("/cases/{case_id}/move", response_model=Case, responses=WithConflict)
def move(case_id: CaseId, body: Move, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return cases.move(access, case_id, body.version, body.status, reason=body.reason,
                      level=body.level, driver=driver)  # fmt: skip


@router.post("/cases/{case_id}/assign", response_model=Case, responses=WithConflict)
def assign(
    case_id: CaseId, body: Assign, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    return cases.assign(access, case_id, body.version, caseworker=body.caseworker,
                        lead_agency=body.lead_agency, area=body.area, driver=driver)


@router.post("/cases/{case_id}/assessments", response_model=Open, status_code=201,
             responses=WithConflict)  # fmt: skip
def assess(
    case_id: CaseId, body: Assess, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    """Screening: freeze the evidence as it stands, with notes and decision."""
    return cases.assess(access, case_id, body.version, notes=body.notes,
                        decision=body.decision, driver=driver)  # fmt: skip


@router.get("/assessments/{assessment_id}", response_model=Open)
def assessment(assessment_id: AssessmentId, access: AccessDep, driver: DriverDep
               ) -> dict[str, Any]:  # fmt: skip
    return cases.assessment(access, assessment_id, driver=driver)


@router.get("/assessments/{assessment_id}/since/{earlier}", response_model=Open)
def changed_since(
    assessment_id: AssessmentId, earlier: AssessmentId, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    """What changed from an earlier assessment of the same case to this one."""
    return cases.changed_since(access, earlier, assessment_id, driver=driver)


@router.get("/meetings", response_model=list[Open])
def meetings(access: AccessDep, driver: DriverDep) -> list[dict[str, Any]]:
    return cases.meetings(access, driver=driver)


@router.post("/meetings", response_model=Open, status_code=201)
def new_meeting(body: NewMeeting, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return cases.create_meeting(access, body.date, body.area, body.chair,
                                [a.model_dump() for a in body.attendees], driver=driver)


@router.get("/meetings/{meeting_id}", response_model=Open)
def meeting(meeting_id: MeetingId, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return cases.meeting(access, meeting_id, driver=driver)


@router.post("/meetings/{meeting_id}/agenda", response_model=Open, status_code=201)
def agenda(
    meeting_id: MeetingId, body: AgendaItem, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    return cases.add_to_agenda(access, meeting_id, body.case_id, driver=driver)


@router.put("/hearings/{hearing_id}/minutes", response_model=Open, responses=WithConflict)
def minutes(
    hearing_id: HearingId, body: Minutes, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    return cases.record_minutes(access, hearing_id, body.version, body.minutes, driver=driver)


@router.put("/hearings/{hearing_id}/level", response_model=Open, responses=WithConflict)
def level(
    hearing_id: HearingId, body: Level, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    """Set the MAPPA level: the case is managed, its review due by the level."""
    return cases.set_level(access, hearing_id, body.version, body.level, driver=driver)


@router.post("/hearings/{hearing_id}/actions", response_model=Open, status_code=201,
             responses=WithConflict)  # fmt: skip
def new_action(
    hearing_id: HearingId, body: NewAction, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    return cases.add_action(access, hearing_id, body.version, heading=body.heading,
                            title=body.title, agency=body.agency, owner=body.owner,
                            due=body.due, driver=driver)  # fmt: skip


@router.post("/hearings/{hearing_id}/obligations", response_model=Open, status_code=201,
             responses=WithConflict)  # fmt: skip
def new_obligation(
    hearing_id: HearingId, body: NewObligation, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    return cases.impose_obligation(access, hearing_id, body.version, body.kind,
                                   order_keys=body.order_keys, window_days=body.window_days,
                                   driver=driver)  # fmt: skip


@router.get("/actions", response_model=list[Open])
def board(
    access: AccessDep,
    driver: DriverDep,
    view: Annotated[str, Query(description=", ".join(cases.BOARDS))] = "mine",
) -> list[dict[str, Any]]:
    """The actions board: mine, my agency's, overdue, or all."""
    return cases.board(access, view, driver=driver)


@router.patch("/actions/{action_id}", response_model=Open, responses=WithConflict)
def change_action(
    action_id: ActionId, body: ActionChange, access: AccessDep, driver: DriverDep
) -> dict[str, Any]:
    return cases.set_action(access, action_id, body.version, status=body.status, due=body.due,
                            owner=body.owner, driver=driver)  # fmt: skip
