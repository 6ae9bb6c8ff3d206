"""Parse a module with libcst and find the nodes at a finding's range, without full position metadata.

libcst's PositionProvider records every node and costs several times a parse; this walks the
code generator once, tracking only line and column, and records the few node types fixes need.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

import libcst as cst
from libcst._nodes.internal import CodegenState

from secls.analysis.engine import parse as parse_ast
from secls.analysis.findings import Finding
from secls.analysis.source import SourceLines, line_starts

_BREAK = re.compile(r"\r\n?|\n")

Range = tuple[int, int, int, int]
"""(line 1-based, column, end_line, end_column), code points, end exclusive."""

RECORDED: tuple[type[cst.CSTNode], ...] = (
    cst.BaseStatement, cst.BaseSmallStatement, cst.BaseSuite, cst.Call, cst.Attribute, cst.Name,
    cst.Subscript,
)
_CONTAINERS = (cst.Module, cst.BaseStatement, cst.BaseSuite, cst.BaseSmallStatement, cst.Call)

NodeT = TypeVar("NodeT", bound=cst.CSTNode)

def type_test(*classes: type | tuple[type, ...]) -> Callable[[cst.CSTNode], tuple[bool, ...]]:
    """isinstance() of a node against each of these, decided once per concrete node type: against libcst's
    abstract bases it goes through ABCMeta, for every node of every pass."""
    cache: dict[type, tuple[bool, ...]] = {}

    def test(node: cst.CSTNode) -> tuple[bool, ...]:
        found = cache.get(type(node))
        if found is None:
            found = cache[type(node)] = tuple(isinstance(node, c) for c in classes)
        return found

    return test


_kind = type_test(RECORDED, _CONTAINERS)  # (recorded, owns the nodes below it)


@dataclass
class _TrackingState(CodegenState):
    """A code generator state that follows line/column and records ranges of selected nodes."""

    line: int = 1
    column: int = 0
    ranges: dict[int, Range] = field(default_factory=dict)
    parents: dict[int, cst.CSTNode] = field(default_factory=dict)
    nodes: list[cst.CSTNode] = field(default_factory=list)
    owners: dict[int, cst.CSTNode] = field(default_factory=dict)
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
        elif self._owners:
            self.owners[id(node)] = self._owners[-1]
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
    ranges: Mapping[int, Range]
    parents: Mapping[int, cst.CSTNode]
    nodes: list[cst.CSTNode]
    owners: Mapping[int, cst.CSTNode] = field(default_factory=dict)
    """The nearest recorded ancestor of each node that is not recorded itself (for Edits.apply)."""
    exact: bool = False
    """Parsed from its whole text, which the module prints as it was parsed (a base for secls.fixes.reparse)."""
    memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """Facts derived from this parse, computed when first needed (secls.fixes.reparse's)."""

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

    def indents(self, node: cst.CSTNode) -> list[str] | None:
        """The indentation libcst's code generator stacks up for the blocks around a node, outermost first;
        None when the node's recorded ancestors do not lead to the module."""
        indents = []
        current = self.parent(node)
        while current is not None and not isinstance(current, cst.Module):
            if isinstance(current, cst.IndentedBlock):
                indents.append(self.module.default_indent if current.indent is None else current.indent)
            current = self.parent(current)
        return indents[::-1] if current is not None else None


# The texts parsed last inside reuse_parses(), most recent first, with what parse() made of them.
_REUSED: ContextVar[list[tuple[str, "Located | None"]] | None] = ContextVar("secls_reused_parses", default=None)
_REUSE_SIZE = 2


@contextmanager
def reuse_parses() -> Iterator[None]:
    """Inside the block, parse() of a text it parsed recently hands back the same Located instead of parsing again.

    For callers that build several fixes of one text (a fix-all round, the fix invariant checks): a libcst
    tree is immutable and no fix builder changes a Located, so one parse serves every fix of the text.
    A text that is an edit of the last one parsed is re-parsed only where it changed (secls.fixes.reparse).
    Holds the last two texts' trees, and the `ast` tree of the last fixed text, until the block ends.
    """
    token, trees = _REUSED.set([]), _TREES.set([])
    try:
        yield
    finally:
        _TREES.reset(trees)
        _REUSED.reset(token)


# The ast tree of the last fixed text parse_fixed() checked inside reuse_parses(), for one taken_tree().
_TREES: ContextVar[list[tuple[str, ast.Module]] | None] = ContextVar("secls_fixed_trees", default=None)


def parse_fixed(text: str) -> ast.Module:
    """`ast`'s tree of a fixed text (raises as ast.parse does); inside reuse_parses() kept for taken_tree()."""
    tree = parse_ast(text)
    kept = _TREES.get()
    if kept is not None:
        kept[:] = [(text, tree)]
    return tree


def taken_tree(text: str) -> ast.Module | None:
    """The tree parse_fixed() made of this text inside reuse_parses(), handed over once (the taker may change it)."""
    kept = _TREES.get()
    if not kept or kept[0][0] != text:
        return None
    return kept.pop()[1]


def parse(text: str) -> Located | None:
    """Parse and record positions; None when libcst cannot parse the text (reused inside reuse_parses())."""
    reused = _REUSED.get()
    if reused is None:
        return _parse(text)
    for index, (seen, located) in enumerate(reused):
        if seen is text or seen == text:
            reused.insert(0, reused.pop(index))
            return located
    located = _reparse(reused[0], text) if reused else None
    if located is None:
        located = _parse(text)
    reused.insert(0, (text, located))
    del reused[_REUSE_SIZE:]
    return located


def _reparse(last: tuple[str, Located | None], text: str) -> Located | None:
    """The Located of `text` made from the last text parsed, when it can be (see secls.fixes.reparse)."""
    from secls.fixes.reparse import reparse

    seen, located = last
    return reparse(located, seen, text) if located is not None and located.exact else None


def _parse(text: str) -> Located | None:
    """Parse and record positions."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, cst.CSTValidationError, ValueError, RecursionError):
        return None
    state = _positions(module)
    exact = "".join(state.tokens) == text
    if not exact:
        module = _restore_except_colons(module, text)  # type: ignore[assignment]
        if module is None:
            return None
        state = _positions(module)
        if "".join(state.tokens) != text:
            return None  # libcst does not round-trip this text (it drops a final lone CR): no edit is safe
    return Located(module=module, ranges=state.ranges, parents=state.parents, nodes=state.nodes,
                   owners=state.owners, exact=exact)


def _positions(module: cst.Module) -> _TrackingState:
    state = _TrackingState(default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    return state


_BEFORE_COLON = re.compile(r"(?:[ \t\f)]|\\\r?\n|\\\r)*")


def _restore_except_colons(module: cst.Module, text: str) -> cst.Module | None:
    """The module with the space in `except OSError :` put back (libcst drops it: LibCST issue #1457).

    The whitespace is read from the text, after each handler's type (by ast's positions), and given to
    the handlers of the tree in the same order; the caller checks that the module now prints the text.
    """
    try:
        tree = parse_ast(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    starts = line_starts(text)
    source = SourceLines(text)
    spaces: list[str] = []
    for handler in sorted((n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)),
                          key=lambda n: (n.lineno, n.col_offset)):
        if handler.type is None or handler.name is not None:
            continue
        line = handler.type.end_lineno or handler.type.lineno
        offset = starts[line - 1] + source.column(line, handler.type.end_col_offset or 0)
        gap = _BEFORE_COLON.match(text, offset)
        if gap is None or text[gap.end():gap.end() + 1] != ":":
            return None
        spaces.append(gap.group().rpartition(")")[2])
    restorer = _ColonSpaces(spaces)
    restored = module.visit(restorer)
    return restored if restorer.index == len(spaces) else None


class _ColonSpaces(cst.CSTTransformer):
    """Gives the handlers with a type and no name, in order, the whitespace before their colon."""

    def __init__(self, spaces: list[str]) -> None:
        super().__init__()
        self.spaces = spaces
        self.index = 0

    def _restore(self, node: cst.ExceptHandler | cst.ExceptStarHandler) -> cst.CSTNode:
        if node.type is None or node.name is not None:
            return node
        if self.index >= len(self.spaces):
            self.index += 1
            return node
        space = self.spaces[self.index]
        self.index += 1
        if node.whitespace_before_colon.value == space:
            return node
        return node.with_changes(whitespace_before_colon=cst.SimpleWhitespace(space))

    def leave_ExceptHandler(self, original_node: cst.ExceptHandler,  # noqa: N802 - libcst's naming
                            updated_node: cst.ExceptHandler) -> cst.CSTNode:
        return self._restore(updated_node)

    def leave_ExceptStarHandler(self, original_node: cst.ExceptStarHandler,  # noqa: N802
                                updated_node: cst.ExceptStarHandler) -> cst.CSTNode:
        return self._restore(updated_node)
