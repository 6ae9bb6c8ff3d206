"""Whether an expression is a mock, from evidence in the module: how it was bound, or how it is named."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from secls.analysis.scope import FunctionNode, dotted, first_param, methods, nodes_of
from secls.rules.mocking.patches import patch_call

if TYPE_CHECKING:
    from secls.analysis.context import ModuleContext

MOCK_FACTORIES = frozenset({
    "unittest.mock.Mock", "unittest.mock.MagicMock", "unittest.mock.NonCallableMock",
    "unittest.mock.NonCallableMagicMock", "unittest.mock.AsyncMock", "unittest.mock.create_autospec",
    "unittest.mock.PropertyMock", "unittest.mock.mock_open",
})
# Attributes whose value is (almost always) a mock: `m.return_value`, `fixture.mock`.
_MOCK_CHILDREN = frozenset({"return_value", "mock"})
_MEMO = "_secls_mock_names"


def looks_like_mock(name: str) -> bool:
    """Names that say mock: `mock`, `mock_get`, `mocked_x`, `m_get`, `get_mock`, `getMock`."""
    low = name.lower().lstrip("_")
    if low.startswith("mocker"):
        return False  # pytest-mock's fixture, not a mock
    return low.startswith(("mock", "m_")) or low.endswith("mock")


def _is_mock_value(value: ast.AST, ctx: ModuleContext) -> bool:
    """A value that makes a mock: Mock(), create_autospec(), patch(...).start(), mocker.patch(), x.mock."""
    if isinstance(value, ast.Attribute):
        return value.attr in _MOCK_CHILDREN
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Attribute) and func.attr == "start":
        receiver = func.value
        patch = patch_call(receiver, ctx)
        if patch is not None:
            return patch.kind not in ("dict", "multiple")
        return "patch" in (dotted(receiver) or "").lower()
    if ctx.qualname(func) in MOCK_FACTORIES:
        return True
    return (dotted(func) or "").startswith("mocker.") and patch_call(value, ctx) is not None


def _bound_names(scope: ast.AST, ctx: ModuleContext, receiver: str | None) -> set[str]:
    """Names (or `@attr` for `receiver.attr`) that a scope binds to mocks."""
    names: set[str] = set()

    def add(target: ast.AST) -> None:
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                and receiver is not None and target.value.id == receiver:
            names.add("@" + target.attr)

    for node in nodes_of(scope, ast.Assign, ast.AnnAssign, ast.With, ast.AsyncWith):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                patch = patch_call(item.context_expr, ctx)
                if item.optional_vars is not None and patch is not None and patch.kind in ("patch", "object"):
                    add(item.optional_vars)
        elif node.value is not None and _is_mock_value(node.value, ctx):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                add(target)
    return names


def _injected(function: FunctionNode, cls: ast.ClassDef | None, ctx: ModuleContext) -> set[str]:
    """Parameters that patch decorators (of the function or of its class) fill with mocks."""
    decorators = list(function.decorator_list) + (list(cls.decorator_list) if cls is not None else [])
    count = sum(1 for d in decorators if (p := patch_call(d, ctx)) is not None and p.injects)
    if not count:
        return set()
    params = [a.arg for a in function.args.posonlyargs + function.args.args]
    if cls is not None and params and params[0] in ("self", "cls"):
        params = params[1:]
    return set(params[:count])


def _scope_names(scope: ast.AST, ctx: ModuleContext, cls: ast.ClassDef | None) -> set[str]:
    cached = scope.__dict__.get(_MEMO)
    if cached is None:
        if isinstance(scope, ast.ClassDef):
            cached = set()
            for method in methods(scope).values():
                cached |= {n for n in _bound_names(method, ctx, first_param(method)) if n.startswith("@")}
        elif isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            cached = _bound_names(scope, ctx, None) | _injected(scope, cls, ctx)
        else:
            cached = _bound_names(scope, ctx, None)
        scope.__dict__[_MEMO] = cached
    return cached


def is_mock(expr: ast.AST, ctx: ModuleContext) -> bool:
    """Whether the module gives evidence that `expr` (a Name/Attribute chain) is a mock."""
    segments: list[str] = []
    node = expr
    while isinstance(node, ast.Attribute):
        segments.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call):
        return _is_mock_value(node, ctx)
    if not isinstance(node, ast.Name):
        return False
    root = node.id
    if any(looks_like_mock(s) or s in _MOCK_CHILDREN for s in segments) or looks_like_mock(root):
        return True
    if root in ("self", "cls"):
        cls = ctx.enclosing_class()
        return bool(segments) and cls is not None and "@" + segments[-1] in _scope_names(cls, ctx, None)
    stack = ctx.stack
    for index in range(len(stack) - 1, -1, -1):
        scope = stack[index]
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            owner = stack[index - 1] if index and isinstance(stack[index - 1], ast.ClassDef) else None
            if root in _scope_names(scope, ctx, owner):
                return True
    return root in _scope_names(ctx.tree, ctx, None)
