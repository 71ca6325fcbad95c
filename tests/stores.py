"""Where a test run keeps users and the audit trail: a store of its own, never the user's."""

from __future__ import annotations

import secrets
from pathlib import Path


def trail_env(folder: Path) -> dict[str, str]:
    """Settings for a users-and-audit store in `folder`: the trail, its anchor and key apart
    from it (in folders of their own), and a fresh token secret."""
    return {
        "SERIALWATCH_DB": str(folder / "store" / "serialwatch.db"),
        "SERIALWATCH_AUDIT_ANCHOR": str(folder / "anchor" / "audit-anchor.log"),
        "SERIALWATCH_AUDIT_KEY": secrets.token_urlsafe(48),
        "SERIALWATCH_SECRET_KEY": secrets.token_urlsafe(48),
    }
