"""The saved-query form's fields as query parameters: what the analyst typed, in the types
the query's header declares; an empty field keeps the query's own default."""

from __future__ import annotations

import json
from typing import Any


def as_list(text: Any) -> list[Any] | None:
    """A JSON list, else None."""
    try:
        value = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def params(values: list[Any], ids: list[dict[str, str]]) -> dict[str, Any]:
    """Form values as query parameters; empty fields keep the query's defaults."""
    out: dict[str, Any] = {}
    for v, i in zip(values, ids, strict=True):
        if v in ("", None, [], "null", "today"):
            continue  # the query's own default
        if i["ptype"] == "int" and isinstance(v, str):
            v = int(v)
        elif i["ptype"].startswith("list") and isinstance(v, str):
            parsed = as_list(v)  # JSON ("[]" is an empty list), else comma-separated
            v = parsed if parsed is not None else [x.strip() for x in v.split(",") if x.strip()]
        out[i["name"]] = v
    return out
