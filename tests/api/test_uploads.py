"""Upload of a delivery: the ingest summary and rejects for a good zip; zip-slip, links,
unknown files, bombs and non-zips refused before anything is written to the graph."""

from __future__ import annotations

import io
import stat
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.driver import read
from tests.ingest.deliveries import write_delivery


def _zip(members: dict[str, bytes], link: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


def _post(client: TestClient, h: Any, data: bytes) -> Any:
    return client.post(
        "/uploads", headers=h("admin"), files={"file": ("delivery.zip", data, "application/zip")}
    )


def test_good_delivery_with_rejects(client: TestClient, graph: Any, h: Any, tmp_path: Any) -> None:
    folder = write_delivery(
        tmp_path / "d",
        {
            "agencies.csv": [
                {"agency_code": "UPL", "name": "Upload Test Police", "type": "police_force"}
            ],
            "persons.csv": [
                {"person_key": "UPL:P1", "agency_code": "UPL", "surname": "Testrow"},
                {"person_key": "UPL:P2", "agency_code": "NOWHERE", "surname": "Bad"},
            ],
        },
    )
    data = _zip({f"extract/{p.name}": p.read_bytes() for p in folder.glob("*.csv")})
    r = _post(client, h, data)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["rejected"] == 1 and body["rejects"][0]["file"] == "persons.csv"
    assert {f["name"]: f["loaded"] for f in body["files"]}["persons.csv"] == 1
    assert (
        read("MATCH (p:Person {person_key: 'UPL:P1'}) RETURN count(p) AS n", driver=graph)[0]["n"]
        == 1
    )
    read("MATCH (p:Person {person_key: 'UPL:P1'}) RETURN p", driver=graph)


@pytest.mark.parametrize(
    "members,link,status",
    [
        ({"../persons.csv": b"x"}, None, 422),
        ({"/tmp/persons.csv": b"x"}, None, 422),
        ({"a/b/persons.csv": b"x"}, None, 422),
        ({"evil.sh": b"x"}, None, 422),
        ({"persons.csv": b"x"}, "agencies.csv", 422),
        ({"persons.csv": b"0" * (30 << 20)}, None, 413),
    ],
)
def test_hostile_zips_are_refused(
    members: dict[str, bytes], link: str | None, status: int, client: TestClient, graph: Any, h: Any
) -> None:
    before = read("MATCH (n) RETURN count(n) AS n", driver=graph)[0]["n"]
    r = _post(client, h, _zip(members, link))
    assert r.status_code == status, r.text
    assert isinstance(r.json()["detail"], str)
    assert read("MATCH (n) RETURN count(n) AS n", driver=graph)[0]["n"] == before


def test_not_a_zip(client: TestClient, graph: Any, h: Any) -> None:
    assert _post(client, h, b"just text").status_code == 422
