"""What an officer must see first about a person, on every page that names him: the serial
tier and any order in force today."""

from __future__ import annotations

TIERS = {"serial": "SERIAL perpetrator", "at_risk": "At risk of serial offending"}


def flags(tier: str, active_orders: int) -> list[str]:
    out = [TIERS[tier]] if tier in TIERS else []
    if active_orders:
        out.append(f"ACTIVE ORDERS ({active_orders})")
    return out
