"""An inbox item's priority: documented, configurable points (graph/cypher/priority.toml), each
kept as a reason the officer reads beside the number, and the band that sets how soon someone
must acknowledge it. Pure functions over the item's factors: the graph work is in
graph/alert_items.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from graph.cypher import config

CONFIG_FILE = "priority.toml"


@dataclass(frozen=True)
class Factors:
    """What is known about an item's subject and evidence when it is ranked."""

    rules: list[str]
    newest: date | None = None  # the newest evidence's date
    rfgv: float | None = None  # his RFGV total, 0-10
    tier: str | None = None  # serial, at_risk, or None
    active_order: bool = False
    current_partner: bool = False
    watched: bool = False


@dataclass(frozen=True)
class Priority:
    score: int
    band: str
    reasons: list[str] = field(default_factory=list)


def settings() -> dict[str, Any]:
    return config(CONFIG_FILE)


def rank(f: Factors, today: date, cfg: dict[str, Any] | None = None) -> Priority:
    """The item's priority, its band, and one reason per point-bearing factor."""
    cfg = cfg or settings()
    parts: list[tuple[int, str]] = []
    if f.rules:
        gravest = max(f.rules, key=lambda r: cfg["rule"].get(r, 0))
        parts.append((cfg["rule"].get(gravest, 0), gravest.replace("_", " ")))
    if f.rfgv:
        parts.append((round(f.rfgv * cfg["rfgv"]["per_point"]), f"RFGV {f.rfgv:.1f}"))
    if f.tier is not None and f.tier in cfg["tier"]:
        parts.append((cfg["tier"][f.tier], f"{f.tier.replace('_', ' ')} tier"))
    if f.newest is not None:
        age = (today - f.newest).days
        band = next((b for b in cfg["recency"]["bands"] if age <= b["days"]), None)
        if band is not None:
            parts.append((band["points"], f"evidence {max(age, 0)} days old"))
    for name, label in (
        ("active_order", "order in force"),
        ("current_partner", "current partner is a victim"),
        ("watched", "on a watchlist"),
    ):
        if getattr(f, name):
            parts.append((cfg["facts"][name], label))
    score = sum(points for points, _ in parts)
    reasons = [f"{label} +{points}" for points, label in sorted(parts, reverse=True) if points]
    return Priority(score, band_of(score, cfg), reasons)


def band_of(score: int, cfg: dict[str, Any]) -> str:
    return str(next(b["name"] for b in cfg["bands"] if score >= b["min"]))


def due(band: str, opened: datetime, cfg: dict[str, Any]) -> datetime:
    """When an item of `band` opened at `opened` must have been acknowledged."""
    hours = next(b["hours"] for b in cfg["bands"] if b["name"] == band)
    return opened + timedelta(hours=hours)


def escalated(band: str, cfg: dict[str, Any]) -> str:
    """The band an overdue item rises to (the highest stays the highest)."""
    names = [b["name"] for b in cfg["bands"]]
    return names[max(names.index(band) - 1, 0)]
