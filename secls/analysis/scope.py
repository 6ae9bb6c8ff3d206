"""Helpers over function and class nodes: names, decorators, bodies."""

from __future__ import annotations

import ast
from collections.abc import Iterator

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
# The index walk stores each scope's own nodes on the scope node, so that the many questions rules
# ask of one method never walk its subtree again. Parents go in a separate map keyed by id(node):
# a parent attribute would make every tree a reference cycle, left to the cyclic GC to free.
_OWN = "_secls_own"
Parents = dict[int, ast.AST]


def index_tree(tree: ast.Module) -> tuple[list[ast.AST], list[ast.ClassDef], Parents]:
    """One walk over the module: per-scope node lists; returns imports, classes and the parent map."""
    parents: Parents = {}
    imports: list[ast.AST] = []
    classes: list[ast.ClassDef] = []
    AST, scopes, import_types = ast.AST, _SCOPES, (ast.Import, ast.ImportFrom)
    module_own: list[ast.AST] = []
    setattr(tree, _OWN, module_own)
    todo: list[tuple[ast.AST, ast.AST | None, list[ast.AST]]] = [(c, None, module_own)
                                                                 for c in reversed(tree.body)]
    pop, push = todo.pop, todo.append
    while todo:
        node, parent, own = pop()
        if parent is not None:
            parents[id(node)] = parent
        own.append(node)
        if isinstance(node, scopes):
            inner: list[ast.AST] = []
            node._secls_own = inner  # type: ignore[attr-defined]
            if isinstance(node, ast.ClassDef):
                classes.append(node)
            body = node.body if isinstance(node.body, list) else [node.body]
            for child in reversed(body):
                push((child, node, inner))
            # decorators, bases, defaults and annotations belong to the enclosing scope
            for name in node._fields:
                if name != "body":
                    value = getattr(node, name, None)
                    if isinstance(value, list):
                        for child in reversed(value):
                            if isinstance(child, AST):
                                push((child, node, own))
                    elif isinstance(value, AST):
                        push((value, node, own))
            continue
        if isinstance(node, import_types):
            imports.append(node)
            continue
        for name in reversed(node._fields):
            value = getattr(node, name, None)
            if isinstance(value, list):
                for child in reversed(value):
                    if isinstance(child, AST):
                        push((child, node, own))
            elif isinstance(value, AST):
                push((value, node, own))
    return imports, classes, parents


def iter_own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """Every node inside a function or class body, not descending into nested functions or classes."""
    cached = getattr(function, _OWN, None)
    if cached is not None:
        yield from cached
        return
    stack: list[ast.AST] = list(reversed(getattr(function, "body", [])))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _SCOPES):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def parent_of(node: ast.AST, parents: Parents) -> ast.AST | None:
    """The node's parent in an `index_tree` parent map (None for top-level statements)."""
    return parents.get(id(node))


def statement_of(node: ast.AST, parents: Parents) -> ast.stmt | None:
    """The innermost statement that contains a node."""
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.stmt):
        current = parents.get(id(current))
    return current


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
