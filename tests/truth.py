"""Ground truth for tests: read a synthetic delivery's truth.json and resolve identities by it.

`relink_identities` replaces every identity in the graph by the truth's grouping (one Identity
per human, `identity_id` = the human id, all his records RESOLVES_TO it), so query results can be
compared with the truth id for id. The identity-resolution tests use the same grouping as the
answer key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from neo4j import Driver

from graph.driver import write, write_batched
from graph.facts import refresh_all

BATCH = 2000


def load_truth(delivery: Path) -> dict[str, Any]:
    """The delivery's truth.json as a dict."""
    return dict(json.loads((Path(delivery) / "truth.json").read_text(encoding="utf-8")))


def relink_identities(driver: Driver, truth: dict[str, Any]) -> None:
    """Drop every Identity and link each human's records to one Identity named after him.

    Records the truth does not list keep a singleton identity `ID:<person_key>`. The
    per-identity facts are then recomputed, as production does after a resolution.
    """
    write_batched(
        "MATCH (i:Identity) CALL (i) { DETACH DELETE i } IN TRANSACTIONS OF 10000 ROWS",
        driver=driver,
    )
    humans = [{"hid": h, "keys": keys} for h, keys in truth["people"].items()]
    for start in range(0, len(humans), BATCH):
        write(
            "UNWIND $rows AS row "
            "CREATE (h:Identity {identity_id: row.hid, record_count: size(row.keys)}) "
            "WITH h, row UNWIND row.keys AS k "
            "MATCH (p:Person {person_key: k}) "
            "CREATE (p)-[:RESOLVES_TO {method: 'truth'}]->(h)",
            {"rows": humans[start : start + BATCH]},
            driver=driver,
        )
    write_batched(
        "MATCH (p:Person) WHERE NOT EXISTS { (p)-[:RESOLVES_TO]->(:Identity) } "
        "CALL (p) { CREATE (p)-[:RESOLVES_TO {method: 'initial'}]->"
        "(:Identity {identity_id: 'ID:' + p.person_key, record_count: 1}) } "
        "IN TRANSACTIONS OF 10000 ROWS",
        driver=driver,
    )
    refresh_all(driver)  # every identity changed, as after a first resolution
