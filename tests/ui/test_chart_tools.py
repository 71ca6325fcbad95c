"""The link chart's tools in headless chromium: shortest path highlighted, hide / pin / remove,
SVG export, and the network analysis panel checked against networkx on what is on screen."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx

from tests.ui.browse import (
    choose,
    count,
    cy,
    download,
    open_chart,
    png_size,
    tap,
    wait_count,
    wait_cy,
)
from tests.ui.conftest import login

YELLOW = "rgb(240,228,66)"


def _graph(page: Any) -> nx.Graph:
    """The chart on screen as networkx sees it: every node, every edge (undirected)."""
    g = nx.Graph()
    for d in cy(page, "cy.nodes().map(n => n.data())"):
        g.add_node(d["id"], **d)
    for d in cy(page, "cy.edges().map(e => e.data())"):
        g.add_edge(d["source"], d["target"])
    return g


def _table(page: Any, tid: str) -> list[dict[str, str]]:
    """The rows a DataTable shows on its current page, by column id."""
    return [
        row
        for row in page.evaluate(
            """(id) => [...document.querySelectorAll(`#${id} tr`)].map(tr =>
                Object.fromEntries([...tr.querySelectorAll('td[data-dash-column]')]
                  .map(td => [td.dataset.dashColumn, td.innerText.trim()])))""",
            tid,
        )
        if row
    ]


def _focus(page: Any, node_id: str) -> None:
    """Tap a node and wait for the detail panel to show it (by name)."""
    name = cy(page, "cy.getElementById(arg).data('name')", node_id)
    tap(page, node_id)
    page.wait_for_function(
        "(n) => document.querySelector('#chart-detail').innerText.includes(n)", arg=name
    )


def test_network_analysis_matches_networkx(browser: Any, ui_server: str, planted: dict[str, Any]):
    page = login(browser, ui_server, "analyst")
    open_chart(page, planted["name"])
    page.wait_for_selector("#chart-rank td")
    g = _graph(page)
    assert len(g) <= 300  # the page's betweenness is then exact, as here
    between = nx.betweenness_centrality(g)
    degree = nx.degree_centrality(g)
    bridged = {n for e in nx.bridges(g) for n in e if g.degree(n) > 1}
    people = [n for n, d in g.nodes(data=True) if d["kind"] in ("Person", "Identity")]
    expected = sorted((round(between[n], 4) for n in people), reverse=True)
    rows = _table(page, "chart-rank")
    assert len(rows) == min(15, len(people))
    assert [float(r["betweenness"]) for r in rows] == expected[: len(rows)]
    triples = {
        (g.nodes[n]["caption"], round(degree[n], 4), round(between[n], 4), n in bridged)
        for n in people
    }
    for r in rows:
        triple = (r["person"], float(r["degree"]), float(r["betweenness"]), r["bridge"] == "yes")
        assert triple in triples
        assert int(r["community"]) >= 1
    # node size by betweenness: the most central node is drawn largest, a peripheral one smallest
    page.click("#chart-filters-open")
    page.click("#chart-size label:has-text('Betweenness')")
    wait_cy(page, "new Set(cy.nodes().map(n => n.data('size'))).size > 1")
    widths = dict(cy(page, "cy.nodes().map(n => [n.id(), n.width()])"))
    top = max(between.values())
    biggest = max(widths, key=lambda n: widths[n])
    assert between[biggest] == top
    leaf = next(n for n in g if between[n] == 0)
    assert widths[leaf] < widths[biggest]
    page.close()


def test_shortest_path_is_highlighted(browser: Any, ui_server: str, planted: dict[str, Any]):
    page = login(browser, ui_server, "analyst")
    open_chart(page, planted["name"])
    g = _graph(page)
    victim = next(  # one node per person: a victim's identity
        n for n, d in g.nodes(data=True) if d["kind"] == "Person" and d.get("role") == "victim"
    )
    classes = dict(cy(page, "cy.nodes().map(n => [n.id(), n.classes().sort().join(' ')])"))
    # the pickers offer people by name, never their keys
    choose(page, "chart-path-a", planted["name"].split()[0], planted["name"])
    page.keyboard.press("Escape")
    picked = page.inner_text("#chart-path-a")
    assert planted["name"] in picked and "ID:" not in picked
    for dropdown in ("chart-path-a", "chart-path-b"):  # the same person twice
        _set(page, dropdown, planted["id"])
    page.click("#chart-path")
    page.wait_for_selector("#chart-path-note:has-text('two different people')")
    for dropdown, node in (("chart-path-a", planted["id"]), ("chart-path-b", victim)):
        # Set as a selection sets it, not by typing into a menu that the chart's view
        # callback re-renders (and empties) on a busy machine.
        _set(page, dropdown, node)
    page.click("#chart-path")
    page.wait_for_selector("#chart-path-note:has-text('highlighted')")
    steps = int(page.inner_text("#chart-path-note").split()[2])
    on_nodes = set(cy(page, "cy.nodes('.onpath').map(n => n.id())"))
    on_edges = cy(page, "cy.edges('.onpath').map(e => [e.data('source'), e.data('target')])")
    assert {planted["id"], victim} <= on_nodes
    path = nx.Graph(on_edges)
    assert nx.shortest_path_length(path, planted["id"], victim) == steps
    assert nx.shortest_path_length(g, planted["id"], victim) == steps  # truly the shortest
    assert cy(page, "cy.getElementById(arg).style('border-color')", victim) == YELLOW
    off = next(n for n in g if n not in on_nodes)
    assert cy(page, "cy.getElementById(arg).style('border-color')", off) != YELLOW
    # a direct partner or victim link is one step (no hops between records of one person),
    # and every node keeps its type and role (the legend still applies)
    assert steps == 1
    after = dict(cy(page, "cy.nodes().map(n => [n.id(), n.classes().sort().join(' ')])"))
    for n, c in classes.items():
        assert set(c.split()) <= set(after[n].split()), n
    page.close()


def _set(page: Any, dropdown: str, value: str) -> None:
    """Set a picker as a selection sets it, not by typing into a menu that the chart's view
    callback re-renders (and empties) on a busy machine."""
    page.evaluate(
        "([id, v]) => window.dash_clientside.set_props(id, {value: v})", [dropdown, value]
    )


def test_selection_dimming_clears(
    browser: Any, ui_server: str, planted: dict[str, Any], tmp_path: Path
):
    page = login(browser, ui_server, "analyst")
    open_chart(page, planted["name"])
    other = cy(page, "cy.nodes().filter(n => !n.hasClass('subject'))[0].id()")
    opacity = "Number(cy.getElementById(arg).style('opacity'))"
    cy(page, "cy.getElementById(arg).select() && true", planted["id"])
    wait_cy(page, f"{opacity} < 1", other)
    cy(page, "cy.elements().unselect() && true")  # what a tap on the background does
    wait_cy(page, f"{opacity} === 1", other)
    # exports are the chart, not the highlighting of a selection
    cy(page, "cy.getElementById(arg).select() && true", planted["id"])
    wait_cy(page, f"{opacity} < 1", other)
    download(page, "#chart-png", tmp_path)
    wait_cy(page, f"{opacity} === 1", other)
    page.close()


def test_hide_pin_remove(browser: Any, ui_server: str, planted: dict[str, Any]):
    page = login(browser, ui_server, "analyst")
    open_chart(page, planted["name"])
    g = _graph(page)
    start = count(page)
    victims = [n for n, d in g.nodes(data=True) if d.get("role") == "victim"]
    hide, remove = victims[0], victims[1]
    # hide: the node and its links leave the chart; "Show hidden" brings them back
    _focus(page, hide)
    page.click("#chart-hide")
    wait_count(page, f"n === {start - 1 - g.degree(hide)}")
    assert cy(page, "cy.getElementById(arg).length", hide) == 0
    page.click("#chart-unhide")
    wait_count(page, f"n === {start}")
    # pin: the node stays where it is when the chart is laid out again
    pinned = victims[2]
    _focus(page, pinned)
    page.click("#chart-pin")
    cy_pin = "cy.getElementById(arg).locked() && cy.getElementById(arg).hasClass('pinned')"
    wait_cy(page, cy_pin, pinned)
    where = cy(page, "cy.getElementById(arg).position()", pinned)
    other = next(n for n in g if n != pinned)
    before = cy(page, "cy.getElementById(arg).position()", other)
    page.click("#chart-filters-open")
    page.click("#chart-layout")
    page.locator("[role=option]", has_text="Concentric").first.click()
    moved = "cy.getElementById(arg[0]).position().x !== arg[1].x"
    wait_cy(page, moved, [other, before])
    assert cy(page, "cy.getElementById(arg).position()", pinned) == where
    # remove: gone for good, even after "Show hidden" (which brings back a hidden node)
    _focus(page, remove)
    page.click("#chart-remove")
    after = start - 1 - g.degree(remove)
    wait_count(page, f"n === {after}")
    _focus(page, hide)
    page.click("#chart-hide")
    wait_count(page, f"n < {after}")
    page.click("#chart-unhide")
    wait_count(page, f"n === {after}")
    assert cy(page, "cy.getElementById(arg).length", remove) == 0
    # a filter change reads the chart again and keeps these edits
    _focus(page, hide)
    page.click("#chart-hide")
    wait_count(page, f"n < {after}")
    hidden = count(page)
    with page.expect_response(
        lambda r: "_dash-update-component" in r.url and '"chart-els' in (r.request.post_data or "")
    ):
        lower = page.locator("#chart-years input").first
        lower.fill("1996")
        lower.press("Tab")
    page.wait_for_timeout(1500)  # the answer drawn (a count that must not change)
    assert count(page) == hidden
    assert cy(page, "cy.getElementById(arg).length", hide) == 0
    assert cy(page, "cy.getElementById(arg).locked()", pinned)
    page.close()


def test_svg_export(browser: Any, ui_server: str, planted: dict[str, Any], tmp_path: Path):
    page = login(browser, ui_server, "analyst")
    open_chart(page, planted["name"])
    svg = download(page, "#chart-svg", tmp_path)
    root = ET.fromstring(svg.read_bytes())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(root.get("width", "0").rstrip("px")) > 100
    drawn = [e for e in root.iter() if e.tag.split("}")[1] in ("path", "rect", "circle", "text")]
    assert len(drawn) >= count(page) // 2
    assert planted["name"] in svg.read_text()  # the labels are in the drawing, as text
    png = download(page, "#chart-png", tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = png_size(png)  # print size, whatever the zoom on screen
    assert max(width, height) >= 2000 and width <= 3200 and height <= 2400
    page.close()


def test_graphml_and_anx_exports_keep_the_screen(
    browser: Any, ui_server: str, planted: dict[str, Any], tmp_path: Path
):
    """The chart's GraphML and i2 ANX buttons: files for the chart on screen, each person where
    the analyst sees him."""
    from tests.api.anx_reader import read_anx

    page = login(browser, ui_server, "analyst", viewport={"width": 1920, "height": 1080})
    open_chart(page, planted["name"])
    ids = cy(page, "cy.nodes('.Person').map(n => n.id())")
    shown = {i: cy(page, "cy.getElementById(arg).position()", i) for i in ids}
    graphml = nx.read_graphml(download(page, "#chart-graphml", tmp_path))
    anx = read_anx(download(page, "#chart-anx", tmp_path).read_text(encoding="utf-8"))
    page.screenshot(path=str(tmp_path / "chart-exports.png"))
    toolbar = page.evaluate(
        "() => { const t = document.querySelector('.sw-toolbar'); "
        "return [t.scrollWidth, t.clientWidth]; }"
    )
    assert toolbar[0] <= toolbar[1], "at 1920 px the toolbar fits: no button out of sight"
    kept = [i for i in ids if i in graphml.nodes]
    assert kept, "the people on screen are in the file"
    for i in kept:
        assert (graphml.nodes[i]["x"], graphml.nodes[i]["y"]) == (shown[i]["x"], shown[i]["y"])
        assert anx.entities[i]["x"] == round(shown[i]["x"])
    assert set(anx.entities) == set(graphml.nodes)
    assert "Exported ANX" in page.inner_text("#chart-message")
    page.close()
