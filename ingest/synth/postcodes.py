"""Plausible addresses per force area: postcode areas and towns that belong to the force.

Postcodes look real (``B12 9QX``: area, district, sector, unit) but are invented; no attempt is made
to hit real delivery points.
"""

from __future__ import annotations

from random import Random

from .agencies import FORCES

# force code -> (postcode areas, towns)
AREAS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ASP": (("BS", "BA", "TA"), ("Bristol", "Bath", "Taunton", "Weston-super-Mare")),
    "BDS": (("LU", "MK"), ("Luton", "Bedford", "Dunstable")),
    "CAM": (("CB", "PE"), ("Cambridge", "Peterborough", "Huntingdon")),
    "CHE": (("CW", "CH", "WA"), ("Chester", "Crewe", "Warrington", "Macclesfield")),
    "COLP": (("EC",), ("London",)),
    "CLE": (("TS",), ("Middlesbrough", "Hartlepool", "Stockton-on-Tees", "Redcar")),
    "CUM": (("CA", "LA"), ("Carlisle", "Barrow-in-Furness", "Kendal", "Workington")),
    "DER": (("DE", "S"), ("Derby", "Chesterfield", "Buxton")),
    "DC": (("EX", "PL", "TQ", "TR"), ("Plymouth", "Exeter", "Torquay", "Truro")),
    "DOR": (("DT", "BH"), ("Bournemouth", "Poole", "Dorchester", "Weymouth")),
    "DUR": (("DH", "DL"), ("Durham", "Darlington", "Consett")),
    "DPP": (("SA", "LD", "SY"), ("Carmarthen", "Aberystwyth", "Llanelli", "Brecon")),
    "ESX": (("CM", "CO", "SS"), ("Chelmsford", "Colchester", "Southend-on-Sea", "Basildon")),
    "GLOS": (("GL",), ("Gloucester", "Cheltenham", "Stroud")),
    "GMP": (
        ("M", "BL", "OL", "SK", "WN"),
        ("Manchester", "Bolton", "Oldham", "Stockport", "Wigan"),
    ),
    "GWP": (("NP",), ("Newport", "Cwmbran", "Abergavenny")),
    "HAM": (("SO", "PO"), ("Southampton", "Portsmouth", "Winchester", "Basingstoke")),
    "HERTS": (("AL", "SG", "WD", "HP"), ("St Albans", "Stevenage", "Watford", "Hemel Hempstead")),
    "HUM": (("HU", "DN"), ("Hull", "Grimsby", "Scunthorpe")),
    "KENT": (("CT", "ME", "TN", "DA"), ("Maidstone", "Canterbury", "Dartford", "Ashford")),
    "LANC": (("PR", "BB", "FY", "LA"), ("Preston", "Blackburn", "Blackpool", "Lancaster")),
    "LEIC": (("LE",), ("Leicester", "Loughborough", "Hinckley")),
    "LINC": (("LN", "PE"), ("Lincoln", "Boston", "Grantham")),
    "MERS": (("L", "CH", "WA"), ("Liverpool", "Birkenhead", "St Helens", "Southport")),
    "MET": (
        ("E", "N", "NW", "SE", "SW", "W", "CR", "BR", "HA", "UB", "IG", "RM", "EN"),
        ("London", "Croydon", "Bromley", "Harrow", "Ilford", "Romford", "Enfield"),
    ),
    "NORF": (("NR",), ("Norwich", "Great Yarmouth", "King's Lynn")),
    "NWP": (("LL",), ("Wrexham", "Bangor", "Rhyl", "Llandudno")),
    "NHTS": (("NN",), ("Northampton", "Kettering", "Corby")),
    "NBRIA": (("NE", "SR"), ("Newcastle upon Tyne", "Sunderland", "Gateshead", "North Shields")),
    "NYP": (("YO", "HG", "DL"), ("York", "Harrogate", "Scarborough", "Northallerton")),
    "NOTTS": (("NG",), ("Nottingham", "Mansfield", "Newark-on-Trent")),
    "SWP": (("CF", "SA"), ("Cardiff", "Swansea", "Bridgend", "Merthyr Tydfil")),
    "SYP": (("S", "DN"), ("Sheffield", "Doncaster", "Rotherham", "Barnsley")),
    "STAFFS": (("ST", "WS"), ("Stoke-on-Trent", "Stafford", "Tamworth", "Burton upon Trent")),
    "SUFF": (("IP", "CB"), ("Ipswich", "Bury St Edmunds", "Lowestoft")),
    "SURR": (("GU", "KT", "RH"), ("Guildford", "Woking", "Epsom", "Redhill")),
    "SUSS": (("BN", "RH", "TN"), ("Brighton", "Crawley", "Eastbourne", "Hastings")),
    "TVP": (("OX", "RG", "SL", "MK", "HP"), ("Oxford", "Reading", "Slough", "Milton Keynes")),
    "WARKS": (("CV",), ("Nuneaton", "Rugby", "Warwick", "Leamington Spa")),
    "WMERC": (("WR", "HR", "SY", "TF"), ("Worcester", "Hereford", "Shrewsbury", "Telford")),
    "WMP": (
        ("B", "CV", "WS", "WV", "DY"),
        ("Birmingham", "Coventry", "Walsall", "Wolverhampton", "Dudley", "Solihull"),
    ),
    "WYP": (
        ("LS", "BD", "HD", "HX", "WF"),
        ("Leeds", "Bradford", "Huddersfield", "Halifax", "Wakefield"),
    ),
    "WILTS": (("SN", "SP"), ("Swindon", "Salisbury", "Chippenham", "Trowbridge")),
    "PSOS": (
        ("G", "EH", "AB", "DD", "KA", "PA", "FK", "KY"),
        ("Glasgow", "Edinburgh", "Aberdeen", "Dundee", "Kilmarnock", "Paisley"),
    ),
    "PSNI": (("BT",), ("Belfast", "Lisburn", "Newry", "Londonderry", "Ballymena")),
    "BTP": (("EC",), ("London",)),
}

