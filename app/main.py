"""The FastAPI application: `create_app()` wires routers, the lifespan that owns the Neo4j
driver, and the exception handlers that turn every error into `{"detail": "..."}`.

Errors never carry a stack trace or Cypher text. When Neo4j is down the service still starts
and answers 503; the driver reconnects by itself when Neo4j returns.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from neo4j import Driver, GraphDatabase
from neo4j.exceptions import (
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api import docs
from app.api.headers import SecurityHeaders
from app.api.limits import JsonDepthLimit
from app.api.routes import (
    admin,
    alerts,
    analysis,
    auth,
    cases,
    exports,
    health,
    persons,
    queries,
)
from app.errors import ApiError, TooManyAttempts
from app.security import anchor
from app.settings import get_api_settings
from graph.cypher import BadParameter
from graph.errors import AuthFailed, ConfigError, DatabaseUnavailable, SerialwatchError
from graph.registry import QueryNotFound, get_library
from graph.runner import QueryFailed, QueryTimeout
from graph.settings import get_settings

log = logging.getLogger("serialwatch.api")
UNAVAILABLE = "the database is unavailable; try again shortly"


def make_api_driver() -> Driver:
    """The API's driver: fails fast (a short retry window) so an outage answers 503 quickly
    instead of holding requests; connections are re-made when Neo4j comes back."""
    s = get_settings()
    return GraphDatabase.driver(
        s.uri,
        auth=(s.user, s.password()),
        max_connection_lifetime=3600,
        connection_timeout=3,
        connection_acquisition_timeout=10,
        max_transaction_retry_time=get_api_settings().db_retry_s,
        max_connection_pool_size=64,
        notifications_min_severity="OFF",
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    get_api_settings().secret()  # refuse a default secret before serving anything
    anchor.key()  # and an audit key that is lost, too short or kept beside the trail
    get_library()  # a broken query file stops start-up, not a user's request
    driver = make_api_driver()
    app.state.driver = driver
    try:
        yield
    finally:
        app.state.driver = None
        driver.close()


def _detail(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _status_for(e: SerialwatchError) -> tuple[int, str]:
    if isinstance(e, ApiError):
        return e.status, str(e)
    if isinstance(e, QueryNotFound):
        return 404, str(e)
    if isinstance(e, BadParameter):
        return 422, str(e)
    if isinstance(e, QueryTimeout):
        return 503, "the query ran too long and was stopped; narrow it and try again"
    if isinstance(e, QueryFailed):
        return 422, "the query could not run with these parameters"
    if isinstance(e, DatabaseUnavailable | AuthFailed | ConfigError):
        return 503, UNAVAILABLE
    return 422, str(e)


def _validation_text(e: RequestValidationError) -> str:
    parts = []
    for err in e.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is invalid"


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(SerialwatchError)
    async def serialwatch_error(request: Request, e: SerialwatchError) -> JSONResponse:
        status, text = _status_for(e)
        if status == 503:
            log.warning("503 on %s: %s", request.url.path, e)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        if status == 503:
            headers = {"Retry-After": "5"}
        if isinstance(e, TooManyAttempts):
            headers = {"Retry-After": str(e.retry_after)}
        return _detail(status, text, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        return _detail(422, _validation_text(e))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException) -> JSONResponse:
        return _detail(e.status_code, str(e.detail), getattr(e, "headers", None))

    @app.exception_handler(ServiceUnavailable)
    @app.exception_handler(SessionExpired)
    async def neo4j_down(request: Request, e: Exception) -> JSONResponse:
        log.warning("Neo4j unavailable on %s: %s", request.url.path, e)
        return _detail(503, UNAVAILABLE, {"Retry-After": "5"})

    @app.exception_handler(Neo4jError)
    @app.exception_handler(DriverError)
    async def neo4j_error(request: Request, e: Exception) -> JSONResponse:
        log.error("Neo4j error on %s: %s", request.url.path, e)
        if isinstance(e, ClientError):
            return _detail(422, "the database refused the request")
        return _detail(503, UNAVAILABLE, {"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, e: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _detail(500, "internal error; it has been logged")


def mount_ui(app: FastAPI) -> Callable[[], Sequence[str]] | None:
    """Mount the Dash explorer at /ui when it is installed (dashboards.app exposes `mount`);
    returns what gives the CSP hashes of its inline scripts."""
    try:
        from dashboards.app import mount  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    dash_app = mount(app, "/ui")
    hashes: Callable[[], Sequence[str]] = dash_app.csp_hashes
    return hashes


def create_app(**overrides: Any) -> FastAPI:
    app = FastAPI(
        title="serialwatch",
        version="0.1.0",
        description=(
            "Graph intelligence for serial domestic-abuse and stalking perpetrators. Every "
            "request that reads personal data must state its purpose in `X-Purpose` and is "
            "recorded in the audit trail; partners see victims only as pseudonyms."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        **overrides,
    )
    for module in (health, auth, persons, queries, exports, analysis, admin, alerts, cases):
        app.include_router(module.router)
    install_handlers(app)
    docs.install(app)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        """People who open the service's address want the explorer."""
        return RedirectResponse("/ui/")

    ui_hashes = mount_ui(app)
    app.add_middleware(JsonDepthLimit)  # before any parser, the explorer's included
    app.add_middleware(SecurityHeaders, ui_hashes=ui_hashes)  # outermost: on every answer
    return app
