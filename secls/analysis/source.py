"""Source text split into lines the way Python and LSP count them, with column conversion."""

from __future__ import annotations

import ast
import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class SourceLines:
    """Lines of a module (split on \\r\\n, \\r and \\n only) and UTF-8 byte -> code-point columns."""

    __slots__ = ("text", "lines")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")

    def line(self, lineno: int) -> str:
        """The text of a 1-based line, without its line break ('' past the end)."""
        if 1 <= lineno <= len(self.lines):
            return self.lines[lineno - 1]
        return ""

    def column(self, lineno: int, byte_offset: int) -> int:
        """Convert ast's UTF-8 byte offset on a 1-based line into a code-point column."""
        text = self.line(lineno)
        if text.isascii():
            return min(byte_offset, len(text))
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))

    def node_range(self, node: ast.AST) -> tuple[int, int, int, int]:
        """(line, column, end_line, end_column) of a node in code points."""
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        col = self.column(line, getattr(node, "col_offset", 0))
        end_off = getattr(node, "end_col_offset", None)
        end_col = self.column(end_line, end_off) if end_off is not None else len(self.line(end_line))
        return line, col, end_line, end_col

    def segment(self, node: ast.AST) -> str:
        """The source text of a node (like `ast.get_source_segment`, without re-splitting the module)."""
        line, col, end_line, end_col = self.node_range(node)
        if line == end_line:
            return self.line(line)[col:end_col]
        parts = [self.line(line)[col:]] + [self.line(n) for n in range(line + 1, end_line)]
        return "\n".join(parts + [self.line(end_line)[:end_col]])


def line_break_kinds(text: str) -> set[str]:
    """The kinds of line break a text holds (of \\r\\n, \\r and \\n)."""
    return set(_LINE_BREAK.findall(text))


def line_starts(text: str) -> list[int]:
    """The offset where each line of a text starts (lines split on \r\n, \r and \n, as SourceLines)."""
    return [0] + [m.end() for m in _LINE_BREAK.finditer(text)]


_BLOCK = 4096  # compared as slices (memcmp) before a character loop inside the first differing block


def common_prefix(old: str, new: str, limit: int) -> int:
    """Length of the two texts' common prefix, at most `limit`."""
    start = 0
    while start + _BLOCK <= limit and old[start:start + _BLOCK] == new[start:start + _BLOCK]:
        start += _BLOCK
    while start < limit and old[start] == new[start]:
        start += 1
    return start


def common_suffix(old: str, new: str, limit: int) -> int:
    """Length of the two texts' common suffix, at most `limit`."""
    size, old_end, new_end = 0, len(old), len(new)
    while size + _BLOCK <= limit and \
            old[old_end - size - _BLOCK:old_end - size] == new[new_end - size - _BLOCK:new_end - size]:
        size += _BLOCK
    while size < limit and old[old_end - 1 - size] == new[new_end - 1 - size]:
        size += 1
    return size
