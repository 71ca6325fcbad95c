"""The explorer end to end in headless chromium: log in, search a planted serial perpetrator,
open and expand his chart, filter by date, run a saved query, present him in meeting mode and
export PNG and PDF; as `partner`, no victim name appears in page text or exports."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import login

CY = """(id) => {
  const root = document.getElementById(id);
  if (!root) { return -1; }
  const all = [root, ...root.querySelectorAll('*')];
  const el = all.find(e => e._cyreg && e._cyreg.cy);
  return el ? el._cyreg.cy.elements().length : -1;
}"""


@pytest.fixture(scope="module")
def planted(ui_server: str, ui_data: dict[str, Any]) -> dict[str, Any]:
    """The planted serial perpetrator with most victims, and his victims' names (read as an
    analyst through the service layer; the truth file confirms he was planted as serial)."""
    from app.security.roles import Role
    from app.security.users import User
    from app.services import library
    from app.services.door import Access

    a = Access(User("analyst", Role.analyst), "test set-up: choose a planted subject")
    rows = library.run(a, "serial_perpetrators", {"tiers": ["serial"]})["rows"]
    planted_keys = {k for h in ui_data["serial"] for k in ui_data["people"][h]}
    rows = [r for r in rows if set(r["record_keys"]) & planted_keys]
    best = max(rows, key=lambda r: (r["victims"], r["identity_id"]))
    chain = library.run(a, "victim_chain", {"person": best["identity_id"]})["rows"]
    victims = sorted({v["name"] for v in chain if v.get("name")})
    assert len(victims) >= 2
    return {"id": best["identity_id"], "name": best["name"], "victims": victims}


def _open_chart(page: Any, name: str) -> None:
    page.click("a:has-text('Search')")
    page.fill("#search-box", name)
    page.click("#search-go")
    row = page.locator("tr", has_text="SERIAL perpetrator").filter(has_text=name.split()[0])
    row.first.locator("a.open-chart").click()
    page.wait_for_url("**/ui/chart?person=*")
    page.wait_for_function(f"({CY})('chart') > 3", timeout=60_000)


def _count(page: Any, cid: str = "chart") -> int:
    return int(page.evaluate(CY, cid))


def _pick(page: Any, dropdown: str, text: str | None = None) -> None:
    page.click(f"#{dropdown}")
    option = page.locator(".Select-option, [role=option]")
    (option.filter(has_text=text) if text else option).first.click()


def _download(page: Any, button: str, folder: Path) -> Path:
    with page.expect_download(timeout=60_000) as d:
        page.click(button)
    target = folder / d.value.suggested_filename
    d.value.save_as(target)
    return target


def test_officer_workflow(browser: Any, ui_server: str, planted: dict[str, Any], tmp_path: Path):
    page = login(browser, ui_server, "caseworker")
    _open_chart(page, planted["name"])
    before = _count(page)
    _pick(page, "chart-focus", "(Person)")
    page.click("#chart-expand")
    page.wait_for_selector("text=Expanded:")
    assert _count(page) >= before
    # date filter: type a later first year into the range slider's lower box
    lower = page.locator("#chart-years input").first
    lower.fill(str(date.today().year - 1))
    lower.press("Tab")
    page.wait_for_function(f"({CY})('chart') < {before} && ({CY})('chart') >= 0")
    # saved query
    page.click("a:has-text('Saved queries')")
    _pick(page, "q-name", "(serial_perpetrators)")
    page.wait_for_selector("text=tiers:")
    page.click("#q-run")
    page.wait_for_selector("#q-count")
    assert re.search(r"[1-9]\d* rows", page.inner_text("#q-count"))
    csv = _download(page, "#q-csv", tmp_path)
    assert csv.read_text().startswith("identity_id,")
    # meeting mode and exports
    png, pdf = _meeting(page, planted, tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000
    assert pdf.read_bytes()[:5] == b"%PDF-" and b"%%EOF" in pdf.read_bytes()[-32:]
    assert planted["victims"][0].encode() in pdf.read_bytes()  # not redacted for caseworker
    page.close()


def _meeting(page: Any, planted: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    page.click("a:has-text('MAPPA+ meeting')")
    page.click("#meet-subjects")
    # The subject list arrives from a callback: on a busy machine, wait for it before typing.
    page.locator("[role=option]").first.wait_for(timeout=90_000)
    page.keyboard.type(planted["name"])
    page.locator("[role=option]", has_text=planted["name"]).first.click(timeout=60_000)
    page.keyboard.press("Escape")
    page.wait_for_selector(f"h1:has-text('{planted['name']}')", timeout=60_000)
    page.wait_for_function(f"({CY})('meet-chart') > 3")
    page.click("#meet-next")
    page.wait_for_selector("#meet-victim:has-text('Victim 1 of')")
    png = _download(page, "#meet-png", folder)
    pdf = _download(page, "#meet-pdf", folder)
    return png, pdf


def test_partner_never_sees_victims(
    browser: Any, ui_server: str, planted: dict[str, Any], tmp_path: Path
):
    page = login(browser, ui_server, "partner", "MAPPA+ meeting, partner agency (test)")
    _open_chart(page, planted["name"])
    texts = [page.inner_text("body")]
    labels = page.evaluate(
        """() => { const r = document.getElementById('chart');
        const el = [r, ...r.querySelectorAll('*')].find(e => e._cyreg && e._cyreg.cy);
        return el._cyreg.cy.nodes().map(n => JSON.stringify(n.data())).join('\\n'); }"""
    )
    texts.append(labels)
    png, pdf = _meeting(page, planted, tmp_path)
    texts.append(page.inner_text("body"))
    page.click("#meet-svg")
    blob = "\n".join(texts) + pdf.read_bytes().decode("latin-1")
    assert "Victim 1" in blob
    for name in planted["victims"]:
        assert name not in blob, f"victim name {name!r} shown to a partner"
        for part in name.split():
            if len(part) > 3 and part not in planted["name"]:
                assert not re.search(rf"\b{re.escape(part)}\b", blob), part
    assert png.stat().st_size > 1000
    page.close()
