"""What an officer meets in the inbox of a loaded graph: open items per subject, high-priority
items per owner area and in all, items that do not name their perpetrator, and how distinct
RFGV's top of the list is (issue 21's acceptance figures on the `make demo` data).

    serialwatch demo                  # in one terminal: loads the demo (50,000 people)
    python -m bench.inbox             # in another: the figures, read from the same server

Reads the server the settings name (NEO4J_* / SERIALWATCH_HOME, as every command does), read
only. Figures are printed with how they were obtained, never asserted.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from graph import alert_items as items
from graph.driver import get_driver, read
from graph.runner import run

_PER_SUBJECT = """
MATCH (it:AlertItem {status: 'new'})-[:SUBJECT]->(:Person)-[:RESOLVES_TO]->(i:Identity)
WITH i, count(it) AS open
RETURN count(i) AS subjects, max(open) AS most, count(CASE WHEN open > 1 THEN 1 END) AS over
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--top", type=int, default=50, help="RFGV's top N, for distinct totals")
    args = parser.parse_args()
    driver = get_driver()
    subjects = read(_PER_SUBJECT, driver=driver)[0]
    areas = items.count_by_area(driver)
    everything = items.count(driver)
    unnamed = [r for r in items.items(limit=1_000_000, driver=driver) if not r["name"]]
    alerts = read("MATCH (a:Alert) RETURN a.status AS status, count(*) AS n", driver=driver)
    top = run("rfgv_ranking", {"limit": args.top, "as_of": datetime.now(UTC).date()},
              driver=driver).rows  # fmt: skip
    print("alerts by status: " + ", ".join(f"{r['status']} {r['n']:,}" for r in alerts))
    print(
        f"open items: {everything['total']:,} ("
        + ", ".join(f"{k} {v:,}" for k, v in everything.items() if k != "total")
        + ")"
    )
    print(
        f"subjects with an open item: {subjects['subjects']:,}; most open items for one "
        f"subject: {subjects['most'] or 0}; subjects with more than one: {subjects['over']}"
    )
    print(f"open items not naming their perpetrator: {len(unnamed)}")
    highs = [a["high"] for a in areas]
    print(
        f"high-priority items per owner area: most {max(highs, default=0)}, "
        f"median {sorted(highs)[len(highs) // 2] if highs else 0}, areas {len(areas)}"
    )
    for a in areas:
        print(f"  {a['area'] or '(none)':<12} high {a['high']:>4}  medium {a['medium']:>5}  "
              f"low {a['low']:>5}  total {a['total']:>5}")  # fmt: skip
    totals = [float(r["score"]) for r in top]
    print(
        f"RFGV top {len(top)}: {len(set(totals))} distinct total scores "
        f"({max(totals, default=0):.2f} .. {min(totals, default=0):.2f})"
    )
    print(
        "method: read-only Cypher on the loaded graph (graph.alert_items counts as the inbox "
        "shows them, after escalation; rfgv_ranking with its default parameters)"
    )


if __name__ == "__main__":
    main()
