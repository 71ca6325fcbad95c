"""A synthetic serial perpetrator with exactly `n` victims (invented names, extract format v1,
loaded by the normal loader), for the charts and chain story at the sizes a MAPPA+ panel
meets: 18 victims, 40 victims. Loading again changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

OFFENCES = [
    "Common assault and battery",
    "Controlling or coercive behaviour in an intimate or family relationship",
    "Assault occasioning ABH",
    "Stalking involving serious alarm or distress",
    "Threats to kill",
    "Non-fatal strangulation or suffocation",
]
HEADERS = {
    "persons.csv": "person_key,agency_code,surname,forename,middle_names,date_of_birth,"
    "gender,aliases,pnc_id",
    "incidents.csv": "incident_key,agency_code,reported_date,offence_date,category,offence,"
    "outcome,outcome_date,address_key",
    "incident_parties.csv": "incident_key,person_key,role",
}


def plant(n: int, folder: Path) -> str:
    """Load him (and his victims) and answer his record key. Victim v's incidents start
    about 110 days after victim v-1's (a longer gap every seventh), one or two each."""
    from graph.driver import get_driver
    from ingest.transactional import load_delivery

    src = f"UICHAIN{n}"
    people = [f"{src}:P0,ASP,Chainman{n},Subject,,1971-02-03,M,,"] + [
        f"{src}:P{v},ASP,Chainvictim{v:02d},Synthetic,,1985-01-01,F,," for v in range(1, n + 1)
    ]
    incidents, parties = [], []
    day = date(2012, 3, 1)
    for v in range(1, n + 1):
        day += timedelta(days=110 + (400 if v % 7 == 0 else 0))
        for k in range(1 + v % 2):
            key = f"{src}:I{v}-{k}"
            when = (day + timedelta(days=30 * k)).isoformat()
            offence = OFFENCES[(v + k) % len(OFFENCES)]
            incidents.append(f"{key},ASP,{when},{when},domestic_abuse,{offence},charged,,")
            parties += [f"{key},{src}:P0,suspect", f"{key},{src}:P{v},victim"]
    out = folder / f"ui-chain-{n}"
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in zip(HEADERS, (people, incidents, parties), strict=True):
        (out / name).write_text("\n".join([HEADERS[name], *rows]) + "\n")
    load_delivery(out, get_driver())
    return f"{src}:P0"
