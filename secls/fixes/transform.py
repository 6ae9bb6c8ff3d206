"""Apply a set of node replacements and statement insertions to a libcst module in one pass."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

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

    def apply(self, module: cst.Module) -> cst.Module:
        """The module with every edit made."""
        return module.visit(_Applier(self))


class _Applier(cst.CSTTransformer):
    def __init__(self, edits: Edits) -> None:
        super().__init__()
        self.edits = edits

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        edits = self.edits
        if isinstance(updated_node, (cst.Module, cst.IndentedBlock, cst.SimpleStatementSuite,
                                     cst.SimpleStatementLine)):
            body = self._splice(original_node.body, updated_node.body)  # type: ignore[attr-defined]
            if body is not None:
                updated_node = updated_node.with_changes(body=body)
        return edits.replace.get(id(original_node), updated_node)

    def _splice(self, original: Sequence[cst.CSTNode], updated: Sequence[cst.CSTNode]) -> list[cst.CSTNode] | None:
        edits = self.edits
        if not any(id(o) in edits.before or id(o) in edits.after or id(o) in edits.expand for o in original):
            return None
        body: list[cst.CSTNode] = []
        for old, new in zip(original, updated):
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
