"""Time from request to a rendered link chart of 500 and 2,000 elements in headless chromium.

Method: a Dash page with the explorer's own Cytoscape component, stylesheet and default fcose
layout is served on a free loopback port; its elements (a synthetic perpetrator-centred graph,
about one edge per node) come from the server in the page's first callback, as the real chart's
do. Each load opens the URL in a fresh tab and stops the clock when cytoscape holds every
element and the layout has stopped (`layoutstop`). Service-layer and Neo4j time are not
included (see bench/ for the query benchmarks). Run: `python bench/ui.py [--runs 15]`.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import threading
import time
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


def synthetic(n_elements: int, seed: int = 1) -> list[dict[str, Any]]:
    from dashboards.components.graph import NODE_TYPES

    rng = random.Random(seed)
    n = n_elements // 2 + 1
    els: list[dict[str, Any]] = [{"data": {"id": "n0", "label": "subject", "size": 30},
                                  "classes": "Identity subject"}]  # fmt: skip
    for i in range(1, n):
        kind = rng.choice(NODE_TYPES)
        els.append({"data": {"id": f"n{i}", "label": f"{kind} {i}", "size": 30}, "classes": kind})
        j = rng.randrange(0, i)
        els.append({"data": {"id": f"e{i}", "source": f"n{j}", "target": f"n{i}",
                             "label": "linked"}, "classes": "VICTIM_IN"})  # fmt: skip
    return els[:n_elements]


def app(port: int) -> None:
    import dash_cytoscape as cyto
    from dash import Dash, Input, Output, dcc

    from dashboards.components.graph import layout, stylesheet

    dash_app = Dash(__name__)
    dash_app.layout = [
        dcc.Location(id="url"),
        cyto.Cytoscape(id="chart", elements=[], stylesheet=stylesheet(),
                       layout={"name": "preset"}, style={"width": "1200px", "height": "800px"}),
    ]  # fmt: skip

    @dash_app.callback(Output("chart", "elements"), Output("chart", "layout"),
                       Input("url", "search"))  # fmt: skip
    def load(search: str | None) -> tuple[Any, Any]:
        n = int((search or "?n=500").split("=")[1])
        els = synthetic(n)
        return els, layout("fcose", els)

    dash_app.run(port=port, debug=False)


PROBE = """(n) => new Promise(resolve => {
  const tick = () => {
    const r = document.getElementById('chart');
    const el = r && [r, ...r.querySelectorAll('*')].find(e => e._cyreg && e._cyreg.cy);
    if (el && el._cyreg.cy.elements().length === n) {
      const cy = el._cyreg.cy;
      let done = false;
      cy.one('layoutstop', () => { done = true; resolve(performance.now()); });
      setTimeout(() => { if (!done) resolve(performance.now()); }, 50);
    } else { requestAnimationFrame(tick); }
  };
  tick();
})"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    threading.Thread(target=app, args=(port,), daemon=True).start()
    time.sleep(3)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        print(f"headless chromium, fcose layout, {args.runs} loads each (first load discarded)")
        for n in (500, 2000):
            times = []
            for _ in range(args.runs + 1):
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/?n={n}", wait_until="commit")
                count = len(synthetic(n))
                times.append(page.evaluate(PROBE, count) / 1000)  # ms since navigation start
                page.close()
            times = sorted(times[1:])
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            print(f"{n:>5} elements: p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s")
        browser.close()


if __name__ == "__main__":
    main()
