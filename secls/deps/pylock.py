"""PEP 751 lock files (pylock.toml): each package resolved to one version."""

from __future__ import annotations

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from secls.deps.model import Entry, ParsedFile, Problem, Span
from secls.deps.pyproject import load_toml
from secls.deps.toml_strings import StringLocator


def parse_pylock(text: str, kind: str) -> ParsedFile:
    """Read the packages of a pylock.toml; never raises."""
    parsed = ParsedFile(kind)
    data = load_toml(text, parsed)
    if data is None:
        return parsed
    locator = StringLocator(text)
    packages = data.get("packages")
    for package in packages if isinstance(packages, list) else []:
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            continue
        name = package["name"]
        where_name = locator.take(name)
        line = where_name[0] if where_name else 1
        version_text = package.get("version")
        if not isinstance(version_text, str):
            continue  # a package from a path or VCS without a version
        where = locator.take(version_text, line)
        span = Span(where[0], where[1] - 1, where[0], where[2] + 1) if where else Span(line, 0, line, 0)
        try:
            version = Version(version_text)
        except InvalidVersion:
            parsed.problems.append(Problem(f"invalid version {version_text!r} of {name}", span))
            continue
        version_span = Span(where[0], where[1], where[0], where[2]) if where else None
        parsed.entries.append(Entry(name=name, key=canonicalize_name(name), specifier=SpecifierSet(f"=={version}"),
                                    span=span, pinned=version, version_span=version_span, locked=True))
    return parsed
