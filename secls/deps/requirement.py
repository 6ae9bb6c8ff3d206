"""One requirement string (PEP 508) read into an Entry, a Skipped or a Problem, with its ranges."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from secls.deps.model import Entry, Problem, Skipped, Span

# (start, end) offsets in the requirement text -> its range in the file.
Locate = Callable[[int, int], Span]

_PATH_LIKE = re.compile(r"^(\.{1,2}[/\\]|/|~|[A-Za-z]:[/\\]|file:)|\.(whl|zip|tar\.gz|tar\.bz2|tgz)$", re.IGNORECASE)
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def pinned_version(requirement: Requirement) -> str | None:
    """The version text an `==` (without wildcard) or `===` specifier pins, if any."""
    for spec in requirement.specifier:
        if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
            return spec.version
    return None


@dataclass(frozen=True)
class _Read:
    """What a requirement's text says, independent of where it is written (cached by text)."""

    skip: str | None = None
    problem: str | None = None
    name: str = ""
    specifier: SpecifierSet = SpecifierSet()
    pinned: Version | None = None
    version_at: tuple[int, int] | None = None
    marker: str | None = None


@lru_cache(maxsize=8192)
def _read(stripped: str) -> _Read:
    # packaging's parser dominates a check; editors re-send the same lines on every keystroke.
    if _URL.match(stripped) or _PATH_LIKE.search(stripped.split(";")[0].strip()):
        return _Read(skip="URL or path requirement: no version to check")
    try:
        requirement = Requirement(stripped)
    except InvalidRequirement as exc:
        return _Read(problem=f"cannot read requirement {stripped!r}: {str(exc).splitlines()[0]}")
    if requirement.url:
        return _Read(skip=f"direct URL reference ({requirement.url}): no version to check")
    pinned: Version | None = None
    version_at: tuple[int, int] | None = None
    version_text = pinned_version(requirement)
    if version_text is not None:
        try:
            pinned = Version(version_text)
        except InvalidVersion:
            pinned = None  # `===foo`: arbitrary equality with a non-PEP 440 version
        operator = stripped.find("==")
        at = stripped.find(version_text, operator) if operator >= 0 else -1
        if at >= 0 and pinned is not None:
            version_at = (at, at + len(version_text))
    return _Read(name=requirement.name, specifier=requirement.specifier, pinned=pinned, version_at=version_at,
                 marker=str(requirement.marker) if requirement.marker else None)


def read_requirement(text: str, locate: Locate, hashed: bool = False) -> Entry | Skipped | Problem:
    """Read a PEP 508 requirement; URLs and paths are skipped, invalid text is a problem."""
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    span = locate(offset, offset + len(stripped))
    read = _read(stripped)
    if read.skip is not None:
        return Skipped(stripped, read.skip, span)
    if read.problem is not None:
        return Problem(read.problem, span)
    version_span = locate(offset + read.version_at[0], offset + read.version_at[1]) if read.version_at else None
    return Entry(name=read.name, key=canonicalize_name(read.name), specifier=read.specifier, span=span,
                 pinned=read.pinned, version_span=version_span, marker=read.marker, hashed=hashed)
