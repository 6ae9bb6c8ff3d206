"""Suppression comments with their positions: what SEC001 needs to judge them and to remove them."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from secls.analysis.source import SourceLines
from secls.analysis.suppressions import MARKER_REGEXES, candidate_lines, string_spans

# A later comment on the same line that is a directive of its own tool (`# type: ignore`,
# `# noqa: E501`, `# nosec`, `# pragma: no cover`): where the comment being removed ends.
_NEXT_DIRECTIVE = re.compile(r"#\s*(?:[A-Za-z][\w-]*:|nosec\b|noqa\b)", re.IGNORECASE)
_CODE = {"secls": re.compile(r"[^\s,]+"), "nosec": re.compile(r"[A-Za-z]\d{3}"),
         "noqa": re.compile(r"[A-Za-z]+\d+")}


@dataclass(frozen=True)
class Code:
    """One code of a directive's list, with its code-point columns."""

    code: str
    start: int
    end: int


@dataclass(frozen=True)
class Directive:
    """One `# secls: ignore[...]`, `# nosec ...` or `# noqa: ...` comment on a 1-based line."""

    line: int
    kind: str
    start: int
    end: int
    comment_end: int
    codes: tuple[Code, ...]
    codes_start: int
    codes_end: int

    @property
    def blanket(self) -> bool:
        """Whether it suppresses every code (`# nosec`, `# secls: ignore`)."""
        return not self.codes


def directives(source: SourceLines, tree: ast.Module) -> list[Directive]:
    """Every suppression directive of the module, in line order (markers inside strings are text)."""
    lines = candidate_lines(source)
    if not lines:
        return []
    strings = string_spans(tree, source, lines)
    found: list[Directive] = []
    for index in sorted(lines):
        text = source.line(index)
        spans = strings.get(index, ())
        for kind, pattern in MARKER_REGEXES.items():
            for match in pattern.finditer(text):
                if any(start <= match.start() < end for start, end in spans):
                    continue
                found.append(_directive(index, kind, text, match))
    found.sort(key=lambda d: (d.line, d.start))
    return found


def _directive(line: int, kind: str, text: str, match: re.Match[str]) -> Directive:
    """A directive from its regex match; the comment runs to the next directive comment or the line's end."""
    group_start, group_end = match.span("codes")
    codes: tuple[Code, ...] = ()
    if group_start >= 0:
        codes = tuple(Code(m.group().upper(), m.start(), m.end())
                      for m in _CODE[kind].finditer(text, group_start, group_end))
    after = _NEXT_DIRECTIVE.search(text, match.end())
    comment_end = after.start() if after else len(text)
    return Directive(line=line, kind=kind, start=match.start(), end=match.end(), comment_end=comment_end,
                     codes=codes, codes_start=group_start, codes_end=group_end)
