"""`serialwatch db ...` on the real local server: status, loopback only, restarts, errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from graph.server import LocalServer


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {}), "COLUMNS": "200"},
        timeout=600,
    )


def listening_addresses(pid: int) -> set[str]:
    """Local addresses of the LISTEN sockets a process holds, read from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                found.add(_decode(fields[1]))
    return found


def _decode(hex_addr: str) -> str:
    host, port = hex_addr.split(":")
    raw = bytes.fromhex(host)
    if len(raw) == 4:
        ip = ".".join(str(b) for b in raw[::-1])
    else:  # IPv6, possibly an IPv4-mapped address; words are little-endian
        words = [raw[i : i + 4][::-1] for i in range(0, 16, 4)]
        flat = b"".join(words)
        ip = (
            ".".join(str(b) for b in flat[12:])
            if flat[:12] == b"\0" * 10 + b"\xff\xff"
            else flat.hex()
        )
    return f"{ip}:{int(port, 16)}"


def test_status_shows_526_community_on_loopback(neo4j_server: LocalServer) -> None:
    out = cli("db", "status")
    assert out.returncode == 0, out.stderr
    assert re.search(r"Neo4j 5\.26\.\d+ community", out.stdout)
    assert f"bolt://127.0.0.1:{neo4j_server.settings.bolt_port}" in out.stdout


def test_nothing_listens_beyond_loopback(neo4j_server: LocalServer) -> None:
    pid = neo4j_server.pid()
    assert pid is not None
    addresses = listening_addresses(pid)
    assert f"127.0.0.1:{neo4j_server.settings.bolt_port}" in addresses
    assert all(a.startswith("127.") for a in addresses), addresses


def test_password_file_is_private(neo4j_server: LocalServer) -> None:
    path = neo4j_server.settings.password_file
    if os.environ.get("NEO4J_PASSWORD"):
        return  # the password came from the environment; no file was written
    assert path.stat().st_mode & 0o077 == 0


def test_wrong_password_is_one_clear_line(neo4j_server: LocalServer) -> None:
    out = cli("db", "status", env={"NEO4J_PASSWORD": "wrong-password"})
    assert out.returncode != 0
    assert out.stderr.strip().splitlines() == [
        "error: Neo4j refused the password: check NEO4J_USER / NEO4J_PASSWORD"
    ]


def test_stop_then_start_again(neo4j_server: LocalServer) -> None:
    assert cli("db", "stop").returncode == 0
    assert neo4j_server.pid() is None
    stopped = cli("db", "status")
    assert stopped.returncode == 3 and "stopped" in stopped.stdout
    started = cli("db", "start")
    assert started.returncode == 0, started.stderr
    assert "answering on bolt://127.0.0.1" in started.stdout
    assert neo4j_server.pid() is not None


def test_reset_needs_confirmation(neo4j_server: LocalServer) -> None:
    out = cli("db", "reset")
    assert out.returncode == 1 and "--yes" in out.stdout
    assert neo4j_server.pid() is not None


def test_missing_java_says_what_to_install(tmp_path: Path) -> None:
    venv_bin = str(Path(sys.executable).parent)
    out = cli("db", "start", env={"PATH": venv_bin, "SERIALWATCH_HOME": str(tmp_path)})
    assert out.returncode == 1
    assert out.stderr.strip() == "error: Java 17+ is required: install OpenJDK 17 or 21"


def test_failed_fetch_says_what_to_check(tmp_path: Path) -> None:
    out = cli(
        "db",
        "start",
        env={
            "SERIALWATCH_CACHE": str(tmp_path / "cache"),
            "SERIALWATCH_HOME": str(tmp_path / "home"),
            "SERIALWATCH_NEO4J_VERSION": "5.26.9999",
        },
    )
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: could not fetch Neo4j 5.26.9999")


def test_the_server_home_is_private_after_a_start(neo4j_server: LocalServer) -> None:
    """Store and transaction logs name victims: after a start (by a shell with umask 022)
    and writes, nothing under the home is readable by group or others, including what an
    earlier version left open."""
    from graph.driver import get_driver

    home = neo4j_server.home
    assert cli("db", "stop").returncode == 0
    (home / "logs" / "old").mkdir(mode=0o755, exist_ok=True)
    (home / "logs" / "old" / "left-open.log").write_text("synthetic")
    os.chmod(home / "logs" / "old" / "left-open.log", 0o644)
    started = cli("db", "start")
    assert started.returncode == 0, started.stderr
    driver = get_driver()
    driver.execute_query("CREATE (:PermissionProbe {name: 'synthetic'})")
    driver.execute_query("MATCH (n:PermissionProbe) DELETE n")
    open_paths = [
        f"{oct(p.stat().st_mode & 0o777)} {p.relative_to(home)}"
        for p in [home, *home.rglob("*")]
        if not p.is_symlink() and p.stat().st_mode & 0o077
    ]
    assert open_paths == []
