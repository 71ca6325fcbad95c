"""Ad-hoc read-only Cypher (analysts only) and the identity-resolution review queue."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import AccessDep, DriverDep
from app.api.models import CypherRequest, Decision, Rows
from app.api.routes import ERRORS
from app.services import adhoc, review

router = APIRouter(responses=ERRORS)


@router.post("/cypher", response_model=Rows, tags=["analysis"])
def cypher(body: CypherRequest, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    """One read-only statement in a read transaction, with a timeout and a row cap."""
    return adhoc.run(access, body.cypher, body.params, body.limit, driver=driver)


@router.get("/review", response_model=list[dict[str, Any]], tags=["review"])
def pending(
    access: AccessDep, driver: DriverDep, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[Any]:
    return review.pending(access, limit, driver=driver)


@router.post("/review/{pair_id}", response_model=dict[str, Any], tags=["review"])
def decide(pair_id: str, body: Decision, access: AccessDep, driver: DriverDep) -> dict[str, Any]:
    return review.decide(access, pair_id, body.decision, driver=driver)
