"""Time from request to a drawn link chart of about 500 and 2,000 elements in headless chromium,
and how readable it is when drawn.

    python -m bench.ui                     # 15 loads per chart
    python -m bench.ui --runs 15 --port 8701

Method: the real explorer (API + /ui under one uvicorn worker on 127.0.0.1:--port) over the
benchmark Neo4j (bench/common.py: a synthetic delivery of --people bulk-loaded once and reused).
Synthetic charts of real people are rarely that big, so synthetic serial perpetrators are
loaded beside it by the normal loader (victims, incidents, their records and identities):

- the "500" and "2,000" men (82 and 332 victims, one incident each), whose 3-step record
  charts held about 500 and 2,000 elements (the issue's figures); the people chart folds each
  victim's records into her group, and victims after the 40th into range groups, so it draws
  far fewer;
- a man with 250 victims and two incidents with each, at the page's 2 steps: his chart drawn
  with every range of victims open (`?open=ranges`, about 500 elements) and with every group
  open as well (`?open=all`, each victim's incidents beside her: about 2,000 elements).

A bench caseworker logs in once in Debian's chromium (headless, 1400x1000); each load
navigates the same tab to the chart's URL and stops the clock when cytoscape holds every
element, its layout has stopped and the next frame is painted. The clock runs in the page from
navigation start (browser cache warm, as for an officer moving between charts), so it covers
the page, the Dash callbacks (service layer, Neo4j) and the layout. The first load per chart is
discarded. After the last load the drawn chart is checked for readability: nodes with their
label drawn at that zoom (of all nodes), the smallest of those labels on screen (px), pairs of
labels overlapping (cytoscape's own label boxes), the whole chart in view. Also printed, as
medians: when the callback that delivers the chart's elements answered, the largest chart
callback response, and the layout's own time (layoutstart to layoutstop).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip

# Installed before any page script: records cytoscape's layout start/stop once the chart exists.
HOOK = """
window.__sw = {starts: [], stops: []};
(function hook() {
  const r = document.getElementById('chart');
  const el = r && [r, ...r.querySelectorAll('*')].find(e => e._cyreg && e._cyreg.cy);
  if (!el) { requestAnimationFrame(hook); return; }
  const cy = el._cyreg.cy;
  cy.on('layoutstart', () => __sw.starts.push([performance.now(), cy.elements().length]));
  cy.on('layoutstop', () => {
    const t = performance.now(), n = cy.elements().length;
    requestAnimationFrame(() => __sw.stops.push([t, n, performance.now()]));
  });
})();
"""


# (what the row says, the man's source, victims, incidents with each, steps, ?open=)
CHARTS = (
    ('"500" man', "UIBENCH500", 82, 1, 3, ""),
    ('"2,000" man', "UIBENCH2000", 332, 1, 3, ""),
    ("250-victim man, ranges open", "UIBENCHOPEN", 250, 2, 2, "ranges"),
    ("250-victim man, all open", "UIBENCHOPEN", 250, 2, 2, "all"),
)


def planted(src: str, victims: int, each: int, out: Path) -> str:
    """A synthetic serial perpetrator with `victims` victims and `each` incidents with each
    (extract format v1, loaded by the normal loader; loading again changes nothing)."""
    from graph.driver import get_driver
    from ingest.transactional import load_delivery

    folder = out / f"ui-chart-{src.lower()}"
    folder.mkdir(parents=True, exist_ok=True)
    people = [f"{src}:P0,ASP,Benchmark,Subject,,1970-01-01,M,,"] + [
        f"{src}:P{v},ASP,Victim{v},Bench,,1980-01-01,F,," for v in range(1, victims + 1)
    ]
    keys = [(v, f"{src}:I{v}" + (f"-{k}" if k else "")) for v in range(1, victims + 1)
            for k in range(each)]  # fmt: skip
    incidents = [
        f"{key},ASP,{2000 + v % 25}-03-0{1 + v % 9},,domestic_abuse,Harassment,nfa,,"
        for v, key in keys
    ]
    parties = [
        row for v, key in keys for row in (f"{key},{src}:P0,suspect", f"{key},{src}:P{v},victim")
    ]
    files = {
        "persons.csv": "person_key,agency_code,surname,forename,middle_names,date_of_birth,"
        "gender,aliases,pnc_id",
        "incidents.csv": "incident_key,agency_code,reported_date,offence_date,category,offence,"
        "outcome,outcome_date,address_key",
        "incident_parties.csv": "incident_key,person_key,role",
    }
    for name, rows in zip(files, (people, incidents, parties), strict=True):
        (folder / name).write_text("\n".join([files[name], *rows]) + "\n")
    load_delivery(folder, get_driver())
    return f"{src}:P0"


def elements_of(person: str, hops: int, opened: str) -> int:
    """How many elements the chart page draws for `person` (as the page asks for it: people,
    each victim's records folded into her group, his later victims into range groups; with
    `opened`, the groups the page's ?open= opens)."""
    from app.security.roles import Role
    from app.security.users import User
    from app.services import network
    from app.services.door import Access
    from dashboards.components.people_chart import OPEN_WORDS, elements, view

    a = Access(User("bench-caseworker", Role.caseworker), "UI benchmark (synthetic data)")
    chart = network.people_chart(a, person, hops=hops, limit=network.OPENING["limit"])
    els = elements(chart, person, numbers=chart["numbers"])
    return len(view(els, [OPEN_WORDS[opened]] if opened else []))


def login(browser: Any, base: str) -> Any:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(120_000)
    page.add_init_script(HOOK)
    page.goto(base + "/ui/")
    page.fill("#login-user", "bench-caseworker")
    page.fill("#login-password", "bench-caseworker-password")
    page.fill("#login-purpose", "UI benchmark, synthetic data")
    page.click("#login-submit")
    page.wait_for_url("**/ui/search")
    return page


def one_load(page: Any, url: str, count: int) -> dict[str, float]:
    """Navigate, wait for the chart with `count` elements laid out and painted."""
    callbacks: list[Any] = []

    def keep(request: Any) -> None:
        callbacks.append(request)

    page.on("requestfinished", keep)
    page.goto(url, wait_until="commit")
    page.wait_for_function(f"() => window.__sw && __sw.stops.some(s => s[1] >= {count})")
    sw = page.evaluate("() => ({...window.__sw, origin: performance.timeOrigin})")
    page.remove_listener("requestfinished", keep)
    stop = next(s for s in sw["stops"] if s[1] >= count)
    start = next(s for s in reversed(sw["starts"]) if s[0] <= stop[0])
    data = [r for r in callbacks if "_dash-update-component" in r.url and _outputs(r, "chart-")]
    ends = [_end(r, sw["origin"]) for r in data if "elements" in _outputs(r, "")]
    size = max((r.sizes()["responseBodySize"] for r in data), default=0)
    return {
        "total": stop[2] / 1000,
        "layout": (stop[0] - start[0]) / 1000,
        "data_answered": max(ends, default=0) / 1000,
        "kb": size / 1024,
    }


# Once the chart is drawn: how many labels are drawn at this zoom, how many pairs of them
# overlap (cytoscape's own label boxes), and whether the whole chart is in view.
READABLE = """() => {
  const r = document.getElementById('chart');
  const cy = [r, ...r.querySelectorAll('*')].find(e => e._cyreg && e._cyreg.cy)._cyreg.cy;
  const z = cy.zoom();
  const drawn = cy.nodes(':visible').filter(n => !n.isParent()
      && String(n.style('label') || '').length > 0
      && n.pstyle('font-size').pfValue * z >= n.pstyle('min-zoomed-font-size').pfValue);
  const b = drawn.map(n => n.boundingBox({includeNodes: false, includeEdges: false,
                                          includeLabels: true}));
  let pairs = 0;
  for (let i = 0; i < b.length; i++) {
    for (let j = i + 1; j < b.length; j++) {
      if (b[i].x1 < b[j].x2 && b[j].x1 < b[i].x2 && b[i].y1 < b[j].y2 && b[j].y1 < b[i].y2) {
        pairs++;
      }
    }
  }
  const w = cy.elements(':visible').renderedBoundingBox({includeLabels: true});
  const inView = w.x1 >= 0 && w.y1 >= 0 && w.x2 <= cy.width() && w.y2 <= cy.height();
  const px = drawn.map(n => n.pstyle('font-size').pfValue * z);
  const nodes = cy.nodes(':visible').filter(n => !n.isParent()).length;
  return {labels: b.length, nodes: nodes, overlapping: pairs, in_view: inView,
          px: px.length ? Math.min(...px) : 0};
}"""


def _outputs(request: Any, prefix: str) -> str:
    try:
        out = str(json.loads(request.post_data or "{}").get("output", ""))
    except ValueError:
        return ""
    return out if prefix in out else ""


def _end(request: Any, origin: float) -> float:
    """When the response ended, in ms since the page's navigation start (`origin`, epoch ms)."""
    t = request.timing
    return float(t["startTime"]) + float(t["responseEnd"]) - origin


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--port", type=int, default=8701)
    ap.add_argument("--out", type=Path, default=Path("/tmp/serialwatch-bench"))
    args = ap.parse_args()
    from bench.api import ensure_users, start_api
    from bench.common import BENCH_ENV, national_graph, use_bench_server

    use_bench_server()
    national_graph(args.people, args.seed, args.out)
    ensure_users()
    chosen = {src: planted(src, v, each, args.out) for _, src, v, each, _, _ in CHARTS}
    api = start_api(args.port, 1)
    base = f"http://127.0.0.1:{args.port}"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
            page = login(browser, base)
            print(
                f"bench/ui.py: the explorer's /ui/chart page in headless {CHROMIUM} "
                f"(1400x1000), uvicorn 1 worker, Neo4j {BENCH_ENV['NEO4J_BOLT_PORT']} "
                f"holding {args.people:,} synthetic people; {args.runs} loads per chart after "
                "one discarded; clock from navigation start to the chart laid out and painted"
            )
            for what, src, _, _, hops, opened in CHARTS:
                ident = chosen[src]
                n = elements_of(ident, hops, opened)
                url = f"{base}/ui/chart?person={ident}&hops={hops}" + (
                    f"&open={opened}" if opened else ""
                )
                loads = [one_load(page, url, n) for _ in range(args.runs + 1)][1:]
                t = [x["total"] for x in loads]
                seen = page.evaluate(READABLE)
                print(
                    f"{n:>5} elements, {what} ({hops} steps): p50 {statistics.median(t):.2f} s, "
                    f"p95 {p95(t):.2f} s | medians: data callback answered at "
                    f"{statistics.median(x['data_answered'] for x in loads):.2f} s, "
                    f"{statistics.median(x['kb'] for x in loads):.0f} KB, layout "
                    f"{statistics.median(x['layout'] for x in loads):.2f} s | drawn: "
                    f"{seen['labels']} of {seen['nodes']} nodes labelled (smallest "
                    f"{seen['px']:.0f} px), {seen['overlapping']} overlapping pairs, "
                    f"whole chart in view: {seen['in_view']}"
                )
            browser.close()
    finally:
        api.terminate()
        api.wait(timeout=30)
    print(f"measured {time.strftime('%Y-%m-%d %H:%M')} (machine load: {_load()})")


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


if __name__ == "__main__":
    main()
