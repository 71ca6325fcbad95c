"""The saved query library: list, describe, run; serial perpetrators, RFGV and disclosure."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import AccessDep, DriverDep
from app.api.models import QueryInfo, Rows, RunRequest
from app.api.routes import ERRORS
from app.security.roles import Perm
from app.services import library

router = APIRouter(tags=["queries"], responses=ERRORS)


@router.get("/queries", response_model=list[QueryInfo])
def list_queries(access: AccessDep) -> list[dict[str, Any]]:
    return library.list_queries(access)


@router.get("/queries/{name}", response_model=QueryInfo)
def describe(name: str, access: AccessDep) -> dict[str, Any]:
    return library.get_query(access, name)


@router.post("/queries/{name}/run", response_model=Rows)
def run(name: str, body: RunRequest, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return library.run(access, name, body.params, limit=body.limit, driver=driver)


@router.get("/serial", response_model=Rows, tags=["serial"])
def serial(
    access: AccessDep,
    driver: DriverDep,
    tiers: Annotated[list[str] | None, Query(max_length=2)] = None,
    min_victims: Annotated[int, Query(ge=1, le=1000)] = 2,
    limit: Annotated[int | None, Query(ge=1, le=100_000)] = None,
) -> dict[str, Any]:
    """Serial perpetrators (MAPPA+ Category 4): tiers `serial` and `at_risk`."""
    params: dict[str, Any] = {"min_victims": min_victims}
    if tiers:
        params["tiers"] = tiers
    return library.run(
        access, "serial_perpetrators", params, limit=limit, perm=Perm.serial, driver=driver
    )


@router.get("/rfgv", response_model=Rows, tags=["serial"])
def rfgv(
    access: AccessDep,
    driver: DriverDep,
    as_of: date | None = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 100,
) -> dict[str, Any]:
    """Perpetrators ranked by Recency, Frequency, Gravity and Victims, with each component."""
    params: dict[str, Any] = {"limit": limit}
    if as_of:
        params["as_of"] = as_of
    return library.run(access, "rfgv_ranking", params, perm=Perm.serial, driver=driver)


@router.get("/persons/{person}/disclosure", response_model=Rows, tags=["serial"])
def disclosure(
    person: str, access: AccessDep, driver: DriverDep, as_of: date | None = None
) -> dict[str, Any]:
    """Clare's Law / DVDS: prior victims, orders, convictions, cautions, breaches."""
    params: dict[str, Any] = {"person": person}
    if as_of:
        params["as_of"] = as_of
    return library.run(access, "disclosure_check", params, perm=Perm.disclosure, driver=driver)
