"""Upload of a delivery (a zip of the extract format), for admins: unpacked defensively, loaded
with the transactional loader, answered with the ingest summary and the rejected rows.

A zip is hostile until shown otherwise: members may only be the extract's CSV files (flat or in
one folder), never absolute, `..`, links or duplicates; declared and actual sizes are capped,
and so is the compression ratio, so a zip bomb stops at the cap instead of filling the disk.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from neo4j import Driver

from app.errors import Conflict, Invalid, TooLarge
from app.security.roles import Perm
from app.services.door import Access, guard, personal
from app.settings import get_api_settings
from graph.driver import get_driver
from ingest.files import FILES
from ingest.load import DeliveryUnreadable
from ingest.transactional import load_delivery

ALLOWED = frozenset(spec.name for spec in FILES)
MAX_MEMBERS = 64
MAX_RATIO = 200
CHUNK = 1 << 20
_busy = threading.Lock()


def upload(
    access: Access, filename: str, stream: BinaryIO, driver: Driver | None = None
) -> dict[str, Any]:
    """Load an uploaded delivery; one at a time (409 while another is loading)."""
    params = {"filename": filename[:200]}
    guard(access, Perm.upload, "upload", params, action="upload")
    if not _busy.acquire(blocking=False):
        raise Conflict("another delivery is loading; try again when it has finished")
    try:
        return personal(
            access,
            Perm.upload,
            "upload",
            params,
            lambda: _load(stream, driver or get_driver()),
            action="upload",
        )
    finally:
        _busy.release()


def _load(stream: BinaryIO, driver: Driver) -> dict[str, Any]:
    settings = get_api_settings()
    root = settings.home / "uploads"
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    root.chmod(0o700)  # deliveries name victims
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    work = Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=root))
    delivery = work / "delivery"
    try:
        archive = work / "upload.zip"
        _save(stream, archive, settings.upload_max_mb << 20)
        unpack(archive, delivery, settings.unzip_max_mb << 20)
        archive.unlink()
        summary = load_delivery(delivery, driver)
    except DeliveryUnreadable as e:
        shutil.rmtree(work, ignore_errors=True)
        raise Invalid(str(e).replace(str(delivery), "the upload")) from e
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)  # a refused upload leaves nothing behind
        raise
    return {
        "delivery": work.name,
        "files": [
            {
                "name": f.name,
                "loaded": f.loaded,
                "unchanged": f.unchanged,
                "rejected": f.rejected,
                "seconds": round(f.seconds, 2),
            }
            for f in summary.files
        ],
        "ignored": summary.ignored,
        "rejected": summary.rejected,
        "rejects": [{"file": f.name, **r} for f in summary.files for r in f.rejects],
    }


def _save(stream: BinaryIO, target: Path, cap: int) -> None:
    size = 0
    with _private_file(target) as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > cap:
                raise TooLarge(f"the upload is larger than {cap >> 20} MB")
            out.write(chunk)
    if not zipfile.is_zipfile(target):
        raise Invalid("the upload is not a zip file")


def _private_file(path: Path) -> BinaryIO:
    """A new file only its owner may read: deliveries name victims."""
    return open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def _member_name(info: zipfile.ZipInfo) -> str:
    """The file name a member may be unpacked as; Invalid if it could escape or is unknown."""
    raw = info.filename
    path = PurePosixPath(raw)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise Invalid(f"the zip holds a link ({raw[:100]!r}); links are refused")
    if "\\" in raw or raw.startswith("/") or ":" in raw or ".." in path.parts:
        raise Invalid(f"the zip holds an unsafe path ({raw[:100]!r})")
    if len(path.parts) > 2 or path.name not in ALLOWED:
        raise Invalid(
            f"the zip holds {raw[:100]!r}; only the extract's CSV files "
            f"({', '.join(sorted(ALLOWED))}) are accepted, flat or in one folder"
        )
    return path.name


def unpack(archive: Path, target: Path, cap: int) -> None:
    """Unpack the extract's files from `archive` into `target`, refusing anything unsafe."""
    target.mkdir(mode=0o700, parents=True)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise Invalid(f"the zip cannot be read: {e}") from e
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            raise Invalid(f"the zip holds more than {MAX_MEMBERS} files")
        names = [_member_name(i) for i in infos]
        if len(set(names)) != len(names):
            raise Invalid("the zip holds the same extract file twice")
        if sum(i.file_size for i in infos) > cap:
            raise TooLarge(f"the zip would unpack to more than {cap >> 20} MB")
        for info in infos:
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise TooLarge(f"{info.filename[:100]!r} is compressed suspiciously well")
        total = 0
        for info, name in zip(infos, names, strict=True):
            total += _extract(zf, info, target / name, cap - total)


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, room: int) -> int:
    """Unpack one member, at most its declared size and `room` bytes; a damaged member (bad
    CRC, truncated or corrupt data, a size that lies) is refused with a readable reason."""
    written = 0
    try:
        with zf.open(info) as src, _private_file(target) as dst:
            while chunk := src.read(CHUNK):
                written += len(chunk)
                if written > info.file_size or written > room:
                    raise TooLarge("the zip unpacks to more than it declares")
                dst.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
        raise Invalid(f"the zip is damaged or unsupported at {info.filename[:100]!r}: {e}") from e
    if written != info.file_size:
        raise Invalid(f"the zip is damaged at {info.filename[:100]!r}: it lies about its size")
    return written
