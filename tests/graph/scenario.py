"""A small hand-made graph whose every answer is worked out by hand in the tests.

H1 (two records, F1:P1 and F2:P9) is serial: four victims, a conviction, an RO and an SPO, in two
forces. F1:Q1 is at risk: two victims on reports and a notice. Names are synthetic.
"""

from __future__ import annotations

from typing import Any

SCENARIO: dict[str, list[dict[str, Any]]] = {
    "agencies": [
        {"agency_code": "F1", "name": "Alpha Constabulary"},
        {"agency_code": "F2", "name": "Beta Police"},
        {"agency_code": "C1", "name": "Alpha Magistrates", "type": "court"},
        {"agency_code": "PR", "name": "Probation North", "type": "probation"},
    ],
    "persons": [
        {"person_key": "F1:P1", "agency_code": "F1", "forename": "Dorian", "surname": "Quell",
         "dob": "1980-05-05", "identity": "H1"},
        {"person_key": "F2:P9", "agency_code": "F2", "forename": "Dory", "surname": "Quell",
         "identity": "H1"},
        {"person_key": "PR:P7", "agency_code": "PR", "forename": "Dorian", "surname": "Quel",
         "identity": "H1"},
        {"person_key": "F1:V1", "agency_code": "F1", "forename": "Ama", "surname": "Vosk",
         "dob": "1990-01-01"},
        {"person_key": "F2:V2", "agency_code": "F2", "forename": "Bea", "surname": "Wend",
         "dob": "1992-01-01", "identity": "HV2"},
        {"person_key": "F1:V2b", "agency_code": "F1", "forename": "Bea", "surname": "Wendt",
         "identity": "HV2"},
        {"person_key": "F1:V3", "agency_code": "F1", "forename": "Cal", "surname": "Wend",
         "dob": "2015-01-01"},
        {"person_key": "C1:V4", "agency_code": "C1", "forename": "Dee", "surname": "Orrin"},
        {"person_key": "F1:V5", "agency_code": "F1", "forename": "Eli", "surname": "Pask",
         "dob": "2000-02-02"},
        {"person_key": "F2:V6", "agency_code": "F2", "forename": "Fen", "surname": "Lark"},
        {"person_key": "F1:W1", "agency_code": "F1", "forename": "Gus", "surname": "Tarn"},
        {"person_key": "F1:Q1", "agency_code": "F1", "forename": "Hal", "surname": "Brisk"},
    ],
    "addresses": [
        {"address_key": "F1:A1", "postcode": "ZZ1 1AA", "town": "Alphaton"},
        {"address_key": "F2:A2", "postcode": "ZZ2 2BB", "town": "Betaby"},
    ],
    "incidents": [
        {"incident_key": "F1:I1", "agency_code": "F1", "reported_date": "2018-03-01",
         "offence": "Assault occasioning ABH", "outcome": "conviction",
         "outcome_date": "2018-08-20", "address_key": "F1:A1",
         "parties": [("F1:P1", "suspect"), ("F1:V1", "victim")]},
        {"incident_key": "F2:I2", "agency_code": "F2", "reported_date": "2020-06-01",
         "offence_date": "2020-05-30", "category": "stalking", "offence": "Stalking",
         "outcome": "nfa", "parties": [("F2:P9", "suspect"), ("F2:V2", "victim"),
                                       ("F1:W1", "witness")]},
        {"incident_key": "F1:I3", "agency_code": "F1", "reported_date": "2021-01-10",
         "offence": "Threats to kill", "outcome": "open",
         "parties": [("F1:P1", "offender"), ("F1:V2b", "victim"), ("F1:V3", "victim")]},
        {"incident_key": "F1:I4", "agency_code": "F1", "reported_date": "2019-01-01",
         "category": "other", "offence": "Criminal damage", "outcome": "caution",
         "parties": [("F1:P1", "suspect"), ("F1:V5", "victim")]},
        {"incident_key": "F1:I5", "agency_code": "F1", "reported_date": "2022-02-02",
         "parties": [("F1:Q1", "suspect"), ("F1:V1", "victim")]},
        {"incident_key": "F1:I6", "agency_code": "F1", "reported_date": "2022-03-03",
         "category": "harassment", "offence": "Malicious communications",
         "parties": [("F1:Q1", "suspect"), ("F1:V5", "victim")]},
    ],
    "orders": [
        {"order_key": "C1:O1", "order_type": "RO", "subject_key": "F1:P1", "agency_code": "C1",
         "issued_date": "2018-09-01", "protected": ["F1:V1"]},
        {"order_key": "F2:O2", "order_type": "SPO", "subject_key": "F2:P9", "agency_code": "F2",
         "issued_date": "2020-07-01", "end_date": "2030-01-01",
         "protected": ["F2:V2", "C1:V4"]},
        {"order_key": "F1:O3", "order_type": "DVPN", "subject_key": "F1:Q1", "agency_code": "F1",
         "issued_date": "2022-02-03", "end_date": "2022-02-05", "protected": ["F1:V1"]},
    ],
    "breaches": [
        {"breach_key": "F2:B1", "order_key": "F2:O2", "breach_date": "2021-02-01",
         "outcome": "charged", "agency_code": "F2"},
    ],
    "residences": [
        {"person_key": "F1:P1", "address_key": "F1:A1", "from_date": "2019-01-01",
         "to_date": "2021-05-31", "agency_code": "F1"},
        {"person_key": "F1:V2b", "address_key": "F1:A1", "from_date": "2020-01-01",
         "agency_code": "F1"},
        {"person_key": "PR:P7", "address_key": "F2:A2", "from_date": "2021-06-01",
         "agency_code": "PR"},
    ],
    "relationships": [
        {"person_key": "F1:P1", "other_key": "F1:V2b", "type": "intimate_partner",
         "from_date": "2020-01-01", "agency_code": "F1"},
        {"person_key": "F2:P9", "other_key": "F2:V6", "type": "intimate_partner",
         "from_date": "2022-05-01", "agency_code": "F2"},
    ],
    "notifications": [
        {"notification_key": "F2:N1", "person_key": "F2:P9", "type": "address_change",
         "notified_date": "2020-07-02", "event_date": "2020-07-01", "agency_code": "F2"},
        {"notification_key": "F2:N2", "person_key": "F2:P9", "type": "travel_abroad",
         "notified_date": "2021-09-20", "event_date": "2021-09-01", "agency_code": "F2"},
    ],
}
