"""The smallest single text replacement turning one text into another, in line/column terms."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from secls.analysis.source import common_prefix, common_suffix, line_starts

if TYPE_CHECKING:
    from secls.analysis.findings import Finding

_LINE_BREAK = re.compile(r"\r\n|\r|\n")

Edit = tuple[int, int, int, int, str]


def _position(text: str, offset: int) -> tuple[int, int]:
    """(0-based line, code-point column) of a string offset, counting \\r\\n, \\r and \\n as breaks."""
    line = 0
    line_start = 0
    for match in _LINE_BREAK.finditer(text, 0, offset):
        if match.end() > offset:  # an offset between \r and \n stays on the \r's line
            break
        line += 1
        line_start = match.end()
    return line, offset - line_start


def minimal_span(old: str, new: str) -> tuple[int, int, str]:
    """(start, end, replacement) in string offsets: the one replacement of old[start:end] making `old` into `new`."""
    start = common_prefix(old, new, min(len(old), len(new)))
    shared_end = common_suffix(old, new, min(len(old), len(new)) - start)
    end_old, end_new = len(old) - shared_end, len(new) - shared_end
    # Never split a \r\n pair: an edit boundary inside it would turn one line break into two.
    if 0 < start < len(old) and old[start - 1] == "\r" and old[start] == "\n":
        start -= 1
    if 0 < end_old < len(old) and old[end_old - 1] == "\r" and old[end_old] == "\n":
        end_old += 1
        end_new += 1
    return start, end_old, new[start:end_new]


def minimal_edit(old: str, new: str) -> Edit:
    """(start_line0, start_col, end_line0, end_col, replacement): one replacement making `old` into `new`."""
    start, end, replacement = minimal_span(old, new)
    start_line, start_col = _position(old, start)
    end_line, end_col = _position(old, end)
    return start_line, start_col, end_line, end_col, replacement


def data_edit(finding: "Finding") -> Edit | None:
    """The replacement a rule computed itself (SEC001's removal, SEC502's bump), carried in the finding's data."""
    try:
        return (int(finding.get("fix_line") or 0) - 1, int(finding.get("fix_column") or 0),
                int(finding.get("fix_end_line") or 0) - 1, int(finding.get("fix_end_column") or 0),
                finding.get("fix_text") or "")
    except ValueError:
        return None


def apply_edit(text: str, edit: Edit, old: str | None = None) -> str | None:
    """The text with one (line0, col, end_line0, end_col, replacement) edit made.

    None when the range is outside the text, or does not hold `old` (the edit was made for another text).
    """
    starts = line_starts(text)
    start_line, start_col, end_line, end_col, replacement = edit
    if not (0 <= start_line <= end_line < len(starts)):
        return None
    start, end = starts[start_line] + start_col, starts[end_line] + end_col
    limit = starts[end_line + 1] if end_line + 1 < len(starts) else len(text)
    if start > end or end > limit or (old is not None and text[start:end] != old):
        return None
    return text[:start] + replacement + text[end:]
