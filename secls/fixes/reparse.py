"""Parse an edited text by re-parsing only the statement the edit is inside, reusing the rest of the tree.

A fix changes a few lines of a long module; parsing the whole fixed text with libcst again costs seconds.
libcst trees are immutable, so the statements the edit did not touch are shared with the original's tree,
the changed statement is parsed alone (under one synthetic `if 1:` per block around it, so that each of
its lines keeps its indentation) and its ancestors are rebuilt around it. Positions are the original's,
moved by the lines the edit added, except for the new nodes, which get their own. Whenever the result
could differ from what a whole parse gives (no statement holds the edit strictly inside, it decides the module's
indentation, encoding or line break, the statement does not come back alone and identical to its text),
there is no answer and the caller parses the whole text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

import libcst as cst

from secls.analysis.source import line_starts
from secls.fixes.edit import minimal_span
from secls.fixes.locate import Located, Range, _TrackingState, type_test

_kind = type_test(cst.BaseStatement, cst.IndentedBlock, (cst.Module, cst.BaseStatement, cst.BaseSuite,
                                                           cst.BaseSmallStatement, cst.Call))


@dataclass
class _Base:
    """What every re-parse from one Located needs, computed once: line starts, statements, node order."""

    text: str
    starts: list[int]
    statements: list[tuple[int, int, cst.BaseStatement]]
    """Every statement (its range in string offsets), in pre-order: a statement's ancestors come before it."""
    order: dict[int, int]
    """id(node) -> its index in located.nodes."""
    first_block_end: int
    """Where the first statement of the module's first indented block ends (libcst takes the module's default
    indentation from it)."""


V = TypeVar("V")
_TRIES = 3  # statements tried, from the innermost around the edit outwards


def _base(located: Located, text: str) -> _Base:
    """The facts of the Located parsed from `text`, computed once (kept in its memo)."""
    known = located.memo.get("reparse")
    if isinstance(known, _Base) and known.text is text:
        return known
    starts = line_starts(text)
    statements = []
    first_block_end = len(text) + 1
    block: cst.IndentedBlock | None = None
    for node in located.nodes:
        is_statement, is_block, _ = _kind(node)
        if is_block and block is None:
            block = node  # type: ignore[assignment]
        elif is_statement:
            line, column, end_line, end_column = located.ranges[id(node)]
            start, end = starts[line - 1] + column, starts[end_line - 1] + end_column
            statements.append((start, end, node))
            if block is not None and first_block_end > len(text) and block.body and node is block.body[0]:
                first_block_end = end
    base = _Base(text=text, starts=starts, statements=statements,
                 order={id(node): index for index, node in enumerate(located.nodes)},
                 first_block_end=first_block_end)
    located.memo["reparse"] = base
    return base


def reparse(located: Located, text: str, new_text: str) -> Located | None:
    """The Located of `new_text`, an edit of `text` (which `located` is the whole parse of); None when only a
    whole parse can tell."""
    if not located.exact or not located.module.has_trailing_newline:
        return None  # (without it, the last statement's recorded end is past the text)
    start, end, _ = minimal_span(text, new_text)
    base = _base(located, text)
    if start < base.first_block_end or len(base.starts) < 3 or start < base.starts[2]:
        return None  # the edit could change the default indentation, line break or encoding
    around = []  # the statements the edit is strictly inside, outermost first
    for first, last, node in base.statements:
        if first < start and end < last:
            around.append((first, last, node))
        elif first > end:
            break
    for first, last, old in around[:-_TRIES - 1:-1]:  # an edit at a statement's edge can make it two
        made = _reparse_statement(located, base, new_text, first, last + len(new_text) - len(text), old)
        if made is not None:
            return made
    return None


def _reparse_statement(located: Located, base: _Base, new_text: str, first: int, last: int,
                       old: cst.BaseStatement) -> Located | None:
    """The Located of `new_text` with new_text[first:last] parsed as the one statement in place of `old`."""
    old_range = located.ranges[id(old)]
    parents = _ancestors(located, old)
    indents = located.indents(old)
    if old_range[1] != 0 or old_range[3] != 0 or parents is None or indents is None:
        return None
    chunk = new_text[first:last]
    new = _parse_statement(chunk, indents, located.module)
    return _assemble(located, base, old, new, parents, indents, chunk) if new is not None else None


def _ancestors(located: Located, node: cst.CSTNode) -> list[cst.CSTNode] | None:
    """The recorded ancestors of a node, innermost first, up to the module."""
    chain = []
    current = located.parent(node)
    while current is not None:
        chain.append(current)
        current = located.parent(current)
    return chain if chain and isinstance(chain[-1], cst.Module) else None


def _parse_statement(chunk: str, indents: list[str], module: cst.Module) -> cst.BaseStatement | None:
    """The one statement `chunk` holds, parsed inside blocks indented as `indents` in the module; None when
    the chunk is not exactly one statement that owns all its lines.

    libcst takes the default indentation from the first indented line it reads, so the text opens with a
    block indented by the module's default, then one `if 1:` per block around the statement.
    """
    newline = module.default_newline
    opening = [f"if 1:{newline}{module.default_indent}pass{newline}"]
    opening.extend(f"{''.join(indents[:depth])}if 1:{newline}" for depth in range(len(indents)))
    try:
        parsed = cst.parse_module("".join(opening) + chunk, config=module.config_for_parsing)
    except (cst.ParserSyntaxError, cst.CSTValidationError, ValueError, RecursionError):
        return None
    if parsed.footer or len(parsed.body) != 2 or parsed.default_indent != module.default_indent \
            or parsed.default_newline != newline:
        return None
    statement = parsed.body[1]
    for _ in indents:
        if not isinstance(statement, cst.If) or statement.orelse is not None \
                or not isinstance(statement.body, cst.IndentedBlock) or statement.body.footer \
                or len(statement.body.body) != 1:
            return None
        statement = statement.body.body[0]
    return statement


