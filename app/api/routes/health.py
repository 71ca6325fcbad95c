"""Liveness (the process answers) and readiness (Neo4j answers too)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.api.deps import DriverDep
from app.api.models import Status

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Status)
def healthz() -> Status:
    return Status(status="ok")


@router.get("/readyz", response_model=Status, responses={503: {"model": Status}})
def readyz(driver: DriverDep) -> Status | JSONResponse:
    try:
        driver.verify_connectivity()
    except Exception:  # any failure means "not ready"; the reason is in the server's log
        return JSONResponse({"status": "unavailable", "detail": "Neo4j is not reachable"}, 503)
    return Status(status="ready")
