"""Admin resources: upload of a delivery, the audit trail, and users."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, UploadFile, status

from app.api.deps import AccessDep, DriverDep
from app.api.models import AuditEntry, AuditVerdict, CreatedUser, NewUser, UploadSummary, UserInfo
from app.api.routes import ERRORS
from app.services import admin, uploads

router = APIRouter(tags=["admin"], responses=ERRORS)


@router.post(
    "/uploads",
    response_model=UploadSummary,
    responses={
        409: ERRORS[404] | {"description": "Another upload is loading"},
        413: ERRORS[404] | {"description": "Too large"},
    },
)
def upload(file: UploadFile, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    """A delivery as a zip of the extract's CSV files; answers the summary and the rejects."""
    return uploads.upload(access, file.filename or "upload.zip", file.file, driver=driver)


@router.get("/audit", response_model=list[AuditEntry])
def audit_entries(
    access: AccessDep,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    user: Annotated[str | None, Query(max_length=64)] = None,
) -> list[dict[str, Any]]:
    return admin.audit_entries(access, after, limit, user)


@router.get("/audit/verify", response_model=AuditVerdict)
def audit_verify(access: AccessDep) -> AuditVerdict:
    v = admin.audit_verify(access)
    return AuditVerdict(ok=v.ok, entries=v.entries, problems=v.problems)


@router.get("/users", response_model=list[UserInfo])
def list_users(access: AccessDep) -> list[dict[str, str]]:
    return admin.list_users(access)


@router.post(
    "/users",
    response_model=CreatedUser,
    status_code=status.HTTP_201_CREATED,
    responses={409: ERRORS[404] | {"description": "The name is taken"}},
)
def add_user(body: NewUser, access: AccessDep) -> dict[str, str]:
    return admin.add_user(access, body.name, body.role, body.password)


@router.delete("/users/{name}", status_code=status.HTTP_204_NO_CONTENT)
def remove_user(name: str, access: AccessDep) -> None:
    admin.remove_user(access, name)
