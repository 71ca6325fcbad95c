"""Start, stop, inspect and wipe the project's local Neo4j server.

The server listens on 127.0.0.1 only, with auth on. Its password is generated on first start
and kept in a file only its owner can read (unless `NEO4J_PASSWORD` is set). Its store and
transaction logs hold victims' names: the server and `neo4j-admin` run with umask 077, and
each start makes the home private again (folders 0700, files 0600), whoever made them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graph.driver import make_driver, read, wait_until_ready
from graph.errors import DatabaseUnavailable, SerialwatchError
from graph.server.distribution import Distribution, OnFile, ensure_distribution
from graph.settings import Settings

PRIVATE_UMASK = 0o077
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
]


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    address: str
    version: str | None = None
    edition: str | None = None
    store_bytes: int = 0


class LocalServer:
    """The local server described by `settings` (its home folder, port, memory)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.server_home
        self.pid_file = self.home / "run" / "neo4j.pid"
        self.console_log = self.home / "logs" / "console.log"
        self._proc: subprocess.Popen[bytes] | None = None  # the server, when we started it

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.settings.bolt_port}"

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout_s: float = 180.0, on_file: OnFile | None = None) -> Distribution:
        """Start the server (fetching Neo4j on first use, telling `on_file` of each file);
        return once Bolt answers RETURN 1."""
        dist = ensure_distribution(self.settings.cache, self.settings.neo4j_version, on_file)
        if self.pid() is None:
            self._write_config()
            make_private(self.home)
            self._ensure_password(dist)
            self._launch(dist)
        self._wait(timeout_s)
        return dist

    def stop(self, timeout_s: float = 120.0) -> bool:
        """Stop cleanly (SIGTERM, Neo4j's own shutdown); False if it was not running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while _alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                raise SerialwatchError(
                    f"Neo4j (pid {pid}) did not stop in {timeout_s:.0f} s; killed"
                )
            time.sleep(0.2)
        self.pid_file.unlink(missing_ok=True)
        return True

    def reset(self) -> None:
        """Wipe every database (the server must be stopped); the next start begins empty."""
        if self.pid() is not None:
            raise SerialwatchError("stop the server before a reset (`serialwatch db stop`)")
        shutil.rmtree(self.home / "data", ignore_errors=True)

    def pid(self) -> int | None:
        """The server's pid when it is running, else None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if _alive(pid) and ENTRY_POINT in _cmdline(pid):
            return pid
        self.pid_file.unlink(missing_ok=True)
        return None

    def status(self) -> ServerStatus:
        pid = self.pid()
        size = _tree_size(self.home / "data")
        if pid is None:
            return ServerStatus(False, None, self.address, store_bytes=size)
        driver = make_driver(self.settings)
        try:
            row = read(
                "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition",
                driver=driver,
            )[0]
        finally:
            driver.close()
        return ServerStatus(True, pid, self.address, row["v"], row["edition"], size)

    # -- internals ---------------------------------------------------------------------------
    def _write_config(self) -> None:
        s = self.settings
        self.home.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for sub in ("conf", "data", "logs", "run", "import"):
            (self.home / sub).mkdir(mode=0o700, parents=True, exist_ok=True)
        conf = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": self.address,
            "server.bolt.advertised_address": self.address,
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "true",
            "server.memory.pagecache.size": s.pagecache,
            "server.directories.data": str(self.home / "data"),
            "server.directories.logs": str(self.home / "logs"),
            "server.directories.run": str(self.home / "run"),
            "server.directories.import": str(self.home / "import"),
            "dbms.usage_report.enabled": "false",
            "db.transaction.timeout": "0",
        }
        text = "".join(f"{k}={v}\n" for k, v in conf.items())
        _write_private(
            self.home / "conf" / "neo4j.conf",
            "# Written by `serialwatch db start` from its settings; edits are overwritten.\n"
            + text.rstrip("\n"),
        )

    def _ensure_password(self, dist: Distribution) -> None:
        """On a fresh store, set the initial password before the first start."""
        if (self.home / "data" / "dbms" / "auth.ini").exists() or (
            self.home / "data" / "databases" / "system"
        ).exists():
            return
        if self.settings.password_env is not None:
            password = self.settings.password_env.get_secret_value()
        elif self.settings.password_file.exists():
            password = self.settings.password_file.read_text(encoding="utf-8").strip()
        else:
            password = secrets.token_hex(24)  # never begins with "-" (read as an option)
            _write_private(self.settings.password_file, password)
        proc = self.admin(dist, "dbms", "set-initial-password", password)
        if proc.returncode != 0:
            raise SerialwatchError(
                f"could not set the initial password: {proc.stderr.strip()[:300]}"
            )

    def admin(self, dist: Distribution, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a `neo4j-admin` command (the tool the packaged server ships) on this home."""
        self._write_config()
        return subprocess.run(
            ["java", "-cp", dist.classpath, ADMIN_TOOL, *args],
            env=self._env(),
            capture_output=True,
            text=True,
            umask=PRIVATE_UMASK,
        )

    def _launch(self, dist: Distribution) -> None:
        heap = self.settings.heap
        cmd = [
            "java",
            f"-Xms{heap}",
            f"-Xmx{heap}",
            *JVM_OPTIONS,
            "-cp",
            dist.classpath,
            ENTRY_POINT,
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
        ]
        fd = os.open(self.console_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with open(fd, "ab") as log:
            self._proc = subprocess.Popen(
                cmd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._env(),
                start_new_session=True,
                umask=PRIVATE_UMASK,
            )
        _write_private(self.pid_file, str(self._proc.pid))

    def _wait(self, timeout_s: float) -> None:
        driver = make_driver(self.settings)
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                # Our own child is watched directly: until it has exec'd java, /proc shows
                # the python command line and pid() would not recognise it.
                exited = self._proc.poll() is not None if self._proc else self.pid() is None
                if exited:
                    raise DatabaseUnavailable(
                        f"Neo4j exited during start; see {self.console_log} and "
                        f"{self.home / 'logs' / 'neo4j.log'}"
                    )
                try:
                    wait_until_ready(driver, timeout_s=2.0)
                    return
                except DatabaseUnavailable:
                    if time.monotonic() > deadline:
                        raise
        finally:
            driver.close()

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(NEO4J_HOME=str(self.home), NEO4J_CONF=str(self.home / "conf"))
        return env


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    os.chmod(path, 0o600)


def make_private(root: Path) -> None:
    """Folders under `root` (and itself) 0700, files 0600: readable by their owner only."""
    for folder, _, files in os.walk(root):
        os.chmod(folder, 0o700)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, 0o600)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of this process still answers kill(0); treat it as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def _tree_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) if root.exists() else 0
