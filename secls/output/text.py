"""Text output like ruff's: `path:line:col: CODE [severity] message (category)` and a summary."""

from __future__ import annotations

from secls.analysis.findings import Severity
from secls.output.report import FileError, Report


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def format_error(error: FileError) -> str:
    """One line for a file that could not be checked."""
    if error.line is not None:
        code = f"{error.code} " if error.code else ""
        return f"{error.path}:{error.line}:{error.column or 1}: {code}[error] {error.message}"
    return f"{error.path}: error: {error.message}"


def format_text(report: Report) -> str:
    """The whole report as text: one line per finding and error, then a summary line."""
    lines = []
    for pf in report.findings:
        f = pf.finding
        lines.append(f"{pf.path}:{f.line}:{f.column + 1}: {f.code} [{f.severity.label}] {f.message}"
                     f" ({f.category})")
    lines.extend(format_error(e) for e in report.errors)
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: Report) -> str:
    """One line that counts findings by severity, files checked and files that failed."""
    files = _plural(report.files_checked, "file")
    if report.findings:
        counts = ", ".join(f"{report.count(s)} {s.label}" for s in Severity if report.count(s))
        text = f"Found {_plural(len(report.findings), 'finding')} ({counts}) in {files} checked."
    else:
        text = f"No findings in {files} checked."
    if report.errors:
        text += f" {_plural(len(report.errors), 'error')} (see above)."
    return text
