"""Parse, build the finding's edits, apply them, and check the result still parses."""

from __future__ import annotations

from secls.analysis.findings import Finding
from secls.analysis.source import line_break_kinds
from secls.config import Config
from secls.fixes.locate import parse, parse_fixed
from secls.fixes.printing import edited_code
from secls.fixes.registry import BUILDERS


def fixed_text(text: str, finding: Finding, config: Config | None) -> str | None:
    """The fixed text, or None when the builder declines or the result would not parse."""
    builder = BUILDERS.get(finding.code)
    if builder is None:
        return None
    try:
        located = parse(text)
        edits = builder(located, finding, config) if located is not None else None
        if located is None or edits is None:
            return None
        new_text = edited_code(located, text, edits.apply(located.module, located.parents, located.owners))
    except RecursionError:
        return None  # libcst visits recursively: a module nested deeper than the stack allows gets no fix
    if new_text == text or _adds_line_break_kind(text, new_text):
        # libcst writes the file's first kind of line break: in a file that mixes kinds, a line it adds
        # may end in another kind than its neighbours (a CR before a LF reads as one CRLF), so no fix.
        return None
    try:
        parse_fixed(new_text)
    except (SyntaxError, ValueError):
        return None
    return new_text


def _adds_line_break_kind(old: str, new: str) -> bool:
    """Whether `new` holds a kind of line break that `old`, which has some, does not."""
    kinds = line_break_kinds(old)
    return bool(kinds) and not line_break_kinds(new) <= kinds
