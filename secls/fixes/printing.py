"""The code of an edited module, printing only the statement that holds every change.

Printing a whole module costs about half a second per megabyte; a fix changes one statement. The statements
the edits did not touch are the original's very nodes (libcst trees are immutable), so their text is the
original's: the new module's code is the original text with the one changed statement printed again.
"""

from __future__ import annotations

import dataclasses

import libcst as cst

try:  # libcst's code generator state: not public API, so a libcst without it prints whole modules
    from libcst._nodes.internal import CodegenState
except ImportError:  # pragma: no cover - depends on the installed libcst
    CodegenState = None  # type: ignore[assignment,misc]

from secls.analysis.source import line_starts
from secls.fixes.locate import Located

_STARTS: list[tuple[str, list[int]]] = []


def edited_code(located: Located, text: str, module: cst.Module) -> str:
    """`module.code`, for a module made from `located.module` (the parse of `text`) by replacing nodes."""
    changed = _changed_statement(located.module, module) if CodegenState is not None else None
    if changed is None or not module.has_trailing_newline:
        return module.code
    old, new = changed
    span = located.range(old)
    indents = located.indents(old)
    if span is None or indents is None:
        return module.code
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline,
                         indent_tokens=indents)
    new._codegen(state)
    starts = _line_starts(text)
    return text[:starts[span[0] - 1] + span[1]] + "".join(state.tokens) + text[starts[span[2] - 1] + span[3]:]


def _line_starts(text: str) -> list[int]:
    """Where each line of the text starts (kept for the last text asked about)."""
    if not _STARTS or _STARTS[0][0] is not text:
        _STARTS[:] = [(text, line_starts(text))]
    return _STARTS[0][1]


def _changed_statement(old: cst.CSTNode, new: cst.CSTNode) -> tuple[cst.BaseStatement, cst.BaseStatement] | None:
    """The innermost pair of statements (old, new) outside which the trees share every node; None when the
    changes are not all inside one statement."""
    found = None
    while True:
        pair = _only_difference(old, new)
        if pair is None or type(pair[0]) is not type(pair[1]):
            return found
        old, new = pair
        if isinstance(old, cst.BaseStatement):
            found = (old, new)  # type: ignore[assignment]


def _only_difference(old: cst.CSTNode, new: cst.CSTNode) -> tuple[cst.CSTNode, cst.CSTNode] | None:
    """The one child of `new` that differs from `old`'s, when every other field is the same; else None.

    A transformer rebuilds the nodes it visits even when nothing in them changed: a child that is not the
    original's may still be equal to it (deep_equals stops early at the nodes both share).
    """
    pairs: list[tuple[cst.CSTNode, cst.CSTNode]] = []
    for field in dataclasses.fields(old):
        before, after = getattr(old, field.name), getattr(new, field.name)
        if before is after:
            continue
        if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)) and len(before) == len(after):
            items = list(zip(before, after))
        else:
            items = [(before, after)]
        for item, other in items:
            if item is other:
                continue
            if isinstance(item, cst.CSTNode) and isinstance(other, cst.CSTNode):
                if not item.deep_equals(other):
                    pairs.append((item, other))
            elif isinstance(item, (cst.CSTNode, list, tuple)) or isinstance(other, (cst.CSTNode, list, tuple)) \
                    or item != other:
                return None
        if len(pairs) > 1:
            return None
    return pairs[0] if pairs else None
