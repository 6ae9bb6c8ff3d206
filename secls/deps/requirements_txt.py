"""pip's requirement file format: requirements*.txt, constraints*.txt and pip-tools' *.in."""

from __future__ import annotations

import bisect
import re

from secls.analysis.source import SourceLines
from secls.deps.model import Include, ParsedFile, Problem, Skipped, Span
from secls.deps.requirement import read_requirement

_COMMENT = re.compile(r"(^|\s+)#.*$")
_OPTION_IN_LINE = re.compile(r"\s+--?[A-Za-z]")
_INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=^-r)|(?<=^-c))(?P<target>\S+)")
_EDITABLE = re.compile(r"^(-e|--editable)(\s*=\s*|\s+|(?=\S))")
# Options that configure pip, not name a requirement; they need no check.
_GLOBAL_OPTIONS = ("-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links", "--no-binary",
                   "--only-binary", "--prefer-binary", "--require-hashes", "--pre", "--trusted-host",
                   "--use-feature", "-Z", "--always-unzip")


class _Logical:
    """A logical line (physical lines joined at `\\`), mapping its offsets back to (line, column)."""

    def __init__(self) -> None:
        self.text = ""
        self.starts: list[int] = []  # offset in `text` where each physical line's part begins
        self.lines: list[int] = []

    def add(self, lineno: int, text: str) -> None:
        self.starts.append(len(self.text))
        self.lines.append(lineno)
        self.text += text

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of an offset in the joined text."""
        index = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.lines[index], offset - self.starts[index]

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        if end <= start:
            return Span(line, col, line, col)
        end_line, end_col = self.position(end - 1)  # the last character, so a range never ends on the next line
        return Span(line, col, end_line, end_col + 1)


def _logical_lines(text: str) -> list[_Logical]:
    out: list[_Logical] = []
    current: _Logical | None = None
    for lineno, line in enumerate(SourceLines(text).lines, start=1):
        current = current or _Logical()
        # A comment ends the line even when it ends in a backslash (pip strips comments first).
        without_comment = _COMMENT.sub("", line)
        if without_comment.endswith("\\"):
            current.add(lineno, without_comment[:-1])
            continue
        current.add(lineno, without_comment)
        out.append(current)
        current = None
    if current is not None:
        out.append(current)
    return out


def parse_requirements_txt(text: str, kind: str) -> ParsedFile:
    """Read a pip requirement file; never raises, unreadable lines become problems."""
    parsed = ParsedFile(kind)
    for logical in _logical_lines(text):
        body = logical.text
        stripped = body.strip()
        if not stripped:
            continue
        start = body.index(stripped)
        if stripped.startswith("-"):
            _read_option(stripped, start, logical, parsed)
            continue
        option = _OPTION_IN_LINE.search(stripped)
        requirement = stripped[:option.start()] if option else stripped
        hashed = "--hash" in stripped
        item = read_requirement(requirement, lambda a, b: logical.span(start + a, start + b), hashed)
        parsed.add(item)
    return parsed


def _read_option(stripped: str, start: int, logical: _Logical, parsed: ParsedFile) -> None:
    span = logical.span(start, start + len(stripped))
    include = _INCLUDE.match(stripped)
    if include is not None:
        constraint = stripped.startswith(("-c", "--constraint"))
        parsed.includes.append(Include(include.group("target"), constraint, span))
    elif _EDITABLE.match(stripped):
        parsed.skipped.append(Skipped(stripped, "editable requirement: no version to check", span))
    elif stripped.split("=")[0].split()[0] in _GLOBAL_OPTIONS:
        return
    else:
        parsed.problems.append(Problem(f"unknown option {stripped.split()[0]!r}: line not checked", span, warning=False))
