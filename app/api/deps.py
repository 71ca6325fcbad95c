"""What every route takes: the process's Neo4j driver, the caller (from the bearer token) and
the purpose the caller states in the `X-Purpose` header."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Header, Query, Request
from fastapi.security import OAuth2PasswordBearer
from neo4j import Driver

from app.errors import NotAuthenticated, Unavailable
from app.security import tokens
from app.security.users import User
from app.services.door import Access

oauth2 = OAuth2PasswordBearer(tokenUrl="/token", auto_error=False)


def driver(request: Request) -> Driver:
    drv = getattr(request.app.state, "driver", None)
    if drv is None:
        raise Unavailable("the service is starting; try again shortly")
    return drv


def current_user(token: Annotated[str | None, Depends(oauth2)]) -> User:
    if not token:
        raise NotAuthenticated("log in first: POST /token, then send 'Authorization: Bearer ...'")
    return tokens.check(token)


def access(
    user: Annotated[User, Depends(current_user)],
    x_purpose: Annotated[
        str | None,
        Header(
            description="Why you are consulting this data (recorded in the audit trail; "
            "required for every request that reads personal data)."
        ),
    ] = None,
) -> Access:
    return Access(user, x_purpose)


@dataclass
class ChartFilters:
    """What narrows a link chart; the chart and its export take the same query parameters."""

    hops: Annotated[int, Query(ge=1, le=3)] = 1
    date_from: date | None = None
    date_to: date | None = None
    labels: Annotated[list[str] | None, Query(max_length=20)] = None
    rel_types: Annotated[list[str] | None, Query(max_length=20)] = None
    forces: Annotated[list[str] | None, Query(max_length=60)] = None
    limit: Annotated[int, Query(ge=1, le=5000)] = 300

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


DriverDep = Annotated[Driver, Depends(driver)]
AccessDep = Annotated[Access, Depends(access)]
ChartFiltersDep = Annotated[ChartFilters, Depends()]
