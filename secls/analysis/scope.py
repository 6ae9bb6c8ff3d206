"""Helpers over function and class nodes: names, decorators, bodies."""

from __future__ import annotations

import ast
from collections.abc import Iterator

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def iter_own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """Every node inside a function or class body, not descending into nested functions or classes."""
    stack: list[ast.AST] = list(reversed(getattr(function, "body", [])))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def methods(cls: ast.ClassDef) -> dict[str, FunctionNode]:
    """The methods defined directly in a class body, by name (the last definition wins)."""
    return {n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def dotted(node: ast.AST) -> str | None:
    """The source spelling of a Name/Attribute chain (`self.patcher.stop`), else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def first_param(function: FunctionNode) -> str | None:
    """The name of the first positional parameter (`self`, `cls`), if any."""
    args = function.args.posonlyargs + function.args.args
    return args[0].arg if args else None
