"""`serialwatch serve`: the API under uvicorn, on loopback unless told otherwise."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import reports_errors
from app.settings import get_api_settings


@reports_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Start the API (OpenAPI docs at /docs); the Dash explorer mounts at /ui when installed."""
    import uvicorn

    settings = get_api_settings()
    settings.secret()  # refuse a default secret before binding the port
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
        server_header=False,
    )
