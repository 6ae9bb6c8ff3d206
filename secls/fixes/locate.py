"""Parse a module with libcst and find the nodes at a finding's range, without full position metadata.

libcst's PositionProvider records every node and costs several times a parse; this walks the
code generator once, tracking only line and column, and records the few node types fixes need.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

import libcst as cst
from libcst._nodes.internal import CodegenState

from secls.analysis.findings import Finding

_BREAK = re.compile(r"\r\n?|\n")

Range = tuple[int, int, int, int]
"""(line 1-based, column, end_line, end_column), code points, end exclusive."""

RECORDED: tuple[type[cst.CSTNode], ...] = (
    cst.BaseStatement, cst.BaseSmallStatement, cst.BaseSuite, cst.Call, cst.Attribute, cst.Name,
    cst.Subscript,
)
_CONTAINERS = (cst.Module, cst.BaseStatement, cst.BaseSuite, cst.BaseSmallStatement, cst.Call)

NodeT = TypeVar("NodeT", bound=cst.CSTNode)

# isinstance() against libcst's abstract bases goes through ABCMeta for every node of every codegen: decide
# once per concrete node type whether it is recorded and whether it owns the nodes below it.
_KINDS: dict[type, tuple[bool, bool]] = {}


def _kind(node: cst.CSTNode) -> tuple[bool, bool]:
    """(recorded, container) for the node's type."""
    kind = _KINDS.get(type(node))
    if kind is None:
        kind = _KINDS[type(node)] = (isinstance(node, RECORDED), isinstance(node, _CONTAINERS))
    return kind


@dataclass
class _TrackingState(CodegenState):
    """A code generator state that follows line/column and records ranges of selected nodes."""

    line: int = 1
    column: int = 0
    ranges: dict[int, Range] = field(default_factory=dict)
    parents: dict[int, cst.CSTNode] = field(default_factory=dict)
    nodes: list[cst.CSTNode] = field(default_factory=list)
    _stack: list[tuple[int, int]] = field(default_factory=list)
    _owners: list[cst.CSTNode] = field(default_factory=list)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            parts = _BREAK.split(value)
            self.line += len(parts) - 1
            self.column = len(parts[-1])
        else:
            self.column += len(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        recorded, container = _kind(node)
        if recorded:
            self._stack.append((self.line, self.column))
            if self._owners:
                self.parents[id(node)] = self._owners[-1]
            self.nodes.append(node)
        if container:
            self._owners.append(node)

    def after_codegen(self, node: cst.CSTNode) -> None:
        recorded, container = _kind(node)
        if container:
            self._owners.pop()
        elif type(node) is cst.LeftParen:  # where the code inside the parenthesis starts
            self.ranges[id(node)] = (self.line, self.column, self.line, self.column)
        if recorded:
            line, column = self._stack.pop()
            self.ranges[id(node)] = (line, column, self.line, self.column)


@dataclass
class Located:
    """A parsed module with the ranges (whitespace-inclusive) and parents of statement-level nodes."""

    module: cst.Module
    ranges: dict[int, Range]
    parents: dict[int, cst.CSTNode]
    nodes: list[cst.CSTNode]

    def range(self, node: cst.CSTNode) -> Range | None:
        """The recorded range of a node."""
        return self.ranges.get(id(node))

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The nearest recorded ancestor (statement, suite, call, or the module)."""
        return self.parents.get(id(node))

    def at(self, finding: Finding, kind: type[NodeT]) -> NodeT | None:
        """The node of this type that starts where the finding starts (and ends where it ends, if several)."""
        start = (finding.line, finding.column)
        hits = [n for n in self.nodes if isinstance(n, kind) and self._start(n) == start]
        exact = [n for n in hits if self.ranges[id(n)][2:] == (finding.end_line, finding.end_column)]
        found = exact or hits
        return found[0] if found else None  # outermost first: nodes are recorded in pre-order

    def _start(self, node: cst.CSTNode) -> tuple[int, int]:
        """Where a node's own code starts: after its parentheses (`with (\n  mock.patch(...)\n) as m:`)."""
        lpar = getattr(node, "lpar", None)
        return self.ranges[id(lpar[-1] if lpar else node)][:2]

    def ancestor(self, node: cst.CSTNode, kind: type[NodeT] | tuple[type[NodeT], ...]) -> NodeT | None:
        """The nearest recorded ancestor of a type."""
        current = self.parent(node)
        while current is not None and not isinstance(current, kind):
            current = self.parent(current)
        return current  # type: ignore[return-value]

    def code(self, node: cst.CSTNode) -> str:
        """The source text of a node in this module's formatting."""
        return self.module.code_for_node(node)


# The texts parsed last inside reuse_parses(), most recent first, with what parse() made of them.
_REUSED: ContextVar[list[tuple[str, "Located | None"]] | None] = ContextVar("secls_reused_parses", default=None)
_REUSE_SIZE = 2


@contextmanager
def reuse_parses() -> Iterator[None]:
    """Inside the block, parse() of a text it parsed recently hands back the same Located instead of parsing again.

    For callers that build several fixes of one text (a fix-all round, the fix invariant checks): a libcst
    tree is immutable and no fix builder changes a Located, so one parse serves every fix of the text.
    Holds the last two texts' trees until the block ends.
    """
    token = _REUSED.set([])
    try:
        yield
    finally:
        _REUSED.reset(token)


def parse(text: str) -> Located | None:
    """Parse and record positions; None when libcst cannot parse the text (reused inside reuse_parses())."""
    reused = _REUSED.get()
    if reused is None:
        return _parse(text)
    for index, (seen, located) in enumerate(reused):
        if seen is text or seen == text:
            reused.insert(0, reused.pop(index))
            return located
    located = _parse(text)
    reused.insert(0, (text, located))
    del reused[_REUSE_SIZE:]
    return located


def _parse(text: str) -> Located | None:
    """Parse and record positions."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, cst.CSTValidationError, ValueError, RecursionError):
        return None
    state = _TrackingState(default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    if "".join(state.tokens) != text:
        return None  # libcst does not round-trip this text (it drops a final lone CR): no edit is safe
    return Located(module=module, ranges=state.ranges, parents=state.parents, nodes=state.nodes)
