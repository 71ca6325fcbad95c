"""Pydantic models of the API's answers. Dates are ISO strings (a partner's redacted view may
hold none), and rows of saved queries stay open maps: each query documents its own columns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Detail(BaseModel):
    detail: str = Field(description="What went wrong, readable as it is.")


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class Status(BaseModel):
    status: str
    detail: str | None = None


class PersonHit(Open):
    identity_id: str
    record_keys: list[str]
    names: list[str | None]
    dates_of_birth: list[str | None]
    agencies: list[str | None]
    score: float | None = None


class Profile(Open):
    identity_id: str
    record_keys: list[str]
    aliases: list[str | None]
    perpetrator: bool
    records: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    incidents: list[dict[str, Any]]
    orders: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    agencies: list[dict[str, Any]]


class ChartNode(Open):
    id: str
    label: str | None = None
    caption: str | None = None
    hops: int | None = None


class ChartEdge(BaseModel):
    source: str
    target: str
    type: str


class Chart(BaseModel):
    centre: str
    nodes: list[ChartNode]
    edges: list[ChartEdge]
    truncated: bool


class PathAnswer(BaseModel):
    a: str
    b: str
    found: bool
    length: int | None
    searched: int = Field(description="steps searched: no shorter path exists")
    note: str | None = Field(None, description="why no path is shown (e.g. none within N steps)")
    steps: list[dict[str, Any]]


class QueryParam(BaseModel):
    name: str
    type: str
    required: bool
    default: str | None
    description: str
    choices: list[str] | None


class QueryInfo(BaseModel):
    name: str
    title: str
    description: str
    scope: str
    returns: str
    params: list[QueryParam]


class RunRequest(BaseModel):
    params: dict[str, Any] = Field(
        default_factory=dict, description="The query's parameters by name (see its header)."
    )
    limit: int | None = Field(None, ge=1, le=100_000, description="Most rows to return.")


class Rows(BaseModel):
    name: str | None = None
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool | None = None
    note: str | None = None  # why the rows were cut short, when they were
    elapsed_ms: float | None = None


class CypherRequest(BaseModel):
    cypher: str = Field(max_length=20_000, description="One read-only Cypher statement.")
    params: dict[str, Any] = Field(default_factory=dict)
    limit: int | None = Field(None, ge=1, le=100_000)


class Decision(BaseModel):
    decision: str = Field(
        pattern="^(same|not_same)$",
        description="`same`: one human; `not_same`: two different people.",
    )


class FileSummary(BaseModel):
    name: str
    loaded: int
    unchanged: int
    rejected: int
    seconds: float


class RejectRow(BaseModel):
    file: str
    line: int | None
    reason: str
    raw: str = ""  # the record as it came (the first line of a malformed one)
    row: dict[str, Any]


class UploadSummary(BaseModel):
    delivery: str
    files: list[FileSummary]
    ignored: list[str]
    rejected: int
    rejects: list[RejectRow]


class AuditEntry(BaseModel):
    seq: int
    at: str
    user: str
    role: str
    purpose: str
    action: str
    resource: str
    params: Any
    identities: list[str]
    outcome: str
    prev_hash: str
    hash: str


class AuditVerdict(BaseModel):
    ok: bool
    entries: int
    problems: list[str]


class UserInfo(BaseModel):
    name: str
    role: str
    created_at: str | None = None


class NewUser(BaseModel):
    name: str = Field(min_length=2, max_length=64)
    role: str
    password: str | None = Field(None, min_length=12, max_length=200)


class PasswordChange(BaseModel):
    old_password: str = Field(max_length=200)
    new_password: str = Field(
        min_length=12, max_length=200, description="12 to 200 characters, not blank"
    )


class CreatedUser(BaseModel):
    name: str
    role: str
    password: str = Field(description="Shown once; give it to the user over a safe channel.")
