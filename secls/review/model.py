"""The review of files: per category what was examined, the findings with excerpts, and verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Excerpt:
    """A few numbered source lines around a finding."""

    first_line: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ReviewFinding:
    """One finding as the review shows it: where, how bad, whether a fix exists, and the code."""

    path: str
    line: int
    column: int
    end_line: int
    code: str
    rule: str
    severity: str
    message: str
    fix: str | None
    fix_safe: bool
    excerpt: Excerpt

    @property
    def location(self) -> str:
        """`path:line`."""
        return f"{self.path}:{self.line}"

    @property
    def fix_label(self) -> str:
        """Whether a quick fix is available, and how safe it is."""
        if self.fix is None:
            return "no automatic fix"
        return ("fix available: " if self.fix_safe else "unsafe fix available: ") + self.fix


@dataclass(frozen=True)
class Section:
    """One review category of one file."""

    slug: str
    title: str
    examined: tuple[str, ...]
    findings: tuple[ReviewFinding, ...]
    verdict: str


@dataclass(frozen=True)
class ClassLifecycleSummary:
    """What a TestCase class acquires in setUp (and its tests) and how much of it is released."""

    name: str
    line: int
    setup_methods: tuple[str, ...]
    setup_acquired: int
    setup_released: int
    test_acquired: int
    test_released: int
    released_via: tuple[tuple[str, int], ...]
    stopall: bool | None = None  # whether a base stops every started patcher (None: bases unresolved)

    @property
    def text(self) -> str:
        """One line for a code lens: `setUp acquires 5, releases 5`."""
        parts = []
        if self.setup_methods:
            name = "/".join(self.setup_methods)
            parts.append(f"{name} acquires {self.setup_acquired}, releases {self.setup_released}")
        if self.test_acquired or not self.setup_methods:
            parts.append(f"other methods acquire {self.test_acquired}, release {self.test_released}")
        if self.released_via:
            parts.append("via " + ", ".join(f"{how} {n}" for how, n in self.released_via))
        return "; ".join(parts)


@dataclass(frozen=True)
class FileReview:
    """The review of one file; `error` says why it could not be reviewed."""

    path: str
    sections: tuple[Section, ...] = ()
    verdict: str = ""
    notes: tuple[str, ...] = ()
    classes: tuple[ClassLifecycleSummary, ...] = ()
    error: str | None = None

    @property
    def defects(self) -> int:
        """Findings at warning or error level."""
        return sum(1 for s in self.sections for f in s.findings if f.severity in ("error", "warning"))


@dataclass
class Review:
    """The review of every file asked for, and its overall verdict."""

    files: list[FileReview] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """One line over every file."""
        reviewed = [f for f in self.files if f.error is None]
        failed = len(self.files) - len(reviewed)
        defects = sum(f.defects for f in reviewed)
        notes = sum(len(s.findings) for f in reviewed for s in f.sections) - defects
        files = f"{len(reviewed)} file" + ("" if len(reviewed) == 1 else "s")
        if defects:
            text = f"{defects} security defect" + ("" if defects == 1 else "s") + f" to fix in {files} reviewed"
        else:
            text = f"No direct security defects were found in {files} reviewed"
        if notes:
            text += f" ({notes} informational note" + ("" if notes == 1 else "s") + ")"
        text += "."
        if failed:
            text += f" {failed} file" + (" was" if failed == 1 else "s were") + " not reviewed (see above)."
        return text
