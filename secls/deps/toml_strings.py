"""Where TOML string values sit in the text (tomllib gives values, not positions)."""

from __future__ import annotations

import re
from collections import defaultdict, deque

from secls.analysis.source import SourceLines
from secls.deps.model import Span

# Single-line basic and literal strings; multi-line strings never hold requirements in practice.
_STRING = re.compile(r'"(?P<basic>(?:[^"\\\n]|\\.)*)"|\'(?P<literal>[^\'\n]*)\'')
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if body[0] in "uU":
            return chr(int(body[1:], 16))
        return _ESCAPES.get(body, body)

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, text)


class StringLocator:
    """Hands out, in document order, the position of each string literal with a given value."""

    def __init__(self, text: str) -> None:
        self._free: dict[str, deque[tuple[int, int, int]]] = defaultdict(deque)
        for lineno, line in enumerate(SourceLines(text).lines, start=1):
            if '"' not in line and "'" not in line:
                continue
            comment = _comment_start(line)
            for match in _STRING.finditer(line):
                if match.start() >= comment:
                    break
                raw = match.group("basic")
                value = _unescape(raw) if raw is not None else match.group("literal")
                self._free[value].append((lineno, match.start() + 1, match.end() - 1))

    def take(self, value: str, after_line: int = 0) -> tuple[int, int, int] | None:
        """(line, start, end) of the contents of the next unused literal with this value, on or after a line."""
        queue = self._free.get(value)
        if not queue:
            return None
        for index, item in enumerate(queue):
            if item[0] >= after_line:
                del queue[index]
                return item
        return None

    @staticmethod
    def span(line: int, start: int, end: int) -> Span:
        """A one-line span."""
        return Span(line, start, line, end)


def _comment_start(line: str) -> int:
    """Where a `#` comment starts on a line, outside strings (len(line) when there is none)."""
    quote: str | None = None
    escaped = False
    for index, char in enumerate(line):
        if quote is None:
            if char == "#":
                return index
            if char in "\"'":
                quote = char
        elif escaped:
            escaped = False
        elif char == "\\" and quote == '"':
            escaped = True
        elif char == quote:
            quote = None
    return len(line)
