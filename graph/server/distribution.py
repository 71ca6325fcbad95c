"""Fetch Neo4j Community 5.26 LTS from Maven Central and cache it per user.

Central does not carry the packaged server tarball, so we resolve the server's own artifacts
(`org.neo4j:neo4j`, the `neo4j-admin` command line and its import tool) with the machine's
`mvn` and run the real server entry point, `org.neo4j.server.CommunityEntryPoint`, on them:
the same classes the tarball's `bin/neo4j` starts. Later starts use the cache, offline.

The version is pinned (`graph.settings.NEO4J_PINNED`): Maven resolves a version range by
walking the whole dependency tree of every release in it (thirty 5.26 patches: some 9 minutes
on a first fetch), an exact version in one pass (18 s). A release line ("5.26") still works,
slowly.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from graph.errors import FetchFailed, ToolMissing
from graph.settings import NEO4J_PINNED

MIN_JAVA = 17
_DOWNLOADED = re.compile(r"^(?:\[INFO\] )?Downloaded from [^:]+: \S*/([^/\s]+) \(")

OnFile = Callable[[str], None]  # told the name of each file as Maven finishes downloading it
_KERNEL_JAR = re.compile(r"^neo4j-kernel-(\d+\.\d+\.\d+)\.jar$")


@dataclass(frozen=True)
class Distribution:
    """A cached set of Neo4j jars of one exact version."""

    version: str
    lib: Path

    @property
    def classpath(self) -> str:
        return f"{self.lib}/*"


def java_major() -> int:
    """The major version of `java` on the PATH; raises ToolMissing when absent or too old."""
    java = shutil.which("java")
    if java is None:
        raise ToolMissing(f"Java {MIN_JAVA}+ is required: install OpenJDK {MIN_JAVA} or 21")
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise ToolMissing(f"could not read `java -version`; install OpenJDK {MIN_JAVA} or 21")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8" style
        major = int(match.group(2))
    if major < MIN_JAVA:
        raise ToolMissing(f"Java {major} is too old: Neo4j 5 needs Java {MIN_JAVA} or 21")
    return major


def cached(cache: Path, wanted: str) -> Distribution | None:
    """The newest cached distribution whose version starts with `wanted` (e.g. "5.26")."""
    found = []
    for lib in cache.glob("neo4j-*/lib"):
        version = lib.parent.name.removeprefix("neo4j-")
        if (version == wanted or version.startswith(wanted + ".")) and (lib / ".complete").exists():
            found.append(Distribution(version, lib))
    return max(found, key=lambda d: tuple(int(x) for x in d.version.split(".")), default=None)


def ensure_distribution(
    cache: Path, wanted: str = NEO4J_PINNED, on_file: OnFile | None = None
) -> Distribution:
    """The cached distribution, fetching the `wanted` release on first use."""
    java_major()
    hit = cached(cache, wanted)
    if hit is not None:
        return hit
    return fetch(cache, wanted, on_file)


def _version_spec(wanted: str) -> str:
    parts = wanted.split(".")
    if len(parts) >= 3:
        return wanted
    major, minor = int(parts[0]), int(parts[1])
    return f"[{major}.{minor}.0,{major}.{minor + 1}.0)"


def fetch(cache: Path, wanted: str, on_file: OnFile | None = None) -> Distribution:
    """Resolve the server's jars with `mvn` into `cache/neo4j-<version>/lib`, telling
    `on_file` of each file downloaded (a first fetch takes a minute or two)."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ToolMissing("Maven (`mvn`) is needed once to fetch Neo4j: install maven")
    staging = cache / f"fetching-{wanted}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with resources.as_file(resources.files("graph.server") / "pom.xml") as pom:
        output = _maven(
            [
                mvn,
                "-B",
                "-Dstyle.color=never",
                "-Dmaven.artifact.threads=16",
                "-f",
                str(pom),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={staging}",
                "-DincludeScope=runtime",
                f"-Dneo4j.version={_version_spec(wanted)}",
            ],
            on_file,
        )
    if output is not None:
        reason = _maven_reason(output)
        raise FetchFailed(
            f"could not fetch Neo4j {wanted} with Maven ({reason});"
            " check network access to Maven Central and `mvn -v`"
        )
    versions = [m.group(1) for p in staging.iterdir() if (m := _KERNEL_JAR.match(p.name))]
    if len(versions) != 1:
        raise FetchFailed(f"Maven resolved no single neo4j-kernel jar into {staging}")
    final = cache / f"neo4j-{versions[0]}" / "lib"
    shutil.rmtree(final.parent, ignore_errors=True)
    final.parent.mkdir(parents=True)
    staging.rename(final)
    (final / ".complete").touch()
    return Distribution(versions[0], final)


def _maven(cmd: list[str], on_file: OnFile | None) -> str | None:
    """Run Maven, reporting each downloaded file; its output if it failed, else None."""
    lines: list[str] = []
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if on_file is not None and (m := _DOWNLOADED.match(line)):
                on_file(m.group(1))
    return "".join(lines) if proc.returncode != 0 else None


def _maven_reason(output: str) -> str:
    """The one line of Maven's output that says why resolution failed."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", output)
    for line in plain.splitlines():
        if "Could not" in line or "Failed to" in line:
            return line.removeprefix("[ERROR]").strip()[:240]
    return "no reason given"
