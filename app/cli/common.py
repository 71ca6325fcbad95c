"""What every command shares: the console and turning a SerialwatchError into one line."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from graph.errors import SerialwatchError

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def user_errors() -> Iterator[None]:
    """Report a SerialwatchError as one red line and exit with its code (no stack trace)."""
    try:
        yield
    except SerialwatchError as e:
        err_console.print(f"[red]error:[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
        raise typer.Exit(e.exit_code) from None


def reports_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of `user_errors` for a command function."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with user_errors():
            return fn(*args, **kwargs)

    return wrapper


@contextmanager
def step(what: str) -> Iterator[Callable[[str], None]]:
    """A long step shown as a live line (spinner, elapsed seconds, latest detail) that ends as
    `done: what (N s)`; yields a function that sets the detail."""
    began = time.monotonic()
    with console.status(what) as status:

        def detail(text: str) -> None:
            status.update(f"{what}: {escape(text)} ({time.monotonic() - began:.0f} s)")

        yield detail
    console.print(f"[green]done:[/green] {what} ({time.monotonic() - began:.0f} s)")


def fetch_progress(detail: Callable[[str], None]) -> Callable[[str], None]:
    """An `on_file` for the Neo4j fetch: counts Maven's downloads into `detail`."""
    count = 0

    def on_file(name: str) -> None:
        nonlocal count
        count += 1
        detail(f"{count} files, latest {name}")

    return on_file
