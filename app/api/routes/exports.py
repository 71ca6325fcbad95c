"""Exports: any saved query's result as CSV; the link chart as JSON, GraphML or i2 ANX (the
chart a person's link chart opens on: `hops=2&limit=1000`)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from app.api.deps import AccessDep, ChartFiltersDep, DriverDep
from app.api.models import RunRequest
from app.api.routes import ERRORS
from app.services import library, network

router = APIRouter(prefix="/exports", tags=["exports"], responses=ERRORS)


@router.post(
    "/queries/{name}.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def query_csv(name: str, body: RunRequest, access: AccessDep, driver: DriverDep) -> Response:
    text = library.export_csv(access, name, body.params, limit=body.limit, driver=driver)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_safe(name)}.csv"'},
    )


@router.get(
    "/persons/{person}/neighbourhood.{fmt}",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "application/xml": {}}}},
)
def chart(
    person: str,
    fmt: Literal["json", "graphml", "anx"],
    access: AccessDep,
    driver: DriverDep,
    filters: ChartFiltersDep,
) -> Response:
    text = network.export_chart(access, person, fmt, driver=driver, **filters.as_kwargs())
    media = "application/json" if fmt == "json" else "application/xml"
    return Response(
        text,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="link-chart.{fmt}"'},
    )


def _safe(name: str) -> str:
    return "".join(c for c in name if c.isalnum() or c in "_-")[:64] or "export"
