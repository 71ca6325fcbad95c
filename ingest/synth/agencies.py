"""The agencies a delivery comes from: police forces, probation, prison, courts and services.

Each agency has one record system (its *source*); keys are ``<SOURCE>:<local id>``. Partner agencies
are regional, and every force knows which of them serve its area.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from random import Random

REGIONS: dict[str, str] = {
    "NE": "North East",
    "NW": "North West",
    "YH": "Yorkshire and the Humber",
    "EM": "East Midlands",
    "WM": "West Midlands",
    "EE": "East of England",
    "LON": "London",
    "SE": "South East",
    "SW": "South West",
    "WAL": "Wales",
    "SCO": "Scotland",
    "NI": "Northern Ireland",
}

# code, name, region, record system, residence weight (~population, millions), probation region.
FORCES: tuple[tuple[str, str, str, str, float, str], ...] = (
    ("ASP", "Avon and Somerset Constabulary", "SW", "NICHE", 1.7, "SW"),
    ("BDS", "Bedfordshire Police", "EE", "ATHENA", 0.7, "EE"),
    ("CAM", "Cambridgeshire Constabulary", "EE", "ATHENA", 0.9, "EE"),
    ("CHE", "Cheshire Constabulary", "NW", "NICHE", 1.1, "NW"),
    ("COLP", "City of London Police", "LON", "NICHE", 0.05, "LON"),
    ("CLE", "Cleveland Police", "NE", "NICHE", 0.57, "NE"),
    ("CUM", "Cumbria Constabulary", "NW", "NICHE", 0.5, "NW"),
    ("DER", "Derbyshire Constabulary", "EM", "NICHE", 1.05, "EM"),
    ("DC", "Devon and Cornwall Police", "SW", "NICHE", 1.8, "SW"),
    ("DOR", "Dorset Police", "SW", "NICHE", 0.78, "SW"),
    ("DUR", "Durham Constabulary", "NE", "REDSIGMA", 0.65, "NE"),
    ("DPP", "Dyfed-Powys Police", "WAL", "NICHE", 0.52, "WAL"),
    ("ESX", "Essex Police", "EE", "ATHENA", 1.85, "EE"),
    ("GLOS", "Gloucestershire Constabulary", "SW", "NICHE", 0.64, "SW"),
    ("GMP", "Greater Manchester Police", "NW", "PWORKS", 2.87, "GM"),
    ("GWP", "Gwent Police", "WAL", "NICHE", 0.6, "WAL"),
    ("HAM", "Hampshire and Isle of Wight Constabulary", "SE", "NICHE", 2.0, "SC"),
    ("HERTS", "Hertfordshire Constabulary", "EE", "ATHENA", 1.2, "EE"),
    ("HUM", "Humberside Police", "YH", "NICHE", 0.93, "YH"),
    ("KENT", "Kent Police", "SE", "ATHENA", 1.87, "KSS"),
    ("LANC", "Lancashire Constabulary", "NW", "NICHE", 1.5, "NW"),
    ("LEIC", "Leicestershire Police", "EM", "NICHE", 1.1, "EM"),
    ("LINC", "Lincolnshire Police", "EM", "NICHE", 0.77, "EM"),
    ("MERS", "Merseyside Police", "NW", "NICHE", 1.42, "NW"),
    ("MET", "Metropolitan Police Service", "LON", "CONNECT", 8.9, "LON"),
    ("NORF", "Norfolk Constabulary", "EE", "ATHENA", 0.92, "EE"),
    ("NWP", "North Wales Police", "WAL", "NICHE", 0.7, "WAL"),
    ("NHTS", "Northamptonshire Police", "EM", "NICHE", 0.78, "EM"),
    ("NBRIA", "Northumbria Police", "NE", "NICHE", 1.48, "NE"),
    ("NYP", "North Yorkshire Police", "YH", "NICHE", 0.83, "YH"),
    ("NOTTS", "Nottinghamshire Police", "EM", "NICHE", 1.17, "EM"),
    ("SWP", "South Wales Police", "WAL", "NICHE", 1.33, "WAL"),
    ("SYP", "South Yorkshire Police", "YH", "CONNECT", 1.4, "YH"),
    ("STAFFS", "Staffordshire Police", "WM", "ATHENA", 1.13, "WM"),
    ("SUFF", "Suffolk Constabulary", "EE", "ATHENA", 0.77, "EE"),
    ("SURR", "Surrey Police", "SE", "NICHE", 1.2, "KSS"),
    ("SUSS", "Sussex Police", "SE", "NICHE", 1.7, "KSS"),
    ("TVP", "Thames Valley Police", "SE", "NICHE", 2.4, "SC"),
    ("WARKS", "Warwickshire Police", "WM", "ATHENA", 0.6, "WM"),
    ("WMERC", "West Mercia Police", "WM", "ATHENA", 1.3, "WM"),
    ("WMP", "West Midlands Police", "WM", "NICHE", 2.9, "WM"),
    ("WYP", "West Yorkshire Police", "YH", "NICHE", 2.35, "YH"),
    ("WILTS", "Wiltshire Police", "SW", "NICHE", 0.72, "SW"),
    ("PSOS", "Police Scotland", "SCO", "NCS", 1.2, "SCO"),
    ("PSNI", "Police Service of Northern Ireland", "NI", "NICHE", 0.6, "NI"),
    ("BTP", "British Transport Police", "NAT", "NICHE", 0.0, "LON"),
)

PROBATION: dict[str, tuple[str, str, str]] = {  # region -> code, name, source
    "NE": ("PS-NE", "Probation Service North East", "NPS-NDELIUS"),
    "NW": ("PS-NW", "Probation Service North West", "NPS-NDELIUS"),
    "GM": ("PS-GM", "Probation Service Greater Manchester", "NPS-NDELIUS"),
    "YH": ("PS-YH", "Probation Service Yorkshire and the Humber", "NPS-NDELIUS"),
    "EM": ("PS-EM", "Probation Service East Midlands", "NPS-NDELIUS"),
    "WM": ("PS-WM", "Probation Service West Midlands", "NPS-NDELIUS"),
    "EE": ("PS-EE", "Probation Service East of England", "NPS-NDELIUS"),
    "LON": ("PS-LON", "Probation Service London", "NPS-NDELIUS"),
    "KSS": ("PS-KSS", "Probation Service Kent, Surrey and Sussex", "NPS-NDELIUS"),
    "SC": ("PS-SC", "Probation Service South Central", "NPS-NDELIUS"),
    "SW": ("PS-SW", "Probation Service South West", "NPS-NDELIUS"),
    "WAL": ("PS-WAL", "Probation Service Wales", "NPS-NDELIUS"),
    "SCO": ("JSW-SCO", "Justice Social Work Scotland", "SCO-JSW"),
    "NI": ("PBNI", "Probation Board for Northern Ireland", "PBNI-CMS"),
}

COURTS: dict[str, tuple[str, str, str]] = {  # court region -> code, name, source
    "LON": ("HMCTS-LON", "HMCTS London", "HMCTS-CP"),
    "SE": ("HMCTS-SE", "HMCTS South East", "HMCTS-CP"),
    "SW": ("HMCTS-SW", "HMCTS South West", "HMCTS-CP"),
    "MID": ("HMCTS-MID", "HMCTS Midlands", "HMCTS-CP"),
    "NE": ("HMCTS-NE", "HMCTS North East", "HMCTS-CP"),
    "NW": ("HMCTS-NW", "HMCTS North West", "HMCTS-CP"),
    "WAL": ("HMCTS-WAL", "HMCTS Wales", "HMCTS-CP"),
    "SCO": ("SCTS", "Scottish Courts and Tribunals Service", "SCTS-COP"),
    "NI": ("NICTS", "Northern Ireland Courts and Tribunals Service", "NICTS-ICOS"),
}
COURT_REGION = {
    "NE": "NE",
    "YH": "NE",
    "NW": "NW",
    "EM": "MID",
    "WM": "MID",
    "EE": "SE",
    "LON": "LON",
    "SE": "SE",
    "SW": "SW",
    "WAL": "WAL",
    "SCO": "SCO",
    "NI": "NI",
}

COURT_REGION_NAMES = {
    "LON": "London",
    "SE": "South East",
    "SW": "South West",
    "MID": "Midlands",
    "NE": "North East",
    "NW": "North West",
    "WAL": "Wales",
    "SCO": "Scotland",
    "NI": "Northern Ireland",
}

SERVICES: tuple[tuple[str, str, str, str], ...] = (  # prefix, type, name suffix, system
    ("IDVA", "idva_service", "IDVA Service", "CMS"),
    ("ISAC", "isac_service", "ISAC Service", "CMS"),
    ("MARAC", "marac", "MARAC", "MODUS"),
    ("CSC", "childrens_services", "Children's Services", "LCS"),
)

DAPO_PILOT = frozenset({"GMP", "MET", "BTP", "CLE", "NWP"})


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency and the record system its keys come from."""

    code: str
    name: str
    type: str
    region: str
    source: str


