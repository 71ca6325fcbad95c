"""What the UI tests do in the browser: reach the cytoscape instance behind a chart, open a
subject's chart from Search, pick dropdown options, save downloads."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

# Where the UI tests put the pictures they take: $SERIALWATCH_SCREENSHOTS when set (e.g.
# docs/screenshots to refresh the README's), else a temporary folder.
SHOTS = Path(os.environ.get("SERIALWATCH_SCREENSHOTS") or tempfile.mkdtemp(prefix="sw-shots-"))

# `cy` is the cytoscape.js core that dash-cytoscape keeps on one of the component's elements.
_CORE = """const r = document.getElementById(a.id);
  const el = r && [r, ...r.querySelectorAll('*')].find(e => e._cyreg && e._cyreg.cy);"""
CY = f"""(a) => {{ {_CORE} return el ? el._cyreg.cy.elements().length : -1; }}"""


def cy(page: Any, body: str, arg: Any = None, cid: str = "chart") -> Any:
    """Evaluate `body`, a JS expression over `cy` (the core) and `arg`, in the page."""
    script = f"(a) => {{ {_CORE} const cy = el._cyreg.cy; const arg = a.arg; return ({body}); }}"
    return page.evaluate(script, {"id": cid, "arg": arg})


def count(page: Any, cid: str = "chart") -> int:
    return int(page.evaluate(CY, {"id": cid}))


def wait_count(page: Any, condition: str, cid: str = "chart", timeout: int = 60_000) -> None:
    """Wait until the chart's element count `n` satisfies `condition` (a JS expression)."""
    page.wait_for_function(
        f"(a) => {{ const n = ({CY})(a); return n >= 0 && ({condition}); }}",
        arg={"id": cid},
        timeout=timeout,
    )


def open_chart(page: Any, name: str) -> None:
    page.click("a:has-text('Search')")
    page.fill("#search-box", name)
    page.click("#search-go")
    row = page.locator("tr", has_text="SERIAL perpetrator").filter(has_text=name.split()[0])
    row.first.locator("a.open-chart").click()
    page.wait_for_url("**/ui/chart?person=*")
    wait_count(page, "n > 3")


def pick(page: Any, dropdown: str, text: str | None = None) -> None:
    page.click(f"#{dropdown}")
    option = page.locator(".Select-option, [role=option]")
    (option.filter(has_text=text) if text else option).first.click()


def choose(page: Any, dropdown: str, typed: str, option: str, tries: int = 3) -> None:
    """Type into a searchable dropdown and click the option. A callback that answers while
    the menu is open (the chart's view, on a busy machine) re-renders the dropdown and drops
    what was typed, so the search is typed again; the option must still appear in the end."""
    for attempt in range(tries):
        page.click(f"#{dropdown}")
        page.keyboard.press("Control+A")
        page.keyboard.type(typed)
        found = page.locator("[role=option]", has_text=option).first
        try:
            found.click(timeout=20_000)
            return
        except Exception:
            page.keyboard.press("Escape")
            if attempt == tries - 1:
                raise


def download(page: Any, button: str, folder: Path) -> Path:
    """Click `button` (opening the menu it is folded into, if any) and save what it sends."""
    page.evaluate(
        "(b) => { const m = document.querySelector(b).closest('details'); if (m) m.open = true; }",
        button,
    )
    with page.expect_download(timeout=60_000) as d:
        page.click(button)
    target = folder / d.value.suggested_filename
    d.value.save_as(target)
    return target


def tap(page: Any, node_id: str, cid: str = "chart") -> None:
    """Click a node as the user does (cytoscape's `tap` event, which Dash listens to).

    The expression answers `true`, not what `emit` returns: that is the node, and Playwright
    would serialise it with everything it reaches (the whole cytoscape core, some 3 GB of
    JavaScript heap in 17 s), which crashed the tab now and then."""
    cy(page, "cy.getElementById(arg).emit('tap') && true", node_id, cid)


def wait_cy(page: Any, condition: str, arg: Any = None, cid: str = "chart") -> None:
    """Wait until `condition`, a JS expression over `cy` (the core) and `arg`, holds."""
    page.wait_for_function(
        f"""(a) => {{ {_CORE} if (!el) {{ return false; }}
          const cy = el._cyreg.cy; const arg = a.arg; return ({condition}); }}""",
        arg={"id": cid, "arg": arg},
        timeout=60_000,
    )


def png_size(png: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    head = png.read_bytes()[16:24]
    return int.from_bytes(head[:4], "big"), int.from_bytes(head[4:], "big")
