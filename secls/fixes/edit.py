"""The smallest single text replacement turning one text into another, in line/column terms."""

from __future__ import annotations

import re

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


def minimal_edit(old: str, new: str) -> Edit:
    """(start_line0, start_col, end_line0, end_col, replacement): one replacement making `old` into `new`."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    # Never split a \r\n pair: an edit boundary inside it would turn one line break into two.
    if 0 < start < len(old) and old[start - 1] == "\r" and old[start] == "\n":
        start -= 1
    if 0 < end_old < len(old) and old[end_old - 1] == "\r" and old[end_old] == "\n":
        end_old += 1
        end_new += 1
    start_line, start_col = _position(old, start)
    end_line, end_col = _position(old, end_old)
    return start_line, start_col, end_line, end_col, new[start:end_new]
