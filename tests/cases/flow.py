"""Steps of a case's life the case tests share."""

from __future__ import annotations

from datetime import date

from graph import cases as gc

P1 = "ID:NTH:P1"


def version(case_id: str) -> int:
    return int(gc.case(case_id)["version"])


def managed(case_id: str, held: date, level: int = 2) -> str:
    """Screen, accept and hear the case; the meeting sets `level`. Returns the hearing."""
    gc.move(case_id, version(case_id), "screening", "cw")
    gc.move(case_id, version(case_id), "accepted", "cw", level=level)
    meeting = gc.create_meeting(held, "NTH", "chair", [gc.attendee("IDVA North", "idva", "Ivy")],
                                "cw")  # fmt: skip
    hearing = gc.add_to_agenda(meeting, case_id, "cw")
    gc.set_level(hearing, version(case_id), "chair", level)
    return hearing
