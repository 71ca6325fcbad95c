"""Node icons as SVG data URIs: a white glyph per type on the node's colour, and on a closed
group a count badge (how many incidents, orders and breaches it holds), as combos in KeyLines."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

GLYPH = {
    "person": '<circle cx="50" cy="36" r="15" fill="#fff"/>'
    '<path d="M22 82 q0-28 28-28 q28 0 28 28 z" fill="#fff"/>',
    "Incident": '<rect x="44" y="30" width="12" height="30" fill="#fff"/>'
    '<rect x="44" y="66" width="12" height="11" fill="#fff"/>',
    "Order": '<path d="M50 24 L74 33 V52 Q74 70 50 80 Q26 70 26 52 V33 Z" fill="#fff"/>',
    "Breach": '<path d="M30 30 L70 70 M70 30 L30 70" stroke="#fff" stroke-width="11"/>',
    "Notification": '<path d="M26 34 H74 V68 H26 Z M26 34 L50 54 L74 34" fill="none" '
    'stroke="#fff" stroke-width="7"/>',
    "Address": '<path d="M24 52 L50 28 L76 52 V76 H24 Z" fill="#fff"/>',
    "Group": '<rect x="26" y="28" width="48" height="12" fill="#fff"/>'
    '<rect x="26" y="46" width="48" height="12" fill="#fff"/>'
    '<rect x="26" y="64" width="48" height="12" fill="#fff"/>',
}


@lru_cache(maxsize=512)
def icon(kind: str, count: int = 0) -> str:
    """The data URI for a node of `kind` ("person" for any person), with a badge if `count`."""
    badge = ""
    if count:
        size = 26 if count < 100 else 20
        badge = (
            '<circle cx="80" cy="20" r="19" fill="#000" stroke="#fff" stroke-width="3"/>'
            f'<text x="80" y="{20 + size * 0.36:.0f}" font-size="{size}" font-weight="700" '
            f'font-family="DejaVu Sans, Arial, sans-serif" fill="#fff" '
            f'text-anchor="middle">{count}</text>'
        )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">'
        + GLYPH.get(kind, GLYPH["Group"])
        + badge
        + "</svg>"
    )
    return "data:image/svg+xml;utf8," + quote(svg)
