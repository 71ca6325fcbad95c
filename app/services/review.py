"""The identity-resolution review queue behind the door: candidate pairs the model was unsure
of, and the reviewer's decision (`same` / `not_same`), which wins on every later run.

The queue lives in the graph and belongs to `ingest.resolve.review` (imported on first use: it
brings pandas). A pair already decided answers 409 rather than being silently overwritten.
"""

from __future__ import annotations

from typing import Any

from neo4j import Driver

from app.errors import Conflict, Invalid, NotFound
from app.security.roles import Perm
from app.services import cypher
from app.services.door import Access, guard, personal
from graph.driver import get_driver, read
from graph.errors import SerialwatchError
from graph.runner import plain


def pending(access: Access, limit: int = 50, driver: Driver | None = None) -> list[Any]:
    """Pending pairs, most likely first, with both records' identifying fields."""
    from ingest.resolve import review

    drv = driver or get_driver()

    def fetch() -> list[Any]:
        return [plain(r) for r in review.pending(drv, limit=limit)]

    return personal(access, Perm.review, "review", {"limit": limit}, fetch, driver=driver)


def decide(
    access: Access, pair_id: str, decision: str, driver: Driver | None = None
) -> dict[str, Any]:
    """Record the caller's decision on one pending pair."""
    params = {"pair_id": pair_id, "decision": decision}
    guard(access, Perm.review, "review", params, action="decide")
    drv = driver or get_driver()

    def fetch() -> dict[str, Any]:
        from ingest.resolve import review

        rows = read(cypher.REVIEW_STATUS, {"id": pair_id}, driver=drv)
        if not rows:
            raise NotFound("no review pair with that id; GET /review lists them")
        if rows[0]["status"] == "decided":
            raise Conflict(f"this pair was already decided by {rows[0]['decided_by']}")
        try:
            out = review.decide(drv, pair_id, decision, by=access.user.name)
        except SerialwatchError as e:
            raise Invalid(str(e)) from e
        return {
            "pair_id": out["pair_id"],
            "decision": out["decision"],
            "left": {"person_key": out["key_l"]},
            "right": {"person_key": out["key_r"]},
        }

    return personal(access, Perm.review, "review", params, fetch, driver=driver, action="decide")


def explain(access: Access, key_a: str, key_b: str, driver: Driver | None = None) -> str:
    """Each comparison's contribution to the match weight of two records, as text."""
    from ingest.resolve.explain import as_text
    from ingest.resolve.explain import explain as waterfall

    drv = driver or get_driver()
    return personal(
        access, Perm.review, "explain", {"keys": [key_a, key_b]},
        lambda: as_text(waterfall(drv, key_a, key_b)), driver=driver,
    )  # fmt: skip
