"""JSON output: exactly one object with `findings` and `errors`, 1-based lines and columns."""

from __future__ import annotations

import json
from typing import Any

from secls.output.report import FileError, PathFinding, Report


def finding_to_dict(pf: PathFinding) -> dict[str, Any]:
    """A finding as a JSON-ready dict; columns become 1-based (end exclusive)."""
    f = pf.finding
    return {
        "path": pf.path,
        "line": f.line,
        "column": f.column + 1,
        "end_line": f.end_line,
        "end_column": f.end_column + 1,
        "code": f.code,
        "category": f.category,
        "severity": f.severity.label,
        "message": f.message,
        "fix": {"title": f.fix.title, "safe": f.fix.safe} if f.fix else None,
    }


def error_to_dict(error: FileError) -> dict[str, Any]:
    """An error as a JSON-ready dict; `line`/`column` (1-based) and `code` only when known."""
    out: dict[str, Any] = {"path": error.path, "message": error.message}
    if error.line is not None:
        out["line"] = error.line
        out["column"] = error.column or 1
    if error.code:
        out["code"] = error.code
    return out


def format_json(report: Report) -> str:
    """The whole report as one JSON object."""
    data = {"findings": [finding_to_dict(pf) for pf in report.findings],
            "errors": [error_to_dict(e) for e in report.errors]}
    if report.baseline is not None:
        data["baseline"] = report.baseline
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
