"""The saved query library's files, and the typed parameters their headers declare.

A header line `// param NAME: TYPE [= DEFAULT] [-- description]` declares one parameter;
`// choices NAME: a, b` and `// range NAME: 1..3` restrict it. Values arrive as text (CLI, URL)
or as Python values (API) and are coerced here, so a query only ever sees its declared types.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from graph.errors import SerialwatchError

SCALARS = ("string", "int", "float", "bool", "date", "map")
TYPES = SCALARS + tuple(f"list<{t}>" for t in ("string", "int", "float", "date"))
_DECL = re.compile(r"^(?P<type>[a-z<>]+)\s*(?:=\s*(?P<default>.*?))?\s*(?:--\s*(?P<desc>.*))?$")
_TRUE, _FALSE = {"true", "yes", "1", "y"}, {"false", "no", "0", "n"}


class BadParameter(SerialwatchError):
    """A parameter is unknown, missing, or its value does not fit the declared type."""


class _Sentinel:
    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


MISSING: Any = _Sentinel("MISSING")
TODAY: Any = _Sentinel("TODAY")


@dataclass(frozen=True)
class Param:
    """A declared parameter: its type, default (MISSING when required) and restrictions."""

    name: str
    type: str
    default: Any
    default_text: str
    description: str
    choices: tuple[str, ...] | None = None
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        extra = []
        if self.choices:
            extra.append("one or more of " if self.type.startswith("list") else "one of ")
            extra[-1] += ", ".join(f"`{c}`" for c in self.choices)
        if self.low is not None or self.high is not None:
            extra.append(f"from {self.low:g} to {self.high:g}" if self.high is not None
                         else f"at least {self.low:g}")
        return "; ".join([self.description, *extra]) if extra else self.description

    def restricted(self, kind: str, value: str, problems: list[str]) -> Param:
        """This parameter with a `choices` or `range` restriction added."""
        if kind == "choices":
            return replace(self, choices=tuple(c.strip() for c in value.split(",") if c.strip()))
        m = re.match(r"^\s*(-?[\d.]+)\s*\.\.\s*(-?[\d.]+)?\s*$", value)
        if not m or self.type not in ("int", "float"):
            problems.append(f"range {self.name}: expected `LOW..HIGH` on an int or float")
            return self
        return replace(self, low=float(m.group(1)),
                       high=float(m.group(2)) if m.group(2) else None)

    def value(self, given: Any = MISSING) -> Any:
        """The value to send: the coerced given value, else the default; checked either way."""
        if given is MISSING:
            if self.default is MISSING:
                raise BadParameter(f"${self.name} is required ({self.type}): {self.description}")
            if self.default is TODAY:
                return date.today()
            return self.default
        v = coerce(self.type, given, self.name)
        self._check(v)
        return v

    def _check(self, v: Any) -> None:
        if v is None:
            return
        if self.choices is not None:
            bad = [x for x in (v if isinstance(v, list) else [v]) if x not in self.choices]
            if bad:
                raise BadParameter(
                    f"${self.name}: {', '.join(map(str, bad))} not allowed; "
                    f"choose from {', '.join(self.choices)}"
                )
        if (self.low is not None and v < self.low) or (self.high is not None and v > self.high):
            high = "" if self.high is None else f"{self.high:g}"
            raise BadParameter(f"${self.name}={v} is outside {self.low or 0:g}..{high}")


def coerce(type_: str, value: Any, name: str = "value") -> Any:
    """`value` (text or Python) as the declared type; BadParameter says what was expected."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("null", "none")):
        return None
    try:
        if type_.startswith("list<"):
            inner = type_[5:-1]
            if isinstance(value, str):
                text = value.strip()
                items = json.loads(text) if text.startswith("[") else [
                    s.strip() for s in text.split(",") if s.strip()]
            else:
                items = list(value)
            if not isinstance(items, list):
                raise ValueError("not a list")
            return [coerce(inner, x, name) for x in items]
        return _SCALAR[type_](value)
    except BadParameter:
        raise
    except (ValueError, TypeError, json.JSONDecodeError) as e:
        raise BadParameter(f"${name}: {value!r} is not a valid {type_} ({e})") from None


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    text = str(v).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError("expected true or false")


INT64 = (-(2**63), 2**63 - 1)  # Cypher's INTEGER: the driver cannot send a larger one


def _int(v: Any) -> int:
    if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
        raise ValueError("expected a whole number")
    n = int(v)
    if not INT64[0] <= n <= INT64[1]:
        raise ValueError("expected a whole number within Cypher's 64-bit range")
    return n


def _float(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError("expected a number")
    return float(v)


def _date(v: Any) -> date:
    if isinstance(v, date):
        return date(v.year, v.month, v.day)
    if hasattr(v, "to_native"):
        return _date(v.to_native())
    text = str(v).strip()
    return date.today() if text == "today" else date.fromisoformat(text)


def _map(v: Any) -> dict[str, Any]:
    out = json.loads(v) if isinstance(v, str) else dict(v)
    if not isinstance(out, dict):
        raise ValueError("expected a JSON object")
    return out


def _string(v: Any) -> str:
    if not isinstance(v, str | int | float) or isinstance(v, bool):
        raise ValueError("expected text")
    return str(v)


_SCALAR = {"string": _string, "int": _int, "float": _float, "bool": _bool, "date": _date,
           "map": _map}


def parse_param(
    name: str, decl: str, base: Traversable | Path | None, problems: list[str]
) -> Param:
    """One `// param` line; problems are appended, not raised, so a file reports them all."""
    m = _DECL.match(decl)
    type_ = m.group("type") if m else ""
    if not m or type_ not in TYPES:
        problems.append(f"param {name}: type must be one of {', '.join(TYPES)}")
        return Param(name, "string", MISSING, "", decl)
    text = (m.group("default") or "").strip()
    desc = (m.group("desc") or "").strip()
    if not desc:
        problems.append(f"param {name}: no `-- description`")
    default: Any = MISSING
    if m.group("default") is not None:
        try:
            default = _default(type_, text, base)
        except (BadParameter, OSError, tomllib.TOMLDecodeError) as e:
            problems.append(f"param {name}: bad default {text!r}: {e}")
    return Param(name, type_, default, text, desc)


def _default(type_: str, text: str, base: Traversable | Path | None) -> Any:
    if text == "today" and type_ == "date":
        return TODAY
    if text.startswith("@") and type_ == "map":
        return config(text[1:], base)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        raw = text
    return coerce(type_, raw)


def config(filename: str, base: Traversable | Path | None = None) -> dict[str, Any]:
    """A TOML file beside the queries (the analyst's folder first, then the built-in one)."""
    for root in (base, resources.files("graph.cypher")):
        if root is not None and root.joinpath(filename).is_file():
            return tomllib.loads(root.joinpath(filename).read_text(encoding="utf-8"))
    raise OSError(f"no file {filename} beside the queries")
