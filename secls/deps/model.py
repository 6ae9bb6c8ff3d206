"""What a requirement file holds: requirements with their ranges, includes, skipped lines and problems."""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.specifiers import SpecifierSet
from packaging.version import Version


@dataclass(frozen=True)
class Span:
    """A range in the file: 1-based lines, 0-based code-point columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Entry:
    """One requirement: its name, its specifier, the version it pins (if any) and where it is written."""

    name: str
    key: str
    specifier: SpecifierSet
    span: Span
    pinned: Version | None = None
    version_span: Span | None = None
    marker: str | None = None
    locked: bool = False
    hashed: bool = False

    @property
    def bounded(self) -> bool:
        """Whether any version bound is given (a pin, a range, a lock)."""
        return self.pinned is not None or bool(self.specifier) or self.locked


@dataclass(frozen=True)
class Include:
    """A `-r`/`-c` line: the file it names (as written) and whether it only constrains."""

    target: str
    constraint: bool
    span: Span


@dataclass(frozen=True)
class Skipped:
    """A requirement that is not checked, and why (editable, URL, path)."""

    text: str
    reason: str
    span: Span


@dataclass(frozen=True)
class Problem:
    """A line that cannot be read as a requirement; the message says why."""

    message: str
    span: Span
    warning: bool = True


@dataclass
class ParsedFile:
    """Everything read from one requirement file."""

    kind: str
    entries: list[Entry] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, item: "Entry | Skipped | Problem") -> None:
        """File what `read_requirement` made of one requirement: an entry, a skip, or a problem."""
        if isinstance(item, Skipped):
            self.skipped.append(item)
        elif isinstance(item, Problem):
            self.problems.append(item)
        else:
            self.entries.append(item)
