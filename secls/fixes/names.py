"""Picking a local name that is not used yet."""

from __future__ import annotations

import libcst as cst


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.seen.add(node.value)


def used_names(scope: cst.CSTNode) -> set[str]:
    """Every identifier spelled inside a node."""
    visitor = _Names()
    scope.visit(visitor)
    return visitor.seen


def free_name(base: str, scope: cst.CSTNode) -> str:
    """`base`, else `base_2`, `base_3`, ... : the first not spelled anywhere in the scope."""
    seen = used_names(scope)
    if base not in seen:
        return base
    n = 2
    while f"{base}_{n}" in seen:
        n += 1
    return f"{base}_{n}"
