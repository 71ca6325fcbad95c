"""What every command shares: the console and turning a SerialwatchError into one line."""

from __future__ import annotations

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
