"""Time from request to a rendered link chart of about 500 and 2,000 elements in headless chromium.

    python -m bench.ui                     # 15 loads per size
    python -m bench.ui --runs 15 --port 8701

Method: the real explorer (API + /ui under one uvicorn worker on 127.0.0.1:--port) over the
benchmark Neo4j (bench/common.py: a synthetic delivery of --people bulk-loaded once and reused).
Synthetic charts of real people are rarely that big, so for each size a synthetic serial
perpetrator is loaded beside it by the normal loader (victims, incidents, their records and
identities), whose 3-step chart holds about that many elements. A bench caseworker logs in once
in Debian's chromium (headless, 1400x1000); each load navigates the same tab to
/ui/chart?person=...&hops=3 and stops the clock when cytoscape holds every element, its layout
has stopped and the next frame is painted. The clock runs in the page from navigation start
(browser cache warm, as for an officer moving between charts), so it covers the page, the Dash
callbacks (service layer, Neo4j) and the layout. The first load per size is discarded. After the
last load the drawn chart is checked for readability: labels drawn at that zoom and the size
of the smallest on screen (px), pairs of them overlapping (cytoscape's own label boxes), the
whole chart in view. Also
printed, as medians: when the callback that delivers the chart's elements answered, the largest
chart callback response, and the layout's own time (layoutstart to layoutstop).
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
TARGETS = (500, 2000)

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


def planted(target: int, out: Path) -> tuple[str, int]:
    """A synthetic serial perpetrator (extract format v1, loaded by the normal loader; loading
    again changes nothing) whose 3-step chart holds about `target` elements: per victim an
    incident, her record and her identity, and the three links between them."""
    from graph.driver import get_driver
    from ingest.transactional import load_delivery

    src, victims = f"UIBENCH{target}", (target - 4) // 6
    folder = out / f"ui-chart-{target}"
    folder.mkdir(parents=True, exist_ok=True)
    people = [f"{src}:P0,ASP,Benchmark,Subject,,1970-01-01,M,,"] + [
        f"{src}:P{v},ASP,Victim{v},Bench,,1980-01-01,F,," for v in range(1, victims + 1)
    ]
    incidents = [
        f"{src}:I{v},ASP,{2000 + v % 25}-03-0{1 + v % 9},,domestic_abuse,Harassment,nfa,,"
        for v in range(1, victims + 1)
    ]
    parties = [
        row
        for v in range(1, victims + 1)
        for row in (f"{src}:I{v},{src}:P0,suspect", f"{src}:I{v},{src}:P{v},victim")
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
    return f"{src}:P0", 3


def elements_of(person: str, hops: int) -> int:
    """How many elements the chart page draws for `person` (as the page asks for it: people,
    each victim's records folded into her group, so fewer than the records read)."""
    from app.security.roles import Role
    from app.security.users import User
    from app.services import network
    from app.services.door import Access
    from dashboards.components.people_chart import elements, view

    a = Access(User("bench-caseworker", Role.caseworker), "UI benchmark (synthetic data)")
    chart = network.neighbourhood(a, person, hops=hops, limit=1000)
    return len(view(elements(chart, person), []))


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
  return {labels: b.length, overlapping: pairs, in_view: inView,
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
    chosen = {t: planted(t, args.out) for t in TARGETS}
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
            for target in TARGETS:
                ident, hops = chosen[target]
                n = elements_of(ident, hops)
                url = f"{base}/ui/chart?person={ident}&hops={hops}"
                loads = [one_load(page, url, n) for _ in range(args.runs + 1)][1:]
                t = [x["total"] for x in loads]
                seen = page.evaluate(READABLE)
                print(
                    f"{n:>5} elements ({hops} steps): p50 {statistics.median(t):.2f} s, "
                    f"p95 {p95(t):.2f} s | medians: data callback answered at "
                    f"{statistics.median(x['data_answered'] for x in loads):.2f} s, "
                    f"{statistics.median(x['kb'] for x in loads):.0f} KB, layout "
                    f"{statistics.median(x['layout'] for x in loads):.2f} s | drawn: "
                    f"{seen['labels']} labels (smallest {seen['px']:.0f} px), "
                    f"{seen['overlapping']} overlapping pairs, "
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
