"""The result types of an analysis: findings, severities, categories, fix references."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(enum.IntEnum):
    """Severity of a finding; the values match LSP's DiagnosticSeverity."""

    ERROR = 1
    WARNING = 2
    INFO = 3
    HINT = 4

    @property
    def label(self) -> str:
        """The lowercase name used in JSON and config: error, warning, info, hint."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        """Read a severity from config text (error/warning/info/information/hint, or E/W/I/H)."""
        key = text.strip().lower()
        aliases = {"e": "error", "w": "warning", "i": "info", "information": "info", "h": "hint"}
        key = aliases.get(key, key)
        for member in cls:
            if member.label == key:
                return member
        raise ValueError(f"unknown severity {text!r} (expected error, warning, info or hint)")


CATEGORIES: dict[str, str] = {
    "input-validation": "Input validation and sanitization",
    "secrets": "Hardcoded sensitive information",
    "resource-release": "Resource allocation and release",
    "error-handling": "Error handling",
    "dependencies": "Dependency and third-party libraries",
    "execution-flow": "Code execution flow and logic",
    "access-control": "Access control",
    "mocking": "Mocking and patching",
}
"""Category slug -> title, in the order of the review (the code's first digit is the index + 1)."""

CATEGORY_BY_DIGIT: dict[str, str] = {str(i + 1): slug for i, slug in enumerate(CATEGORIES)}

SUPPRESSIONS = "suppressions"
"""The category of SEC0xx: findings about suppression comments, not one of the review's eight."""


@dataclass(frozen=True)
class FixRef:
    """Names a quick fix for a finding; the edit itself is built later by `secls.fixes`."""

    title: str
    safe: bool = True


@dataclass(frozen=True)
class Related:
    """A secondary location that explains a finding (1-based line, 0-based code-point column)."""

    line: int
    column: int
    end_line: int
    end_column: int
    message: str


@dataclass(frozen=True)
class Finding:
    """One problem: 1-based lines, 0-based code-point columns, end exclusive."""

    code: str
    category: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix: FixRef | None = None
    data: tuple[tuple[str, str], ...] = ()
    related: tuple[Related, ...] = ()

    def get(self, key: str, default: str | None = None) -> str | None:
        """Read a value of the rule's structured data (used by fixes)."""
        for k, v in self.data:
            if k == key:
                return v
        return default

    def with_severity(self, severity: Severity) -> "Finding":
        """A copy with another severity (config overrides); itself when the severity is the same."""
        return self if severity is self.severity else replace(self, severity=severity)

    def sort_key(self) -> tuple[int, int, str]:
        """Order findings by position, then code."""
        return (self.line, self.column, self.code)


@dataclass
class AnalysisResult:
    """Findings of one module, or the syntax error that stopped the analysis."""

    findings: list[Finding] = field(default_factory=list)
    syntax_error: Finding | None = None
    suppressed: int = 0
    errors: list[str] = field(default_factory=list)