def _assemble(located: Located, base: _Base, old: cst.BaseStatement, new: cst.BaseStatement,
              parents: list[cst.CSTNode], indents: list[str], chunk: str) -> Located | None:
    """The Located with `new` in the place of `old`: the ancestors rebuilt, the positions moved."""
    rebuilt: dict[int, cst.CSTNode] = {}
    intermediates: dict[int, cst.CSTNode] = {}
    child_old, child_new = old, new
    for parent in parents:
        made: list[cst.CSTNode] = []
        replaced = _swap(parent, child_old, child_new, made)
        if replaced is None:
            return None
        rebuilt[id(parent)] = replaced
        intermediates.update((id(m), replaced) for m in made)
        child_old, child_new = parent, replaced
    line, _, end_line, _ = located.ranges[id(old)]
    state = _TrackingState(default_indent=located.module.default_indent,
                           default_newline=located.module.default_newline, indent_tokens=list(indents),
                           line=line, _owners=[rebuilt[id(parents[0])]])
    new._codegen(state)
    if "".join(state.tokens) != chunk or state.column != 0:
        return None
    moved, added_lines = (end_line, 0), state.line - end_line
    own_ranges = dict(state.ranges)
    own_parents = dict(state.parents)
    for parent in parents:
        if id(parent) in located.ranges:  # every ancestor but the module
            first_line, column, last_line, last_column = located.ranges[id(parent)]
            own_ranges[id(rebuilt[id(parent)])] = (first_line, column, last_line + added_lines, last_column)
        grand = located.parent(parent)
        if grand is not None:
            own_parents[id(rebuilt[id(parent)])] = rebuilt[id(grand)]
    own_owners = dict(state.owners)
    own_owners.update(intermediates)
    index = base.order[id(old)]
    after = index + 1
    nodes = located.nodes
    while after < len(nodes) and located.ranges[id(nodes[after])][:2] < moved:
        after += 1
    new_nodes = nodes[:index] + state.nodes + nodes[after:]
    for parent in parents:
        if id(parent) in base.order:
            new_nodes[base.order[id(parent)]] = rebuilt[id(parent)]
    module = rebuilt[id(parents[-1])]
    if not isinstance(module, cst.Module):
        return None
    return Located(module=module, ranges=_Moved(own_ranges, located.ranges, moved, added_lines),
                   parents=_Relinked(own_parents, located.parents, rebuilt), nodes=new_nodes,
                   owners=_Relinked(own_owners, located.owners, rebuilt))


def _swap(node: cst.CSTNode, old: cst.CSTNode, new: cst.CSTNode, made: list[cst.CSTNode]) -> cst.CSTNode | None:
    """`node` with its descendant `old` (reached through nodes that are not recorded containers) replaced by
    `new`; the nodes rebuilt on the way go to `made`. None when `old` is not found there."""
    for field in dataclasses.fields(node):
        value = getattr(node, field.name)
        if isinstance(value, cst.CSTNode):
            replaced = _swap_in(value, old, new, made)
            if replaced is not None:
                return node.with_changes(**{field.name: replaced})
        elif isinstance(value, (list, tuple)):
            for position, item in enumerate(value):
                if not isinstance(item, cst.CSTNode):
                    continue
                replaced = _swap_in(item, old, new, made)
                if replaced is not None:
                    items = list(value)
                    items[position] = replaced
                    return node.with_changes(**{field.name: type(value)(items)})
    return None


def _swap_in(value: cst.CSTNode, old: cst.CSTNode, new: cst.CSTNode, made: list[cst.CSTNode]) -> cst.CSTNode | None:
    """`new` if `value` is `old`; `value` rebuilt around it if `old` is below it and `value` is no container."""
    if value is old:
        return new
    if _kind(value)[2]:
        return None
    replaced = _swap(value, old, new, made)
    if replaced is not None:
        made.append(replaced)
    return replaced


class _Layered(Mapping[int, V]):
    """A map of the re-parsed Located: the new nodes' own entries, else the original's, adjusted to the edit."""

    def __init__(self, own: dict[int, V], old: Mapping[int, V]) -> None:
        self.own, self.old = own, old

    def adjusted(self, value: V) -> V:
        """An entry of the original's, as it reads after the edit."""
        return value

    def __getitem__(self, key: int) -> V:
        found = self.own.get(key)
        return found if found is not None else self.adjusted(self.old[key])

    def get(self, key: int, default: V | None = None) -> V | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return key in self.own or key in self.old

    def __iter__(self) -> Iterator[int]:
        yield from self.own
        yield from (key for key in self.old if key not in self.own)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Moved(_Layered[Range]):
    """Ranges after an edit: the original's moved down from where the edit ended."""

    def __init__(self, own: dict[int, Range], old: Mapping[int, Range], moved: tuple[int, int], lines: int) -> None:
        super().__init__(own, old)
        self.moved, self.lines = moved, lines

    def adjusted(self, value: Range) -> Range:
        if self.lines and value[:2] >= self.moved:
            return value[0] + self.lines, value[1], value[2] + self.lines, value[3]
        return value


class _Relinked(_Layered[cst.CSTNode]):
    """Parents (or owners) after an edit: the original's, with the rebuilt ancestors in place of the old."""

    def __init__(self, own: dict[int, cst.CSTNode], old: Mapping[int, cst.CSTNode],
                 rebuilt: dict[int, cst.CSTNode]) -> None:
        super().__init__(own, old)
        self.rebuilt = rebuilt

    def adjusted(self, value: cst.CSTNode) -> cst.CSTNode:
        return self.rebuilt.get(id(value), value)
