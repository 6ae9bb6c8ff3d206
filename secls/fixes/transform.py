"""Apply a set of node replacements and statement insertions to a libcst module in one pass."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import libcst as cst

from secls.fixes.locate import type_test

Statement = cst.BaseStatement | cst.BaseSmallStatement


@dataclass
class Edits:
    """Edits keyed by the identity of nodes of the original tree."""

    replace: dict[int, cst.CSTNode] = field(default_factory=dict)
    before: dict[int, list[Statement]] = field(default_factory=dict)
    after: dict[int, list[Statement]] = field(default_factory=dict)
    expand: dict[int, list[Statement]] = field(default_factory=dict)
    _keep: list[cst.CSTNode] = field(default_factory=list)

    def replace_node(self, old: cst.CSTNode, new: cst.CSTNode) -> None:
        """Put `new` where `old` is."""
        self._keep.append(old)
        self.replace[id(old)] = new

    def insert_before(self, unit: Statement, statements: Sequence[Statement]) -> None:
        """Insert statements before a statement of a block (or a small statement of a one-line suite)."""
        self._keep.append(unit)
        self.before.setdefault(id(unit), []).extend(statements)

    def insert_after(self, unit: Statement, statements: Sequence[Statement]) -> None:
        """Insert statements after a statement of a block (or a small statement of a one-line suite)."""
        self._keep.append(unit)
        self.after.setdefault(id(unit), []).extend(statements)

    def replace_statement(self, unit: Statement, statements: Sequence[Statement]) -> None:
        """Put several statements where one statement is."""
        self._keep.append(unit)
        self.expand[id(unit)] = list(statements)

    def targets(self) -> set[int]:
        """The ids of the original nodes the edits replace or insert around."""
        return set(self.replace) | set(self.before) | set(self.after) | set(self.expand)

    def apply(self, module: cst.Module, parents: Mapping[int, cst.CSTNode] | None = None,
              owners: Mapping[int, cst.CSTNode] | None = None) -> cst.Module:
        """The module with every edit made.

        `parents` and `owners` (Located's: each node's nearest enclosing statement, suite, call or module)
        let the pass skip the statements, suites and calls that hold no edit. When a target is in
        neither, or the pass does not reach every target, the whole tree is visited instead.
        """
        targets = self.targets()
        owners = owners or {}
        if parents is not None and all(t in parents or t in owners for t in targets):
            keep: set[int] = set()
            for target in targets:
                node: cst.CSTNode | None = parents[target] if target in parents else owners[target]
                while node is not None and id(node) not in keep:
                    keep.add(id(node))
                    node = parents.get(id(node))
            applier = _Applier(self, keep | targets, parents)
            new = module.visit(applier)
            if applier.reached == targets:
                return new
        return module.visit(_Applier(self))


_BODIES = (cst.Module, cst.IndentedBlock, cst.SimpleStatementSuite, cst.SimpleStatementLine)
# Statements, suites and calls: the nodes whose every container ancestor the parents chain lists.
_CONTAINERS = (cst.BaseStatement, cst.BaseSuite, cst.BaseSmallStatement, cst.Call)
_kind = type_test(_BODIES, _CONTAINERS)  # (holds a sequence of statements, is a container)


def _has_body(node: cst.CSTNode) -> bool:
    return _kind(node)[0]


def _is_container(node: cst.CSTNode) -> bool:
    return _kind(node)[1]


class _Applier(cst.CSTTransformer):
    """Makes the edits; with `keep` and `parents`, descends into no recorded node outside `keep`."""

    def __init__(self, edits: Edits, keep: set[int] | None = None,
                 parents: Mapping[int, cst.CSTNode] | None = None) -> None:
        super().__init__()
        self.edits = edits
        self.keep = keep
        self.parents = parents
        self.reached: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.keep is not None and self.parents is not None and id(node) not in self.keep \
                and id(node) in self.parents and _is_container(node):
            return False  # a statement, suite or call (and its whole subtree) that holds no edit: unchanged
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        edits = self.edits
        if _has_body(updated_node):
            body = self._splice(original_node.body, updated_node.body)  # type: ignore[attr-defined]
            if body is not None:
                updated_node = updated_node.with_changes(body=body)
        if id(original_node) in edits.replace:
            self.reached.add(id(original_node))
            return edits.replace[id(original_node)]
        return updated_node

    def _splice(self, original: Sequence[cst.CSTNode], updated: Sequence[cst.CSTNode]) -> list[cst.CSTNode] | None:
        edits = self.edits
        if not any(id(o) in edits.before or id(o) in edits.after or id(o) in edits.expand for o in original):
            return None
        body: list[cst.CSTNode] = []
        for old, new in zip(original, updated):
            if id(old) in edits.before or id(old) in edits.after or id(old) in edits.expand:
                self.reached.add(id(old))
            before = list(edits.before.get(id(old), ()))
            current = list(edits.expand.get(id(old), [new]))
            if before and hasattr(new, "leading_lines") and hasattr(before[0], "leading_lines"):
                # Comments above the statement stay above everything inserted there.
                before[0] = before[0].with_changes(leading_lines=new.leading_lines)  # type: ignore[attr-defined]
                current[0] = current[0].with_changes(leading_lines=())  # type: ignore[attr-defined]
            elif current and id(old) in edits.expand and hasattr(new, "leading_lines") \
                    and hasattr(current[0], "leading_lines"):
                current[0] = current[0].with_changes(leading_lines=new.leading_lines)  # type: ignore[attr-defined]
            body.extend(before)
            body.extend(current)
            body.extend(edits.after.get(id(old), ()))
        return body
