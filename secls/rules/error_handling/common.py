"""Shared plumbing of the error-handling rules: how broad a handler is, where its header is."""

from __future__ import annotations

import ast

from secls.analysis.context import ModuleContext
from secls.rules.helpers import Span

CATEGORY = "error-handling"
BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})


def broad_name(handler: ast.ExceptHandler, ctx: ModuleContext) -> str | None:
    """`except:` -> 'bare'; `except Exception` (also in a tuple) -> 'Exception'/'BaseException'; else None."""
    if handler.type is None:
        return "bare"
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    for node in types:
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = ctx.qualname(node)
            if name in BROAD:
                return name.rpartition(".")[2]
    return None


def header(handler: ast.ExceptHandler) -> Span:
    """The `except ...` clause up to the type (or the keyword alone when the type spans lines)."""
    end = 6
    kind = handler.type
    if kind is not None and kind.end_lineno == handler.lineno and kind.end_col_offset is not None:
        end = kind.end_col_offset - handler.col_offset
    return Span(handler.lineno, handler.col_offset, handler.lineno, handler.col_offset + end)


def only_passes(body: list[ast.stmt]) -> str | None:
    """'pass', '...' or 'continue' when a body does nothing but that, else None."""
    kinds = set()
    for statement in body:
        if isinstance(statement, ast.Pass):
            kinds.add("pass")
        elif isinstance(statement, ast.Continue):
            kinds.add("continue")
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
                and (statement.value.value is Ellipsis or isinstance(statement.value.value, str)):
            kinds.add("...")  # a docstring-like comment string does nothing either
        else:
            return None
    return "continue" if "continue" in kinds else ("pass" if "pass" in kinds else "...")
