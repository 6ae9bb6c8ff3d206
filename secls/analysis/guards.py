"""Input the engine does not analyse as it is: files over the size limit, a leading BOM, nesting too deep."""

from __future__ import annotations

import dataclasses

from secls.analysis.findings import AnalysisResult, Finding, Severity
from secls.config import Config

TOO_LARGE_CODE = "I900"
TOO_DEEP_CODE = "I901"
BOM = "\ufeff"


def line_count(text: str) -> int:
    """How many lines LSP and Python count in `text` (\\r\\n, \\r and \\n end lines)."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def size_notice(text: str, config: Config) -> Finding | None:
    """An information finding when the text has more lines than `max-lines` allows (0: no limit)."""
    lines = line_count(text)
    if not config.max_lines or lines <= config.max_lines:
        return None
    return Finding(code=TOO_LARGE_CODE, category="", severity=Severity.INFO,
                   message=f"not analysed: {lines:,} lines, over the max-lines limit of {config.max_lines:,} "
                           "(raise `max-lines` in [tool.secls], or the `maxLines` editor setting; 0 means no limit)",
                   line=1, column=0, end_line=1, end_column=0)


def too_deep_notice(code: str, line: int, end_line: int) -> Finding:
    """An information finding for code a rule could not check because it is nested too deeply."""
    return Finding(code=TOO_DEEP_CODE, category="", severity=Severity.INFO,
                   message=f"{code} not checked on lines {line}-{end_line}: nested too deeply (RecursionError)",
                   line=line, column=0, end_line=line, end_column=0)


def nul_position(text: str) -> tuple[int, int]:
    """The 1-based line and code-point column of the first NUL character (Python refuses them)."""
    offset = text.index("\x00")
    head = text[:offset]
    line = line_count(head)
    return line, offset - max(head.rfind("\n"), head.rfind("\r")) - 1


def after_bom(result: AnalysisResult) -> AnalysisResult:
    """The result of analysing a text without its leading BOM, in the columns of the text with it."""

    def shift(f: Finding) -> Finding:
        related = tuple(dataclasses.replace(r, column=r.column + (r.line == 1),
                                            end_column=r.end_column + (r.end_line == 1)) for r in f.related)
        return dataclasses.replace(f, column=f.column + (f.line == 1), end_column=f.end_column + (f.end_line == 1),
                                   related=related)

    error = result.syntax_error
    return dataclasses.replace(result, findings=[shift(f) for f in result.findings],
                               syntax_error=shift(error) if error is not None else None)
