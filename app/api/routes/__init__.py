"""One router per resource; each route only translates HTTP to a service call."""

from typing import Any

from app.api.models import Detail

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Detail, "description": text}
    for code, text in (
        (400, "No purpose stated (X-Purpose header)"),
        (401, "Not logged in, or the token expired"),
        (403, "Your role may not do this"),
        (404, "Not found"),
        (422, "A parameter is invalid"),
        (503, "Neo4j is unavailable; try again shortly"),
    )
}
