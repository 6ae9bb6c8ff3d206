"""Shared plumbing of the input-validation rules: call names, literal vs built values, local assignments."""

from __future__ import annotations

import ast

from secls.analysis.context import ModuleContext
from secls.analysis.scope import nodes_of
from secls.rules.helpers import Span  # noqa: F401  (re-exported for the rules)
from secls.rules.helpers import func_name as short_name  # noqa: F401  (re-exported for the rules)

CATEGORY = "input-validation"
CALLS: tuple[type[ast.AST], ...] = (ast.Call,)


def called(call: ast.Call, ctx: ModuleContext) -> str:
    """The last part of the called name, through import aliases (`Template` for `MakoTemplate`); cheap."""
    return ctx.imports.called_name(call) or ""


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    """The keyword argument `name=` of a call, if given."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def argument(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
    """A call's argument by position, else by keyword name."""
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args[:position + 1]):
        return call.args[position]
    if name is not None:
        kw = keyword(call, name)
        if kw is not None:
            return kw.value
    return None


def is_true(node: ast.expr | None) -> bool:
    """A constant that is truthy (`True`, `1`)."""
    return isinstance(node, ast.Constant) and bool(node.value)


def is_string(node: ast.AST | None) -> bool:
    """A str or bytes literal, or an f-string without replacement fields."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, bytes))
    return isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values)


def is_literal(node: ast.AST | None) -> bool:
    """A literal, or a display/concatenation made only of literals."""
    todo = [node]
    while todo:  # a loop, not recursion: `a + a + ... + a` nests as deep as it is long
        node = todo.pop()
        if isinstance(node, ast.Constant) or is_string(node):
            continue
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            todo.extend(node.elts)
        elif isinstance(node, ast.Dict):
            todo.extend(k for k in node.keys if k is not None)
            todo.extend(node.values)
        elif isinstance(node, ast.BinOp):
            todo += (node.left, node.right)
        elif isinstance(node, ast.UnaryOp):
            todo.append(node.operand)
        else:
            return False
    return True


def is_format_call(node: ast.AST) -> bool:
    """`"...".format(...)` or `x.format(...)`."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"


def how_built(node: ast.AST | None) -> str | None:
    """How a string is built from non-literals (`an f-string`, `%`, `+`, `.format`), else None."""
    if isinstance(node, ast.JoinedStr) and not is_string(node):
        return "an f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)) and not is_literal(node):
        return "`%`" if isinstance(node.op, ast.Mod) else "`+`"
    if is_format_call(node):
        template = node.func.value  # type: ignore[union-attr]
        parts = [template, *node.args, *(k.value for k in node.keywords)]  # type: ignore[union-attr]
        if not all(map(is_literal, parts)):
            return "`.format`"
    return None


def current_scope(ctx: ModuleContext) -> ast.AST:
    """The innermost function or class being visited, else the module."""
    return ctx.stack[-1] if ctx.stack else ctx.tree


def assignments(scope: ast.AST, name: str) -> list[ast.expr | None]:
    """Values bound to a plain name in a scope's own code (None for bindings without one value)."""
    found: list[ast.expr | None] = []
    for node in nodes_of(scope, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.withitem, ast.NamedExpr):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    found.append(node.value)
                elif isinstance(target, (ast.Tuple, ast.List)) and any(
                        isinstance(e, ast.Name) and e.id == name for e in target.elts):
                    found.append(None)
        elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
            if isinstance(node.target, ast.Name) and node.target.id == name:
                found.append(node.value)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name) and node.target.id == name:
                found.append(ast.BinOp(left=node.target, op=node.op, right=node.value))
        elif isinstance(node, ast.For):
            if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node.target)):
                found.append(None)
        elif isinstance(node.optional_vars, ast.Name) and node.optional_vars.id == name:
            found.append(None)
    return found


def is_parameter(scope: ast.AST, name: str) -> bool:
    """Whether a name is a parameter of the function `scope`."""
    if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return False
    args = scope.args
    every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
    return any(a.arg == name for a in every)


def resolve(node: ast.expr | None, ctx: ModuleContext) -> tuple[ast.expr | None, str]:
    """Follow a local name to its single assigned value: (value, 'parameter'|'assigned'|'unknown'|'')."""
    if not isinstance(node, ast.Name):
        return node, ""
    scope = current_scope(ctx)
    if is_parameter(scope, node.id):
        return None, "parameter"
    values = assignments(scope, node.id)
    if not values and scope is not ctx.tree:
        values = assignments(ctx.tree, node.id)  # a module constant
    if len(values) == 1 and values[0] is not None:
        return values[0], "assigned"
    if values and all(is_literal(v) for v in values):
        return values[0], "assigned"
    return None, "unknown"
