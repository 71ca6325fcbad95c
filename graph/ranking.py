"""The RFGV ranking, stored: each perpetrator's rfgv_ranking score for one date with the
library's default bands, so that the ranking an analyst opens (today, default bands) finds its
best men through an index instead of scoring every perpetrator (150,000 at a million people).

- `(:Ranking {name: 'rfgv'})` holds the date the scores are for (`as_of`) and the bands'
  fingerprint (`config`, as `graph.runner.map_key` gives it);
- each perpetrator's Identity holds `rfgv_score` and `rfgv_as_of`, the date it was scored for.

`rerank` scores every perpetrator for a date; the follow-up that runs after every load and
resolution, and daily (`serialwatch cases follow-up`), keeps it at today (`keep_current`).
Every facts refresh rescores its identities for the stored date (`rescore`), so the stored
scores stay those rfgv_ranking gives. rfgv_ranking reads them only when they are complete for
its date and bands (as many identities scored for the date as there are perpetrators by it), and
scores its candidates again either way: its answer never depends on this module having run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from neo4j import Driver

from graph.driver import read, write
from graph.registry import get_library
from graph.runner import map_key, run

log = logging.getLogger(__name__)

NAME = "rfgv"
PROPERTIES = ("rfgv_score", "rfgv_as_of")  # on each scored Identity
QUERY = "rfgv_ranking"
BATCH = 25_000  # identities scored, then written, at a time (fewer, larger reads are faster)
TIMEOUT_S = 600.0


def scores(ids: list[str], as_of: date, driver: Driver | None) -> dict[str, float]:
    """Each identity's RFGV total as of `as_of` with the default bands (rfgv_ranking); a
    non-perpetrator (or one with nothing by that date) has none."""
    out: dict[str, float] = {}
    for at in range(0, len(ids), BATCH):
        part = ids[at : at + BATCH]
        rows = run(QUERY, {"ids": part, "as_of": as_of, "limit": len(part)}, driver=driver,
                   row_cap=len(part), timeout_s=TIMEOUT_S).rows  # fmt: skip
        out |= {r["identity_id"]: float(r["score"]) for r in rows}
    return out


def rescore(driver: Driver | None, identity_ids: Iterable[str] | None = None) -> int:
    """Score these identities (None: everyone) again for the stored ranking's date, their
    facts having changed; nothing when no ranking is stored for the current bands. Returns
    how many were scored."""
    as_of = stored_date(driver)
    if as_of is None:
        return 0
    if identity_ids is None:
        return rerank(driver, as_of)
    return _store(driver, sorted(set(identity_ids)), as_of)


def rerank(driver: Driver | None, as_of: date | None = None) -> int:
    """Score every perpetrator (and unscore every former one) for `as_of` (today), then record
    the ranking as for that date and the current bands. Returns how many were scored."""
    as_of = as_of or date.today()
    began = time.monotonic()
    ids = [r["id"] for r in read(
        "MATCH (i:Identity) WHERE i.first_event_date IS NOT NULL OR i.rfgv_score IS NOT NULL "
        "RETURN i.identity_id AS id", driver=driver, timeout_s=TIMEOUT_S)]  # fmt: skip
    scored = _store(driver, ids, as_of)
    write("MERGE (r:Ranking {name: $name}) SET r.as_of = $as_of, r.config = $config",
          {"name": NAME, "as_of": as_of, "config": _config()}, driver=driver)  # fmt: skip
    log.info("RFGV ranking stored for %s: %d perpetrators scored in %.1f s", as_of, scored,
             time.monotonic() - began)  # fmt: skip
    return scored


def keep_current(driver: Driver | None, today: date | None = None) -> bool:
    """Rerank for `today` unless the stored ranking already is; says whether it reranked."""
    today = today or date.today()
    if stored_date(driver) == today:
        return False
    rerank(driver, today)
    return True


def stored_date(driver: Driver | None) -> date | None:
    """The date the stored ranking is for, when it is for the current default bands."""
    rows = read("MATCH (r:Ranking {name: $name}) RETURN r.as_of AS as_of, r.config AS config",
                {"name": NAME}, driver=driver)  # fmt: skip
    if not rows or rows[0]["config"] != _config():
        return None
    return rows[0]["as_of"].to_native()


def _store(driver: Driver | None, ids: list[str], as_of: date) -> int:
    scored = 0
    for at in range(0, len(ids), BATCH):
        part = ids[at : at + BATCH]
        found = scores(part, as_of, driver)
        write(
            "UNWIND $rows AS r MATCH (i:Identity {identity_id: r.id}) "
            "SET i.rfgv_score = r.score, i.rfgv_as_of = CASE WHEN r.score IS NULL THEN null "
            "ELSE $as_of END",
            {"rows": [{"id": i, "score": found.get(i)} for i in part], "as_of": as_of},
            driver=driver,
            timeout_s=TIMEOUT_S,
        )
        scored += len(found)
    return scored


def _config() -> str | None:
    default: Any = get_library().get(QUERY).param("rfgv").default  # type: ignore[union-attr]
    return map_key(default)
