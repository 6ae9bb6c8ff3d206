"""Build the review of one module from its text, its analysis result and the analysis model."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath

from secls.analysis.context import ModuleContext
from secls.analysis.engine import parse
from secls.analysis.findings import CATEGORIES, AnalysisResult, Finding, Severity
from secls.analysis.resolution import BaseResolver
from secls.config import Config
from secls.review import examine
from secls.review.model import ClassLifecycleSummary, Excerpt, FileReview, ReviewFinding, Section
from secls.review.resources import class_summaries, held_by_class, held_by_module, test_classes
from secls.rules import rule_by_code

EXCERPT_CONTEXT = 2
EXCERPT_MAX_LINES = 9


def excerpt(lines: list[str], first: int, last: int) -> Excerpt:
    """The lines `first`..`last` (1-based) with a little context, at most EXCERPT_MAX_LINES."""
    start = max(1, first - EXCERPT_CONTEXT)
    end = min(len(lines), max(last, first) + EXCERPT_CONTEXT, start + EXCERPT_MAX_LINES - 1)
    return Excerpt(start, tuple(lines[start - 1:end]))


def review_finding(display: str, finding: Finding, lines: list[str]) -> ReviewFinding:
    """A finding with its rule name, fix availability and code excerpt."""
    rule = rule_by_code(finding.code)
    return ReviewFinding(
        path=display, line=finding.line, column=finding.column + 1, end_line=finding.end_line, code=finding.code,
        rule=rule.name if rule else finding.code, severity=finding.severity.label, message=finding.message,
        fix=finding.fix.title if finding.fix else None, fix_safe=finding.fix.safe if finding.fix else True,
        excerpt=excerpt(lines, finding.line, finding.end_line))


def _counts(findings: tuple[ReviewFinding, ...]) -> str:
    counts = Counter(f.severity for f in findings)
    return ", ".join(f"{counts[s.label]} {s.label}" for s in Severity if counts[s.label])


def section_verdict(findings: tuple[ReviewFinding, ...]) -> str:
    """One line: defects to fix, informational notes only, or nothing found."""
    defects = tuple(f for f in findings if f.severity in ("error", "warning"))
    notes = tuple(f for f in findings if f not in defects)
    codes = ", ".join(sorted({f.code for f in notes}))
    if defects:
        fixable = sum(1 for f in defects if f.fix)
        return (f"{len(defects)} defect" + ("s" if len(defects) != 1 else "") + f" to fix ({_counts(defects)}; "
                f"{fixable} with a quick fix)" + (f", and {len(notes)} informational" if notes else "") + ".")
    if notes:
        return f"No defects; {len(notes)} informational note" + ("s" if len(notes) != 1 else "") + f" ({codes})."
    return "No defects found."


def notes(findings: list[ReviewFinding], raw: list[Finding]) -> tuple[str, ...]:
    """One line per rule among the info and hint findings (SEC801: which controls were patched out)."""
    out = []
    by_code: dict[str, list[tuple[ReviewFinding, Finding]]] = {}
    for shown, finding in zip(findings, raw):
        if shown.severity not in ("error", "warning"):
            by_code.setdefault(shown.code, []).append((shown, finding))
    for code, pairs in sorted(by_code.items()):
        shown = [s for s, _ in pairs]
        lines = ", ".join(str(s.line) for s in shown)
        if code == "SEC801":
            words = Counter(f.get("word") or "control" for _, f in pairs)
            what = "; ".join(f"{word} functions patched out" for word in words)
            targets = ", ".join(f"`{f.get('target')}`" for _, f in pairs)
            out.append(f"{len(pairs)} × {code} {shown[0].rule}: {what} ({targets}; lines {lines}).")
        else:
            out.append(f"{len(pairs)} × {code} {shown[0].rule} (lines {lines}): {shown[0].message}")
    return tuple(out)


def file_verdict(review_findings: list[ReviewFinding], note_lines: tuple[str, ...]) -> str:
    """The verdict on one file: defects to fix, or none (with the notes mentioned)."""
    defects = tuple(f for f in review_findings if f.severity in ("error", "warning"))
    if defects:
        codes = ", ".join(sorted({f.code for f in defects}))
        return (f"{len(defects)} direct security defect" + ("s" if len(defects) != 1 else "")
                + f" found ({_counts(defects)}: {codes}); see the sections above.")
    text = "No direct security defects were found."
    if note_lines:
        count = len(review_findings)
        text += f" {count} informational note" + ("s" if count != 1 else "") + " to read: " + " ".join(note_lines)
    return text


def build_review(display: str, text: str, path: PurePath | None, config: Config, result: AnalysisResult,
                 resolver: BaseResolver | None = None) -> FileReview:
    """The review of one Python module whose analysis gave `result` (never raises for bad input)."""
    if result.syntax_error is not None:
        err = result.syntax_error
        return FileReview(display, error=f"line {err.line}: {err.message}")
    try:
        tree = parse(text, str(path or display))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return FileReview(display, error=f"cannot parse: {exc}")
    ctx = ModuleContext(text, tree, path, config, resolver)
    lines = text.splitlines()
    module = examine.Module(ctx)
    classes = class_summaries(ctx)
    held = [h for cls in test_classes(ctx) for h in held_by_class(cls, ctx)] + held_by_module(ctx)
    examined = {
        "input-validation": examine.input_validation(module),
        "secrets": examine.secrets(module),
        "resource-release": examine.resources(module, classes, held),
        "error-handling": examine.error_handling(module),
        "dependencies": examine.dependencies(module),
        "execution-flow": examine.execution_flow(module),
        "access-control": examine.access_control(module),
        "mocking": examine.mocking(module),
    }
    shown = [review_finding(display, f, lines) for f in result.findings]
    sections = []
    for slug, title in CATEGORIES.items():
        found = tuple(s for s, f in zip(shown, result.findings) if f.category == slug)
        sections.append(Section(slug, title, examined[slug], found, section_verdict(found)))
    note_lines = notes(shown, result.findings)
    return FileReview(display, tuple(sections), file_verdict(shown, note_lines), note_lines, tuple(classes))


def lifecycle_summaries(text: str, path: PurePath | None, config: Config,
                        resolver: BaseResolver | None = None) -> list[ClassLifecycleSummary]:
    """The lifecycle summary of each TestCase class of a module (none when it does not parse)."""
    try:
        tree = parse(text, str(path or "<unknown>"))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return class_summaries(ModuleContext(text, tree, path, config, resolver))