_UNIT = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward code (no C, I, K, M, O, V)
_STEMS = (
    "Church",
    "Station",
    "Victoria",
    "Mill",
    "Park",
    "Queen's",
    "King's",
    "Oak",
    "Elm",
    "Chapel",
    "Windsor",
    "Manor",
    "York",
    "Albert",
    "Grange",
    "Meadow",
    "Orchard",
    "Willow",
    "Beech",
    "Ash",
    "Brook",
    "Castle",
    "Springfield",
    "Highfield",
    "Moor",
    "Green",
    "Hill",
    "School",
    "Farm",
    "Newton",
    "Cedar",
    "Holly",
    "Rowan",
    "Hawthorn",
    "Primrose",
    "Derwent",
    "Severn",
    "Clifton",
)
_SUFFIXES = (
    "Road",
    "Street",
    "Close",
    "Avenue",
    "Lane",
    "Drive",
    "Way",
    "Crescent",
    "Grove",
    "Gardens",
    "Court",
    "Place",
    "Terrace",
    "View",
)
_LOCALITIES = (
    "Northfield",
    "Eastfield",
    "Westbury",
    "Southgate",
    "Newtown",
    "Oldfield",
    "Hillside",
    "Parkside",
    "Riverside",
    "Brookside",
    "Woodside",
    "Lakeside",
)

_BY_FORCE = [AREAS[f[0]] for f in FORCES]


def postcode(rng: Random, force: int) -> str:
    """A postcode in one of the force's postcode areas."""
    areas = _BY_FORCE[force][0]
    r = rng.random
    area = areas[int(r() * len(areas))]
    return f"{area}{1 + int(r() * 24)} {int(r() * 10)}{_UNIT[int(r() * 20)]}{_UNIT[int(r() * 20)]}"


def address(rng: Random, force: int) -> tuple[str, str, str, str]:
    """(line1, line2, town, postcode) for a new address in the force area."""
    r = rng.random
    towns = _BY_FORCE[force][1]
    street = f"{_STEMS[int(r() * len(_STEMS))]} {_SUFFIXES[int(r() * len(_SUFFIXES))]}"
    number = 1 + int(r() * 180)
    x = r()
    if x < 0.2:
        line1 = f"Flat {1 + int(r() * 24)}, {number} {street}"
    else:
        line1 = f"{number} {street}"
    line2 = _LOCALITIES[int(r() * len(_LOCALITIES))] if x > 0.8 else ""
    return line1, line2, towns[int(r() * len(towns))], postcode(rng, force)
