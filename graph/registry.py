"""The saved query library: one `.cypher` file per query, loaded and checked at start-up.

A file opens with a `//` header (see `docs/queries.md`); the registry refuses a file whose header
is missing or incomplete, whose `$parameters` are not exactly the declared ones, or which contains
a write clause. Refusing at load time means a bad query never reaches a user. Analysts add queries
by dropping files into a folder named in `SERIALWATCH_QUERY_DIRS` (os.pathsep-separated).
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from graph.cypher import MISSING, Param, parse_param
from graph.errors import SerialwatchError
from graph.settings import get_settings

REQUIRED = ("name", "title", "description", "audience", "mode", "scope", "returns")
SCOPES = ("person", "pair", "population")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_LINE = re.compile(r"^//\s?([a-z_]+)(?:\s+([A-Za-z_]\w*))?\s*:\s?(.*)$")
_PARAM_USE = re.compile(r"\$([A-Za-z_]\w*)")
# Strings, quoted names and comments are blanked before any check looks at the text.
_OPAQUE = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.S)
_WRITE = re.compile(
    r"(?<![.\w$])(CREATE|MERGE|SET|DELETE|REMOVE|DETACH|FOREACH|DROP|ALTER|GRANT|DENY|REVOKE"
    r"|RENAME|TERMINATE)(?!\w)|LOAD\s+CSV|IN\s+(?:\d+\s+CONCURRENT\s+)?TRANSACTIONS",
    re.I,
)
_CALL = re.compile(r"(?<![.\w])CALL\s+([A-Za-z_][\w.]*)", re.I)
READ_ONLY_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.schema.visualization",
    }
)


class QueryLibraryError(SerialwatchError):
    """One or more query files are refused; the message lists every problem with its file."""


class QueryNotFound(SerialwatchError):
    """No saved query has that name."""


@dataclass(frozen=True)
class SavedQuery:
    """One checked query: its header fields, typed parameters and Cypher text."""

    name: str
    title: str
    description: str
    audience: tuple[str, ...]
    scope: str
    returns: str
    params: tuple[Param, ...]
    cypher: str
    source: str
    timeout_s: float | None = None
    row_cap: int | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


class Library:
    """The loaded queries by name; `get` names the closest match when a name is unknown."""

    def __init__(self, queries: Iterable[SavedQuery]) -> None:
        self._by_name = {q.name: q for q in queries}

    def __iter__(self) -> Iterator[SavedQuery]:
        return iter(sorted(self._by_name.values(), key=lambda q: q.name))

    def __len__(self) -> int:
        return len(self._by_name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> SavedQuery:
        try:
            return self._by_name[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(self._by_name), n=1)
            hint = f"; did you mean {close[0]}?" if close else "; see `serialwatch query list`"
            raise QueryNotFound(f"no saved query named {name!r}{hint}") from None


def strip_opaque(cypher: str) -> str:
    """The text with strings, quoted names and comments blanked (kept as placeholders)."""
    return _OPAQUE.sub(lambda m: "''" if m.group(0)[0] in "'\"" else " ", cypher)


def check_body(cypher: str) -> list[str]:
    """Every reason the Cypher is not a plain read (a write clause, a non-allow-listed CALL)."""
    text = strip_opaque(cypher)
    problems = [f"write clause {m.group(0).split()[0].upper()!r}" for m in _WRITE.finditer(text)]
    for m in _CALL.finditer(text):
        if m.group(1) not in READ_ONLY_PROCEDURES:
            problems.append(f"procedure {m.group(1)!r} is not on the read-only allow-list")
    return problems


def parse(text: str, source: str, base: Traversable | Path | None = None) -> SavedQuery:
    """Parse and check one query file; raises QueryLibraryError listing every problem."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    extras: list[tuple[str, str, str]] = []
    problems: list[str] = []
    lines = text.splitlines()
    i, last = 0, ""
    while i < len(lines) and lines[i].startswith("//"):
        line = lines[i]
        i += 1
        if re.match(r"^//\s{2,}\S", line) and last:  # continuation of the previous field
            fields[last] = f"{fields[last]} {line[2:].strip()}"
            continue
        m = _LINE.match(line)
        if not m:
            if line.strip("/ "):
                problems.append(f"header line {i} is not `// key: value`: {line!r}")
            continue
        key, arg, value = m.group(1), m.group(2), m.group(3).strip()
        if key == "param" and arg:
            params.append(parse_param(arg, value, base, problems))
        elif key in ("choices", "range") and arg:
            extras.append((key, arg, value))
        elif arg is None:
            fields[key], last = value, key
        else:
            problems.append(f"unknown header line {line!r}")
    body = "\n".join(lines[i:]).strip()
    if not fields:
        raise QueryLibraryError(f"{source}: no `//` header block at the top of the file")
    problems += [f"header has no `{k}`" for k in REQUIRED if not fields.get(k)]
    name = fields.get("name", "")
    stem = Path(source).stem
    if name and (not _NAME.match(name) or name != stem):
        problems.append(f"name {name!r} must be lower_snake_case and match the file name {stem!r}")
    if fields.get("mode", "read") != "read":
        problems.append(f"mode must be `read`, not {fields['mode']!r}")
    if fields.get("scope", "person") not in SCOPES:
        problems.append(f"scope must be one of {', '.join(SCOPES)}")
    by_name = {p.name: p for p in params}
    if len(by_name) != len(params):
        problems.append("a parameter is declared twice")
    for key, arg, value in extras:
        if arg not in by_name:
            problems.append(f"`{key} {arg}` names no declared parameter")
        else:
            by_name[arg] = by_name[arg].restricted(key, value, problems)
    for key, pattern in (("timeout", r"^\d+(\.\d+)?$"), ("row_cap", r"^\d+$")):
        if fields.get(key) and not re.match(pattern, fields[key]):
            problems.append(f"{key} must be a positive number")
    if not body:
        problems.append("no Cypher after the header")
    used = set(_PARAM_USE.findall(strip_opaque(body)))
    keys = {f"{n}_key" for n, p in by_name.items() if p.type == "map"}  # runner.bind's
    problems += [f"${u} is used but not declared" for u in sorted(used - by_name.keys() - keys)]
    problems += [f"${d} is declared but never used" for d in sorted(by_name.keys() - used)]
    problems += check_body(body)
    if problems:
        raise QueryLibraryError(f"{source}: " + "; ".join(problems))
    return SavedQuery(
        name=name,
        title=fields["title"],
        description=fields["description"],
        audience=tuple(a.strip() for a in fields["audience"].split(",") if a.strip()),
        scope=fields["scope"],
        returns=fields["returns"],
        params=tuple(by_name[p.name] for p in params),
        cypher=body,
        source=source,
        timeout_s=float(fields["timeout"]) if fields.get("timeout") else None,
        row_cap=int(fields["row_cap"]) if fields.get("row_cap") else None,
    )


