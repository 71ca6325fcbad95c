"""Streaming writer for the 11 files of extract format v1.

Rows go straight to disk through the csv module (RFC 4180 quoting, CRLF line ends), so memory does
not grow with the delivery. Dates arrive as ordinals; the writer formats them and remembers the
latest one, which is the delivery's "as of" date for MATAC.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from .dates import iso

HEADERS: dict[str, tuple[str, ...]] = {
    "agencies.csv": ("agency_code", "name", "type", "region"),
    "persons.csv": (
        "person_key",
        "agency_code",
        "surname",
        "forename",
        "middle_names",
        "date_of_birth",
        "gender",
        "aliases",
        "pnc_id",
    ),
    "addresses.csv": ("address_key", "line1", "line2", "town", "postcode"),
    "residences.csv": ("person_key", "address_key", "from_date", "to_date", "agency_code"),
    "incidents.csv": (
        "incident_key",
        "agency_code",
        "reported_date",
        "offence_date",
        "category",
        "offence",
        "outcome",
        "outcome_date",
        "address_key",
    ),
    "incident_parties.csv": ("incident_key", "person_key", "role"),
    "orders.csv": (
        "order_key",
        "order_type",
        "subject_key",
        "issued_date",
        "issuing_body",
        "start_date",
        "end_date",
        "conditions",
        "agency_code",
    ),
    "order_protected.csv": ("order_key", "person_key"),
    "breaches.csv": ("breach_key", "order_key", "breach_date", "outcome", "agency_code"),
    "relationships.csv": ("person_key", "other_key", "type", "from_date", "to_date", "agency_code"),
    "notifications.csv": (
        "notification_key",
        "person_key",
        "type",
        "notified_date",
        "event_date",
        "details",
        "agency_code",
    ),
}

Row = Callable[[Iterable[Any]], Any]


class DeliveryWriter:
    """Open all files, write rows by record type, count them, track the latest date written."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.counts: dict[str, int] = dict.fromkeys(HEADERS, 0)
        self.max_date = 0
        self._files = []
        rows: dict[str, Row] = {}
        for name, header in HEADERS.items():
            f = open(out / name, "w", encoding="utf-8", newline="", buffering=1 << 20)
            self._files.append(f)
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            rows[name] = w.writerow
        self._agency = rows["agencies.csv"]
        self._person = rows["persons.csv"]
        self._address = rows["addresses.csv"]
        self._residence = rows["residences.csv"]
        self._incident = rows["incidents.csv"]
        self._party = rows["incident_parties.csv"]
        self._order = rows["orders.csv"]
        self._protected = rows["order_protected.csv"]
        self._breach = rows["breaches.csv"]
        self._relationship = rows["relationships.csv"]
        self._notification = rows["notifications.csv"]

    def __enter__(self) -> DeliveryWriter:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        for f in self._files:
            f.close()

    def _d(self, day: int | None) -> str:
        if day is None:
            return ""
        if day > self.max_date:
            self.max_date = day
        return iso(day)

    def agency(self, code: str, name: str, kind: str, region: str) -> None:
        self.counts["agencies.csv"] += 1
        self._agency((code, name, kind, region))

    def person(
        self,
        key: str,
        agency: str,
        surname: str,
        forename: str,
        middle: str,
        dob: int | None,
        gender: str,
        aliases: str,
        pnc: str,
    ) -> None:
        self.counts["persons.csv"] += 1
        self._person((key, agency, surname, forename, middle, self._d(dob), gender, aliases, pnc))

    def address(self, key: str, line1: str, line2: str, town: str, postcode: str) -> None:
        self.counts["addresses.csv"] += 1
        self._address((key, line1, line2, town, postcode))

    def residence(
        self, person: str, address: str, start: int, end: int | None, agency: str
    ) -> None:
        self.counts["residences.csv"] += 1
        self._residence((person, address, self._d(start), self._d(end), agency))

    def incident(
        self,
        key: str,
        agency: str,
        reported: int,
        offence: int | None,
        category: str,
        text: str,
        outcome: str,
        outcome_on: int | None,
        address: str,
    ) -> None:
        self.counts["incidents.csv"] += 1
        self._incident(
            (
                key,
                agency,
                self._d(reported),
                self._d(offence),
                category,
                text,
                outcome,
                self._d(outcome_on),
                address,
            )
        )

    def party(self, incident: str, person: str, role: str) -> None:
        self.counts["incident_parties.csv"] += 1
        self._party((incident, person, role))

    def order(
        self,
        key: str,
        kind: str,
        subject: str,
        issued: int,
        body: str,
        start: int | None,
        end: int | None,
        conditions: str,
        agency: str,
    ) -> None:
        self.counts["orders.csv"] += 1
        self._order(
            (
                key,
                kind,
                subject,
                self._d(issued),
                body,
                self._d(start),
                self._d(end),
                conditions,
                agency,
            )
        )

    def protected(self, order: str, person: str) -> None:
        self.counts["order_protected.csv"] += 1
        self._protected((order, person))

    def breach(self, key: str, order: str, day: int, outcome: str, agency: str) -> None:
        self.counts["breaches.csv"] += 1
        self._breach((key, order, self._d(day), outcome, agency))

    def relationship(
        self, person: str, other: str, kind: str, start: int | None, end: int | None, agency: str
    ) -> None:
        self.counts["relationships.csv"] += 1
        self._relationship((person, other, kind, self._d(start), self._d(end), agency))

    def notification(
        self,
        key: str,
        person: str,
        kind: str,
        notified: int,
        event: int | None,
        details: str,
        agency: str,
    ) -> None:
        self.counts["notifications.csv"] += 1
        self._notification((key, person, kind, self._d(notified), self._d(event), details, agency))
