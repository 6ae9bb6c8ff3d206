"""Shared plumbing of the mocking rules."""

from __future__ import annotations

import ast

CATEGORY = "mocking"


def name_range(node: ast.AST, name: str, at_end: bool = False) -> ast.AST:
    """A node spanning just `name` at the start (or end) of `node` on its line, for precise ranges and fixes."""
    width = len(name.encode("utf-8"))
    if at_end:
        line, end = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
        return ast.Name(id=name, lineno=line, col_offset=end - width, end_lineno=line, end_col_offset=end)
    line, start = node.lineno, node.col_offset  # type: ignore[attr-defined]
    return ast.Name(id=name, lineno=line, col_offset=start, end_lineno=line, end_col_offset=start + width)
