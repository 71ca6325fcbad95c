"""The acceptance of MAPPA+ case work, end to end on the real stack (uvicorn, Neo4j, Debian's
chromium): a follow-up delivery makes a man serial -> the candidate heads the caseworker's
queue -> screening accepts him -> he goes on a meeting's agenda -> in meeting mode the chair
sets level 2, records minutes, three actions and two obligations -> the minutes PDF holds them,
and the partner's copy holds no victim's identity -> an action past its due date raises exactly
one alert -> the review falls 16 weeks after the meeting. Screenshots of the queue, the case,
the meeting and the actions board (1920x1080) go to $SERIALWATCH_SCREENSHOTS when set (e.g.
docs/screenshots to refresh the README's), else to a temporary folder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph import alerts as al
from graph.case_followup import follow_up
from graph.driver import get_driver
from ingest.transactional import load_delivery
from tests.ingest.deliveries import write_delivery
from tests.ui.browse import SHOTS
from tests.ui.browse import pick as pick_option
from tests.ui.conftest import login

FULL_HD = {"width": 1920, "height": 1080}
MAN = ("UIC:P1", "Tesk", "Quillon")
VICTIMS = [("UIC:V1", "Orlane", "Brisa"), ("UIC:V2", "Pevrell", "Sanna")]


def _person(key: str, surname: str, forename: str, gender: str) -> dict[str, str]:
    return {"person_key": key, "agency_code": "UIC", "surname": surname, "forename": forename,
            "gender": gender, "date_of_birth": "1984-04-04"}  # fmt: skip


def _serial_delivery(folder: Path) -> Path:
    """A follow-up delivery: a new man with two victims and a conviction (serial)."""
    incidents, links = [], []
    for n, (key, _, _) in enumerate(VICTIMS, 1):
        incidents.append({"incident_key": f"UIC:I{n}", "agency_code": "UIC",
                          "reported_date": f"2026-0{n}-10", "category": "domestic_abuse",
                          "outcome": "conviction" if n == 1 else "open"})  # fmt: skip
        links += [
            {"incident_key": f"UIC:I{n}", "person_key": MAN[0], "role": "suspect"},
            {"incident_key": f"UIC:I{n}", "person_key": key, "role": "victim"},
        ]
    return write_delivery(folder, {
        "agencies.csv": [{"agency_code": "UIC", "name": "Uicshire Police",
                          "type": "police_force"}],
        "persons.csv": [_person(*MAN, "M"), *(_person(*v, "F") for v in VICTIMS)],
        "incidents.csv": incidents, "incident_parties.csv": links})  # fmt: skip


def pick(page: Any, dropdown: str, text: str) -> None:
    """Pick an option, with the dropdown scrolled to the top so that its menu fits below."""
    page.locator(f"#{dropdown}").evaluate("e => e.scrollIntoView({block: 'start'})")
    pick_option(page, dropdown, text)


def _text(pdf: Path) -> str:
    return pdf.read_bytes().decode("latin-1")


def _done(page: Any, said: str) -> None:
    """Wait for the meeting page to confirm `said` (or show an error, which fails the test)."""
    page.wait_for_selector(f"#cm-done:has-text({said!r}), #cm-note .sw-error")
    errors = page.locator("#cm-note .sw-error")
    assert errors.count() == 0, errors.first.inner_text()


@pytest.mark.slow
def test_from_serial_delivery_to_a_followed_up_plan(
    browser: Any, ui_server: str, ui_data: Any, tmp_path: Path
) -> None:
    load_delivery(_serial_delivery(tmp_path / "serial"), get_driver(), baseline=False)
    name = f"{MAN[2]} {MAN[1]}"
    cw = login(browser, ui_server, "caseworker", viewport=FULL_HD)
    # the queue: candidates first, he among them
    cw.click("a:has-text('Cases')")
    cw.wait_for_selector("#cases-table")
    first_status = cw.locator("#cases-table td[data-dash-column=status]").first.inner_text()
    assert first_status == "candidate"
    row = cw.locator("#cases-table tr", has_text=name)
    assert row.locator("td[data-dash-column=status]").inner_text() == "candidate"
    cw.screenshot(path=str(SHOTS / "cases-queue.png"))
    row.locator("input").check()
    cw.wait_for_selector("#case-title")
    case_id = cw.locator("#case-title").inner_text().split(" · ")[-1]
    # screening, an assessment, acceptance at level 2
    for status, level in (("screening", None), ("accepted", 2)):
        pick(cw, "cases-move", status)
        if level:
            pick(cw, "cases-level", str(level))
        cw.click("#cases-do-move")
        cw.wait_for_selector(f"#cases-changed:has-text(': {status}'), #cases-note .sw-error")
        errors = cw.locator("#cases-note .sw-error")
        assert errors.count() == 0, errors.first.inner_text()
        cw.wait_for_selector(f"#case-status:has-text('status {status}')")
    cw.fill("#cases-notes", "Two victims in 2026, a conviction: accept.")
    pick(cw, "cases-decision", "accept")
    cw.click("#cases-assess")
    cw.wait_for_selector("#cases-changed:has-text('recorded')")
    # the meeting: created with IDVA and ISAC, the case on its agenda
    held = date.today()
    cw.click("a:has-text('Case meeting')")
    cw.click("summary:has-text('New meeting')")
    cw.fill("#cm-date", held.isoformat())
    cw.fill("#cm-area", "UIC")
    cw.fill("#cm-chair", "DI Chair")
    cw.fill("#cm-attendees", "Uicshire Police|police|DS Rowe\nProbation North|probation|Ola\n"
                             "IDVA North|idva|Ivy\nISAC North|isac|Ike")  # fmt: skip
    cw.click("#cm-create")
    _done(cw, "created")
    pick(cw, "cm-pick", f"{held.isoformat()} UIC")
    pick(cw, "cm-case", case_id)
    cw.click("#cm-add")
    _done(cw, "on the agenda")
    pick(cw, "cm-hearing", name)
    # meeting mode: level, minutes, three actions, two obligations
    pick(cw, "cm-level", "2")
    cw.click("#cm-set-level")
    _done(cw, "level 2 set")
    cw.fill("#cm-minutes", "Panel agreed level 2; weekly supervision; safety plan for victims.")
    cw.click("#cm-save-minutes")
    _done(cw, "minutes saved")
    yesterday = (held - timedelta(days=1)).isoformat()
    for heading, title, agency, due in [
        ("supervision", "Weekly probation appointments", "Probation North", yesterday),
        ("monitoring_and_control", "Check compliance with conditions", "Uicshire Police",
         (held + timedelta(days=14)).isoformat()),
        ("victim_safety_planning", "Safety plan with IDVA", "IDVA North",
         (held + timedelta(days=7)).isoformat()),
    ]:  # fmt: skip
        pick(cw, "cm-heading", heading)
        cw.fill("#cm-title", title)
        cw.fill("#cm-agency", agency)
        cw.fill("#cm-owner", "owner-" + agency.split()[0].lower())
        cw.fill("#cm-due", due)
        cw.click("#cm-add-action")
        _done(cw, f"action added: {title}")
    for kind in ("treatment_programme", "notify_new_relationship"):
        pick(cw, "cm-obligation", kind)
        cw.click("#cm-impose")
        _done(cw, f"{kind} imposed")
    cw.wait_for_selector("text=Weekly probation appointments")
    cw.screenshot(path=str(SHOTS / "case-meeting.png"), full_page=True)
    # the minutes PDF holds them
    with cw.expect_download() as dl:
        cw.click("#cm-minutes-pdf")
    minutes = tmp_path / "minutes.pdf"
    dl.value.save_as(minutes)
    text = _text(minutes)
    for needed in ("Panel agreed level 2", "Weekly probation appointments",
                   "Check compliance with conditions", "Safety plan with IDVA",
                   "treatment programme", "notify new relationship"):  # fmt: skip
        assert needed in text, needed
    # the partner's copy holds no victim's identity (nor the minutes)
    partner = login(browser, ui_server, "partner", viewport=FULL_HD)
    partner.goto(ui_server + "/ui/case-meeting")
    pick(partner, "cm-pick", f"{held.isoformat()} UIC")
    partner.wait_for_selector("#cm-title-line")
    with partner.expect_download() as dl:
        partner.click("#cm-minutes-pdf")
    theirs = tmp_path / "partner-minutes.pdf"
    dl.value.save_as(theirs)
    text = _text(theirs)
    assert "Panel agreed" not in text and "Safety plan with IDVA" not in text
    for key, surname, forename in VICTIMS:
        assert surname not in text and forename not in text and key not in text
    # an action past its due date raises exactly one alert; the daily run again raises none
    follow_up()
    follow_up()
    overdue = [a for a in al.alerts(rule="case_action_overdue")
               if a["name"] == name]  # fmt: skip
    assert len(overdue) == 1 and "supervision" in str(overdue[0]["summary"])
    # the review falls 16 weeks after the meeting
    cw.goto(f"{ui_server}/ui/cases?case={case_id}")  # managed cases come after the candidates
    due = (held + timedelta(weeks=16)).isoformat()
    cw.wait_for_selector(f"#case-status:has-text('review due {due}')")
    cw.wait_for_selector("#case-actions")
    cw.locator("#case-title").evaluate("e => e.scrollIntoView({block: 'start'})")
    cw.screenshot(path=str(SHOTS / "case.png"))
    cw.click("a:has-text('Actions')")
    cw.click("label:has-text('All')")
    cw.wait_for_selector("#board-table")
    cw.screenshot(path=str(SHOTS / "actions.png"), full_page=True)


def test_the_meeting_mode_link_presents_the_agendas_first_case(
    browser: Any, ui_server: str, ui_data: Any
) -> None:
    from app.services import library
    from graph import cases as gc
    from tests.ui.conftest import analyst

    rows = library.run(analyst(), "serial_perpetrators", {})["rows"]
    rows.sort(key=lambda r: (r["tier"] != "serial", -int(r.get("victims") or 0)))
    heard = [rows[1], rows[0]]  # the agenda hears them the other way round from meeting mode
    open_cases = {c["identity_id"]: c["case_id"] for c in gc.queue(limit=100_000)}
    meeting = gc.create_meeting(date.today(), "UIM", "DI Chair", [], "ui-test")
    for r in heard:
        case_id = open_cases.get(r["identity_id"]) or gc.open_case(r["identity_id"], "ui-test")
        case = gc.case(case_id)
        if case["status"] == "candidate":
            gc.move(case_id, case["version"], "screening", "ui-test")
        gc.add_to_agenda(meeting, case_id, "ui-test")
    cw = login(browser, ui_server, "caseworker", viewport=FULL_HD)
    cw.goto(f"{ui_server}/ui/case-meeting?meeting={meeting}")
    cw.click("#cm-mode")
    cw.wait_for_url("**/ui/meeting?subjects=*")
    first, second = (r["name"] for r in heard)
    cw.wait_for_selector(f"#meet-current:has-text({first!r})")
    chosen = cw.locator("#meet-subjects").inner_text()
    assert first in chosen and second in chosen and chosen.index(first) < chosen.index(second)
    cw.wait_for_selector(f"#meet-view h1:has-text({first!r})", timeout=120_000)
    # each case's own link presents that case
    cw.goto(f"{ui_server}/ui/case-meeting?meeting={meeting}")
    cw.locator(".sw-hearing", has_text=second).locator(
        "a:has-text('Present in meeting mode')").click()  # fmt: skip
    cw.wait_for_selector(f"#meet-current:has-text({second!r})")
