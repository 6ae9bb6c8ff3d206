"""What a check produced: findings per path and the files that could not be checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from secls.analysis.findings import Finding, Severity


@dataclass(frozen=True)
class PathFinding:
    """A finding in the file at `path` (as the user spelled it)."""

    path: str
    finding: Finding


@dataclass(frozen=True)
class FileError:
    """A file that could not be (fully) checked; line and column are 1-based when known."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    code: str | None = None
    kind: str = "file"
    """`syntax`, `file` (unreadable or undecodable), `missing` (a path given that does not exist), `internal`."""

    @property
    def fatal(self) -> bool:
        """Whether this error means the run itself failed (exit 2), not just one file."""
        return self.kind in ("missing", "internal")


@dataclass
class Report:
    """Everything one `secls check` run found, in path order."""

    findings: list[PathFinding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    files_checked: int = 0
    checked: list[str] = field(default_factory=list)  # the paths checked, as the user spelled them
    baseline: dict[str, Any] | None = None  # what a baseline hid and which entries matched nothing

    def count(self, severity: Severity) -> int:
        """How many findings have this severity."""
        return sum(1 for pf in self.findings if pf.finding.severity == severity)

    @property
    def has_problems(self) -> bool:
        """Whether a warning or error finding, or a file that could not be checked, was reported."""
        return bool(self.errors) or any(pf.finding.severity <= Severity.WARNING for pf in self.findings)
