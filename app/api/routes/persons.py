"""Person search, the identity profile, the link chart around a person, and shortest paths."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import AccessDep, ChartFiltersDep, DriverDep
from app.api.models import Chart, PathAnswer, PersonHit, Profile
from app.api.routes import ERRORS
from app.services import network, people

router = APIRouter(tags=["persons"], responses=ERRORS)
Text = Annotated[str | None, Query(max_length=200)]


@router.get("/persons", response_model=list[PersonHit])
def search(
    access: AccessDep,
    driver: DriverDep,
    name: Annotated[
        str | None, Query(max_length=200, description="Name or alias; typos ok")
    ] = None,
    dob: Annotated[date | None, Query(description="Date of birth")] = None,
    postcode: Annotated[str | None, Query(max_length=12, description="A postcode lived at")] = None,
    record_key: Annotated[str | None, Query(max_length=200, description="A person key")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 25,
) -> list[dict[str, Any]]:
    return people.search(
        access,
        name=name,
        dob=dob,
        postcode_=postcode,
        record_key=record_key,
        limit=limit,
        driver=driver,
    )


@router.get("/persons/{person}", response_model=Profile)
def profile(person: str, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return people.profile(access, person, driver=driver)


@router.get("/persons/{person}/neighbourhood", response_model=Chart)
def neighbourhood(
    person: str,
    access: AccessDep,
    driver: DriverDep,
    filters: ChartFiltersDep,
) -> dict[str, Any]:
    return network.neighbourhood(access, person, driver=driver, **filters.as_kwargs())


@router.get("/paths", response_model=PathAnswer)
def shortest_path(
    access: AccessDep,
    driver: DriverDep,
    a: Annotated[str, Query(max_length=200, description="Identity id or person key")],
    b: Annotated[str, Query(max_length=200, description="Identity id or person key")],
    max_hops: Annotated[int, Query(ge=1, le=12)] = 8,
    budget: Annotated[
        int | None,
        Query(ge=1, le=100_000_000, description="Most relationships the search may walk"),
    ] = None,
) -> dict[str, Any]:
    return network.path(access, a, b, max_hops, driver=driver, budget=budget)