def _walk(root: Traversable, rel: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir() and not entry.name.startswith((".", "_")):
            yield from _walk(entry, f"{rel}{entry.name}/")
        elif entry.name.endswith(".cypher"):
            yield f"{rel}{entry.name}", entry


def load(extra_dirs: Iterable[Path] = ()) -> Library:
    """The built-in library plus every extra folder; every refused file is reported at once."""
    builtin = resources.files("graph.cypher")
    roots: list[tuple[str, Traversable]] = [("graph/cypher/", builtin)]
    for d in extra_dirs:
        if not Path(d).is_dir():
            raise QueryLibraryError(f"query folder {d} does not exist (SERIALWATCH_QUERY_DIRS)")
        roots.append((f"{d}{os.sep}", Path(d)))
    queries: dict[str, SavedQuery] = {}
    problems: list[str] = []
    for prefix, root in roots:
        for rel, entry in _walk(root):
            source = prefix + rel
            try:
                q = parse(entry.read_text(encoding="utf-8"), source, root)
            except QueryLibraryError as e:
                problems.append(str(e))
                continue
            if q.name in queries:
                problems.append(f"{source}: name {q.name!r} is taken by {queries[q.name].source}")
                continue
            queries[q.name] = q
    if problems:
        raise QueryLibraryError("refused query files:\n  " + "\n  ".join(problems))
    return Library(queries.values())


@lru_cache(maxsize=1)
def get_library() -> Library:
    """The process's library: built in plus `SERIALWATCH_QUERY_DIRS`, loaded once."""
    dirs = [Path(d) for d in get_settings().query_dirs.split(os.pathsep) if d.strip()]
    return load(dirs)


def markdown(library: Library) -> str:
    """`docs/queries.md`: the reference for every query, generated from the headers."""
    out = [
        "# Saved queries",
        "",
        "Generated from the headers of `graph/cypher/**/*.cypher` by",
        "`python -m graph.registry --docs > docs/queries.md`; do not edit by hand.",
        "Run one with `serialwatch query run NAME -p key=value`. Every person in a row carries",
        "`identity_id` and `record_keys` (the person keys resolved into that identity).",
        "",
    ]
    out += [f"- [`{q.name}`](#{q.name}): {q.title}" for q in library]
    out += [
        "",
        "## Adding a query",
        "",
        "Drop a `NAME.cypher` file into a folder named in `SERIALWATCH_QUERY_DIRS`",
        "(os.pathsep-separated). It opens with a `//` header; a line starting `//` and two",
        "spaces continues the field above it:",
        "",
        "```",
        "// name: NAME                  (the file name without .cypher)",
        "// title: a short title",
        "// description: what it finds and why",
        "// audience: analyst, caseworker",
        "// mode: read                   (the only mode)",
        "// scope: person | pair | population",
        "// param NAME: TYPE [= DEFAULT] -- description",
        "// choices NAME: a, b, c        (allowed values, optional)",
        "// range NAME: 1..3             (bounds of an int or float, optional)",
        "// returns: what one row holds",
        "// timeout: 60                 (seconds, optional; else SERIALWATCH_QUERY_TIMEOUT)",
        "// row_cap: 50000              (optional; else SERIALWATCH_QUERY_ROW_CAP)",
        "```",
        "",
        "Types: `string`, `int`, `float`, `bool`, `date`, `map`, `list<string>`, `list<int>`,",
        "`list<float>`, `list<date>`. Defaults are JSON (`null`, `2`, `[\"a\"]`), `today` for a",
        "date, or `@file.toml` for a map read from a TOML file beside the queries. A `map`",
        "parameter NAME also arrives as `$NAME_key`, its fingerprint (to compare with one a",
        "query stored, as rfgv_ranking does with its stored scores). The library",
        "refuses a file with a missing header field, a `$parameter` used but not declared or",
        "declared but not used, or a write clause (CREATE, MERGE, SET, DELETE, REMOVE, DETACH,",
        "FOREACH, LOAD CSV, CALL ... IN TRANSACTIONS, schema and admin commands, procedures off",
        "the read-only allow-list); queries run in read transactions in any case.",
    ]
    for q in library:
        out += ["", f"## {q.name}", "", f"**{q.title}.** {q.description}", ""]
        out += [f"- audience: {', '.join(q.audience)}", f"- scope: {q.scope}"]
        out += [f"- source: `{q.source}`", f"- rows: {q.returns}", ""]
        if q.params:
            out += ["| parameter | type | default | description |", "|---|---|---|---|"]
            for p in q.params:
                default = "*required*" if p.default is MISSING else f"`{p.default_text}`"
                out.append(f"| `{p.name}` | `{p.type}` | {default} | {p.describe()} |")
        else:
            out.append("No parameters.")
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    lib = load()
    if "--docs" in argv:
        sys.stdout.write(markdown(lib))
    else:
        for q in lib:
            print(f"{q.name:28} {q.title}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
