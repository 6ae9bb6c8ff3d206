"""Small AST helpers shared by the rules: names, words of names, keywords, ranges."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secls.analysis.scope import iter_own_nodes

if TYPE_CHECKING:
    from secls.analysis.context import ModuleContext

_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


@dataclass(frozen=True)
class Span:
    """A range to report that is not a node's own (ast-style: 1-based lines, UTF-8 byte columns)."""

    lineno: int
    col_offset: int
    end_lineno: int
    end_col_offset: int


def words(name: str) -> tuple[str, ...]:
    """The lowercase words of an identifier (`authToken`, `AUTH_TOKEN`, `auth_token` -> auth, token)."""
    return tuple(w.lower() for w in _WORD.findall(name))


def terminal_name(node: ast.AST | None) -> str | None:
    """The last name of an expression: `x` of `a.b.x`, `x` of `d["x"]`, `x` of `a.x()`; else None."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
            and isinstance(node.slice.value, str):
        return node.slice.value
    return None


def func_name(call: ast.Call) -> str | None:
    """The called name as written, without qualifiers (`get` of `requests.get`)."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    """The keyword argument `name=` of a call, if given."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def has_star_kwargs(call: ast.Call) -> bool:
    """Whether a call passes `**kwargs` (which may hold any keyword)."""
    return any(kw.arg is None for kw in call.keywords)


def argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    """An argument given by position or by keyword."""
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        return call.args[position]
    kw = keyword(call, name)
    return kw.value if kw is not None else None


def is_constant(node: ast.AST | None, value: object) -> bool:
    """Whether a node is the constant `value` (by type and value: False is not 0)."""
    return isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value


def first_line(node: ast.AST, length: int) -> Span:
    """The first `length` bytes of a node's first line (a keyword like `except`, `assert`)."""
    return Span(node.lineno, node.col_offset, node.lineno, node.col_offset + length)


def called_name(call: ast.Call, aliases: dict[str, str]) -> str | None:
    """The called function's own name through from-import aliases (see `ImportMap.called_name`)."""
    func = call.func
    if isinstance(func, ast.Name):
        return aliases.get(func.id, func.id).rpartition(".")[2]
    return func.attr if isinstance(func, ast.Attribute) else None


def mentions(ctx: ModuleContext, names: tuple[str, ...]) -> bool:
    """Whether the module's text contains any of these strings (a fast gate before walking the tree)."""
    return ctx.mentions(names)


def scoped_nodes(tree: ast.Module, types: tuple[type[ast.AST], ...]) -> Iterator[tuple[ast.AST, list[ast.AST]]]:
    """Nodes of these types with their stack of enclosing classes and functions (the engine's `ctx.stack`).

    For rules that look at very common node types (names, constants) only in modules whose text
    mentions what they look for: they visit the Module and walk from there, instead of being called
    for every name of every module.
    """
    scopes: list[tuple[ast.AST, list[ast.AST]]] = [(tree, [])]
    while scopes:
        scope, stack = scopes.pop()
        for node in iter_own_nodes(scope):
            if isinstance(node, types):
                yield node, stack
            if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                scopes.append((node, [*stack, node]))
            elif isinstance(node, ast.Lambda):
                scopes.append((node, stack))


def is_test_code_at(ctx: ModuleContext, stack: list[ast.AST]) -> bool:
    """`ctx.is_test_code()` for a node found by a module walk (its own stack, not the walk's)."""
    with visiting(ctx, stack):
        return ctx.is_test_code()


def calls_named(ctx: ModuleContext, names: Iterable[str]) -> Iterator[tuple[ast.Call, list[ast.AST]]]:
    """The module's calls of functions with these own names, with their stacks (indexed once per module).

    For a rule about a handful of functions: it looks them up instead of being called for every call.
    """
    for name in names:
        yield from ctx.calls_named(name)


@contextmanager
def visiting(ctx: ModuleContext, stack: list[ast.AST]) -> Iterator[None]:
    """Let `ctx` answer stack questions (test code, enclosing function) for a node found by a module walk."""
    saved = ctx.stack
    ctx.stack = stack
    try:
        yield
    finally:
        ctx.stack = saved
