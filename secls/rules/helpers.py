"""Small AST helpers shared by the rules: names, words of names, keywords, ranges."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

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
    """The called function's own name through from-import aliases (`mt` of `from tempfile import mktemp as mt`
    -> `mktemp`); cheap, for filtering calls before computing qualified names."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return aliases.get(func.id, func.id).rpartition(".")[2]
    return None
