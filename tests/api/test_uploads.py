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


def _uploads() -> set[str]:
    from app.settings import get_api_settings

    folder = get_api_settings().home / "uploads"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def _persons_zip(compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    text = "person_key,agency_code,surname\n" + "".join(
        f"UPL:Z{n},UPL,Zipped{n}\n" for n in range(200)
    )
    with zipfile.ZipFile(buf, "w", compression) as zf:
        zf.writestr("persons.csv", text)
    return buf.getvalue()


def _damaged(kind: str) -> bytes:
    """A zip whose member data fails its CRC, or whose directory lies about a size."""
    data = bytearray(_persons_zip(zipfile.ZIP_STORED))
    if kind == "bad crc":
        at = data.index(b"UPL:Z100")
        data[at : at + 8] = b"UPL:Q100"
        return bytes(data)
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    central = data.rindex(b"PK\x01\x02")
    size = info.file_size + (1000 if kind == "size too big" else -1000)
    data[central + 24 : central + 28] = size.to_bytes(4, "little")  # uncompressed size
    if kind == "size too small":
        local = data.index(b"PK\x03\x04")
        data[local + 22 : local + 26] = size.to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize("kind", ["bad crc", "size too big", "size too small"])
def test_damaged_zips_are_refused_readably(
    kind: str, client: TestClient, graph: Any, h: Any
) -> None:
    before = _uploads()
    r = _post(client, h, _damaged(kind))
    assert r.status_code in (413, 422), r.text
    assert "zip" in r.json()["detail"]
    assert (
        read(
            "MATCH (p:Person) WHERE p.person_key STARTS WITH 'UPL:Z' RETURN count(p) AS n",
            driver=graph,
        )[0]["n"]
        == 0
    )
    assert _uploads() == before


def test_a_header_with_too_many_extra_columns_refuses_the_upload(
    client: TestClient, graph: Any, h: Any
) -> None:
    header = "person_key,agency_code,surname," + ",".join(f"c{n}" for n in range(50_000))
    row = "UPL:W1,UPL,Wide" + "," * 50_000
    before, keys = (
        _uploads(),
        read("CALL db.propertyKeys() YIELD propertyKey RETURN count(*) AS n", driver=graph)[0]["n"],
    )
    r = _post(client, h, _zip({"persons.csv": f"{header}\n{row}\n".encode()}))
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(
        "persons.csv: the header has 50,000 columns the format does not define (at most 20"
    )
    assert _uploads() == before
    assert (
        read("CALL db.propertyKeys() YIELD propertyKey RETURN count(*) AS n", driver=graph)[0]["n"]
        == keys
    )


def test_refused_uploads_leave_nothing_on_disk(client: TestClient, graph: Any, h: Any) -> None:
    before = _uploads()
    for data in (
        b"just text",
        _zip({"../persons.csv": b"x"}),
        _zip({"persons.csv": b"0" * (30 << 20)}),
    ):
        assert _post(client, h, data).status_code in (413, 422)
    assert _uploads() == before


def test_kept_deliveries_and_their_rejects_are_private(
    client: TestClient, graph: Any, h: Any, tmp_path: Any
) -> None:
    from app.settings import get_api_settings

    folder = write_delivery(
        tmp_path / "d",
        {"persons.csv": [{"person_key": "UPL:P9", "agency_code": "NOWHERE", "surname": "Bad"}]},
    )
    r = _post(client, h, _zip({p.name: p.read_bytes() for p in folder.glob("*.csv")}))
    assert r.status_code == 200, r.text
    kept = get_api_settings().home / "uploads" / r.json()["delivery"]
    assert (kept / "delivery" / "rejects" / "persons.csv").is_file()
    root = kept.parent
    assert [str(p) for p in [root, *root.rglob("*")] if p.stat().st_mode & 0o077] == []
