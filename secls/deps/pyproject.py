"""Requirements in pyproject.toml: [project], [dependency-groups] and Poetry's dependency tables."""

from __future__ import annotations

import re
import sys
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from secls.deps.model import Entry, ParsedFile, Problem, Skipped, Span
from secls.deps.requirement import read_requirement
from secls.deps.toml_strings import StringLocator

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_toml(text: str, parsed: ParsedFile) -> dict[str, Any] | None:
    """The TOML document, or None with a problem at the error's position."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        line, col = (int(match.group(1)), int(match.group(2)) - 1) if match else (1, 0)
        parsed.problems.append(Problem(f"cannot read TOML: {exc}", Span(line, max(col, 0), line, max(col, 0) + 1)))
        return None


def parse_pyproject(text: str, kind: str) -> ParsedFile:
    """Read the dependency lists of a pyproject.toml; never raises."""
    parsed = ParsedFile(kind)
    data = load_toml(text, parsed)
    if data is None:
        return parsed
    locator = StringLocator(text)
    project = _table(data.get("project"))
    strings: list[Any] = list(_list(project.get("dependencies")))
    for extra in _table(project.get("optional-dependencies")).values():
        strings += _list(extra)
    for group in _table(data.get("dependency-groups")).values():
        strings += _list(group)  # {include-group = "..."} items are not requirements
    for value in strings:
        if isinstance(value, str):
            _add_string(value, locator, parsed)
    poetry = _table(_table(data.get("tool")).get("poetry"))
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    tables += [_table(g).get("dependencies") for g in _table(poetry.get("group")).values()]
    for table in tables:
        for name, constraint in _table(table).items():
            if name.lower() != "python":
                _add_poetry(name, constraint, text, locator, parsed)
    return parsed


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _add_string(value: str, locator: StringLocator, parsed: ParsedFile) -> None:
    where = locator.take(value)
    line, start = (where[0], where[1]) if where else (1, 0)
    if where is None:  # a multi-line string, say: report on the first line
        start = 0

    def locate(a: int, b: int) -> Span:
        return Span(line, start + a, line, start + b) if where else Span(1, 0, 1, 0)

    item = read_requirement(value, locate)
    parsed.add(item)


def poetry_specifier(constraint: str) -> tuple[SpecifierSet, str | None]:
    """A Poetry constraint as a PEP 440 specifier set and the version it pins (`2.0`, `==2.0`), if any."""
    parts = [p.strip() for p in constraint.split(",") if p.strip()]
    specs: list[str] = []
    pinned: str | None = None
    for part in parts:
        if part == "*":
            continue
        if part[0].isdigit() or part.startswith("=="):
            version = part.lstrip("=").strip()
            if "*" not in version:
                pinned = version
            specs.append(f"=={version}")
        elif part.startswith(("^", "~")) and not part.startswith("~="):
            specs += _caret_or_tilde(part)
        else:
            specs.append(part)
    return SpecifierSet(",".join(specs)), pinned


def _caret_or_tilde(part: str) -> list[str]:
    version = Version(part.lstrip("^~").strip())
    release = list(version.release)
    if part.startswith("^"):
        first = next((i for i, n in enumerate(release) if n != 0), len(release) - 1)
        upper = release[:first] + [release[first] + 1]
    else:
        keep = 2 if len(release) >= 2 else 1
        upper = release[:keep - 1] + [release[keep - 1] + 1]
    return [f">={version}", f"<{'.'.join(map(str, upper))}"]


def _add_poetry(name: str, constraint: Any, text: str, locator: StringLocator, parsed: ParsedFile) -> None:
    key_match = re.search(r"^[ \t]*[\"']?" + re.escape(name) + r"[\"']?[ \t]*=", text, re.MULTILINE)
    key_line = text.count("\n", 0, key_match.start()) + 1 if key_match else 1
    key_col = (key_match.start() - text.rfind("\n", 0, key_match.start()) - 1 +
               len(key_match.group(0)) - len(key_match.group(0).lstrip())) if key_match else 0
    if isinstance(constraint, dict):
        if any(k in constraint for k in ("git", "path", "url")):
            span = Span(key_line, key_col, key_line, key_col + len(name))
            parsed.skipped.append(Skipped(name, "git, path or URL dependency: no version to check", span))
            return
        constraint = constraint.get("version", "*")
    if not isinstance(constraint, str):
        return  # a list of per-platform constraints: not checked
    where = locator.take(constraint, key_line)
    if where is not None and where[0] == key_line:
        span = Span(key_line, key_col, key_line, where[2] + 1)
    else:
        span = Span(key_line, key_col, key_line, key_col + len(name))
    try:
        specifier, pinned = poetry_specifier(constraint)
        version = Version(pinned) if pinned else None
    except (InvalidSpecifier, InvalidVersion, ValueError) as exc:
        parsed.problems.append(Problem(f"cannot read Poetry constraint {constraint!r} of {name}: {exc}", span))
        return
    version_span = None
    if version is not None and where is not None:
        offset = constraint.find(pinned or "")
        version_span = Span(where[0], where[1] + offset, where[0], where[1] + offset + len(pinned or ""))
    parsed.entries.append(Entry(name=name, key=canonicalize_name(name), specifier=specifier, span=span,
                                pinned=version, version_span=version_span))
