"""Fingerprints of findings built from the code around them, not from line numbers.

A finding is anchored to the smallest statement that contains its start (for a compound statement,
its header: `with open(p) as f:`, `except ValueError:`; for a decorator, the decorator alone) and to
the qualified name of the functions and classes around it. The statement is compared as
`ast.unparse` prints it, so whitespace, line wrapping, quotes, `u` prefixes, parentheses and comments
do not matter. Identical anchors of one rule in one file are told apart by an occurrence index.
"""

from __future__ import annotations

import ast
import bisect
import copy
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from secls.analysis.findings import Finding
from secls.analysis.source import SourceLines
from secls.deps.kinds import requirement_kind

_BLOCKS = ("body", "handlers", "orelse", "finalbody", "cases")  # in source order
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_SPACES = re.compile(r"\s+")
Position = tuple[int, int]  # 1-based line, UTF-8 byte column (ast's coordinates)


@dataclass(frozen=True)
class Anchor:
    """Where a finding sits in the code: the enclosing scope and the normalised statement text."""

    scope: str
    statement: str


@dataclass(frozen=True)
class Mark:
    """A finding's identity in a baseline: rule, scope, fingerprint and occurrence index."""

    code: str
    scope: str
    fingerprint: str
    occurrence: int

    @property
    def key(self) -> tuple[str, str, int]:
        """What a baseline entry must equal to accept the finding."""
        return (self.code, self.fingerprint, self.occurrence)


def fingerprint(code: str, anchor: Anchor) -> str:
    """A short, stable hash of a rule code and an anchor."""
    data = "\0".join((code, anchor.scope, anchor.statement)).encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:16]


def marks(text: str, path: str | PurePath | None, findings: Sequence[Finding]) -> list[Mark]:
    """The mark of each finding of one file, in the order given (occurrences counted in source order)."""
    anchors = Anchors(text, python=requirement_kind(path) is None)
    found = [(f, anchors.of(f.line, f.column)) for f in findings]
    counts: dict[tuple[str, str], int] = {}
    out: list[Mark | None] = [None] * len(found)
    for index in sorted(range(len(found)), key=lambda i: found[i][0].sort_key()):
        finding, anchor = found[index]
        digest = fingerprint(finding.code, anchor)
        occurrence = counts.get((finding.code, digest), 0)
        counts[(finding.code, digest)] = occurrence + 1
        out[index] = Mark(finding.code, anchor.scope, digest, occurrence)
    return [mark for mark in out if mark is not None]


class Anchors:
    """Anchors in one module's text (parsed once); lines stand in where the text does not parse."""

    def __init__(self, text: str, python: bool = True) -> None:
        self.lines = SourceLines(text)
        self.tree: ast.Module | None = None
        if python:
            try:
                self.tree = ast.parse(text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self.tree = None

    def of(self, line: int, column: int) -> Anchor:
        """The anchor of a position (1-based line, code-point column)."""
        byte_column = len(self.lines.line(line)[:column].encode("utf-8"))
        scope: list[str] = []
        found: ast.AST | None = None
        found_scope: tuple[str, ...] = ()
        nodes: list[ast.AST] = list(self.tree.body) if self.tree is not None else []
        while True:
            node = _containing(nodes, (line, byte_column))
            if node is None:
                break
            decorator = next((d for d in getattr(node, "decorator_list", ())
                              if _between((line, byte_column), (d.lineno, 0), _end(d))), None)
            if decorator is not None:
                return Anchor(".".join(scope), "@" + _unparse(decorator))
            found, found_scope = node, tuple(scope)
            if isinstance(node, _SCOPES):
                scope.append(node.name)
            nodes = [child for name in _BLOCKS for child in getattr(node, name, ())]
        if found is None or (nodes and (line, byte_column) >= _start(nodes[0])):
            # A comment or blank line (between statements), or text that does not parse: the line itself.
            return Anchor(".".join(scope), _SPACES.sub(" ", self.lines.line(line)).strip())
        return Anchor(".".join(found_scope), _header(found))


def _header(node: ast.AST) -> str:
    """A statement as `ast.unparse` prints it; a compound statement without its blocks and decorators."""
    if any(hasattr(node, name) for name in _BLOCKS):
        node = copy.copy(node)
        for name in (*_BLOCKS, "decorator_list"):
            if hasattr(node, name):
                setattr(node, name, [])
    return _unparse(node)


def _unparse(node: ast.AST) -> str:
    """`ast.unparse`, except that `u"x"` is printed as `"x"` (formatters drop the prefix)."""
    for child in ast.walk(node):
        if isinstance(child, ast.Constant):
            child.kind = None
    return ast.unparse(node)


def _start(node: ast.AST) -> Position:
    if isinstance(node, ast.match_case):
        return (node.pattern.lineno, 0)
    decorators = getattr(node, "decorator_list", None)
    if decorators:
        return (decorators[0].lineno, 0)
    return (node.lineno, node.col_offset)  # type: ignore[attr-defined]


def _end(node: ast.AST) -> Position:
    if isinstance(node, ast.match_case):
        return _end(node.body[-1])
    return (node.end_lineno or node.lineno, node.end_col_offset or 0)  # type: ignore[attr-defined]


def _between(position: Position, start: Position, end: Position) -> bool:
    return start <= position < end


def _containing(nodes: list[ast.AST], position: Position) -> ast.AST | None:
    """The statement of a block (in source order, not overlapping) that contains a position."""
    index = bisect.bisect_right(nodes, position, key=_start) - 1
    if index >= 0 and position < _end(nodes[index]):
        return nodes[index]
    return None
