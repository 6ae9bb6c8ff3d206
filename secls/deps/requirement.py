"""One requirement string (PEP 508) read into an Entry, a Skipped or a Problem, with its ranges."""

from __future__ import annotations

import re
from collections.abc import Callable

from packaging.requirements import InvalidRequirement, Requirement
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


def read_requirement(text: str, locate: Locate, hashed: bool = False) -> Entry | Skipped | Problem:
    """Read a PEP 508 requirement; URLs and paths are skipped, invalid text is a problem."""
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    span = locate(offset, offset + len(stripped))
    if _URL.match(stripped) or _PATH_LIKE.search(stripped.split(";")[0].strip()):
        return Skipped(stripped, "URL or path requirement: no version to check", span)
    try:
        requirement = Requirement(stripped)
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        return Problem(f"cannot read requirement {stripped!r}: {reason}", span)
    if requirement.url:
        return Skipped(stripped, f"direct URL reference ({requirement.url}): no version to check", span)
    pinned: Version | None = None
    version_span: Span | None = None
    version_text = pinned_version(requirement)
    if version_text is not None:
        try:
            pinned = Version(version_text)
        except InvalidVersion:
            pinned = None  # `===foo`: arbitrary equality with a non-PEP 440 version
        match = re.search(r"===?\s*(" + re.escape(version_text) + ")", stripped)
        if match is not None and pinned is not None:
            version_span = locate(offset + match.start(1), offset + match.end(1))
    return Entry(name=requirement.name, key=canonicalize_name(requirement.name), specifier=requirement.specifier,
                 span=span, pinned=pinned, version_span=version_span,
                 marker=str(requirement.marker) if requirement.marker else None, hashed=hashed)