@dataclass(frozen=True, slots=True)
class ForceLinks:
    """Partner agencies that serve one force area (indices into the agency table)."""

    probation: int
    court: int
    idva: int
    isac: int
    marac: int
    csc: int


class AgencyTable:
    """All agencies in a fixed order, with the lookups the generator needs by index."""

    def __init__(self) -> None:
        self.agencies: list[Agency] = []
        self.index: dict[str, int] = {}
        for code, name, region, rms, _w, _p in FORCES:
            self._add(code, name, "police_force", REGIONS.get(region, "National"), f"{code}-{rms}")
        self.prison = self._add("HMPS", "HM Prison Service", "prison", "National", "HMPPS-NOMIS")
        for reg, (code, name, source) in PROBATION.items():
            self._add(code, name, "probation", REGIONS.get(reg, name), source)
        for reg, (code, name, source) in COURTS.items():
            self._add(code, name, "court", COURT_REGION_NAMES[reg], source)
        for reg, region_name in REGIONS.items():
            for prefix, kind, suffix, system in SERVICES:
                code = f"{prefix}-{reg}"
                self._add(code, f"{region_name} {suffix}", kind, region_name, f"{code}-{system}")
        self.n_forces = len(FORCES)
        self.btp = self.index["BTP"]
        self.is_police = [a.type == "police_force" for a in self.agencies]
        self.sources = sorted({a.source for a in self.agencies})
        self.source_of = [self.sources.index(a.source) for a in self.agencies]
        self.links: list[ForceLinks] = []
        for _code, _name, region, _rms, _w, prob in FORCES:
            reg = "LON" if region == "NAT" else region
            svc = [self.index[f"{prefix}-{reg}"] for prefix, *_ in SERVICES]
            self.links.append(
                ForceLinks(
                    self.index[PROBATION[prob][0]], self.index[COURTS[COURT_REGION[reg]][0]], *svc
                )
            )
        self.dapo_pilot = [f[0] in DAPO_PILOT for f in FORCES]
        self._cum = list(accumulate(f[4] for f in FORCES))
        self._same_region = [
            [j for j, g in enumerate(FORCES) if g[2] == f[2] and j != i and g[4] > 0]
            for i, f in enumerate(FORCES)
        ]

    def _add(self, code: str, name: str, kind: str, region: str, source: str) -> int:
        self.index[code] = len(self.agencies)
        self.agencies.append(Agency(code, name, kind, region, source))
        return self.index[code]

    def pick_force(self, rng: Random) -> int:
        """A residence force, weighted by population (BTP has weight 0, so never)."""
        return bisect_right(self._cum, rng.random() * self._cum[-1])

    def force_name(self, force: int) -> str:
        return FORCES[force][1]

    def nearby_force(self, rng: Random, force: int) -> int:
        """A different force, often in the same region: people move short distances more often."""
        same = self._same_region[force]
        if same and rng.random() < 0.6:
            return same[int(rng.random() * len(same))]
        other = force
        while other == force:
            other = self.pick_force(rng)
        return other
