"""Recognising patch calls in every spelling: mock.patch & co, fixtures.MockPatch*, monkeypatch, mocker."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from secls.analysis.scope import dotted

if TYPE_CHECKING:
    from secls.analysis.context import ModuleContext

# Qualified name -> (kind, index of the positional `new` argument).
_MOCK_PATCHERS: dict[str, tuple[str, int]] = {
    "unittest.mock.patch": ("patch", 1),
    "unittest.mock.patch.object": ("object", 2),
    "unittest.mock.patch.multiple": ("multiple", 99),
    "unittest.mock.patch.dict": ("dict", 99),
    "fixtures.MockPatch": ("fixture", 1),
    "fixtures.MockPatchObject": ("fixture_object", 2),
    "fixtures.MonkeyPatch": ("monkeypatch_fixture", 1),
    "fixtures._fixtures.mockpatch.MockPatch": ("fixture", 1),
    "fixtures._fixtures.mockpatch.MockPatchObject": ("fixture_object", 2),
}
# Receiver spelling + method -> (kind, index of `new`): pytest fixtures and project helpers.
_METHOD_PATCHERS: dict[str, tuple[str, int]] = {
    "monkeypatch.setattr": ("monkeypatch", 99),
    "mocker.patch": ("patch", 1),
    "mocker.patch.object": ("object", 2),
    "self.stub_out": ("stub_out", 1),
    "self.patch": ("helper", 99),  # testtools' patch(obj, attr, value), cinder's patch("dotted")
    "self.mock_object": ("object", 2),
}
PATCH_CALL_NAMES = _LAST_NAMES = frozenset({"patch", "object", "multiple", "dict", "MockPatch", "MockPatchObject", "MonkeyPatch",
                         "setattr", "stub_out", "mock_object"})
_SPEC_KEYWORDS = frozenset({"autospec", "spec", "spec_set", "new", "new_callable"})
_MEMO = "_secls_patch"


@dataclass(frozen=True)
class PatchCall:
    """A call that patches something: its kind, its dotted target, and how it replaces it."""

    call: ast.Call
    kind: str
    target: str | None
    target_node: ast.AST | None
    has_new: bool
    keywords: frozenset[str]

    @property
    def injects(self) -> bool:
        """Whether, as a decorator, it passes the new mock to the function as a positional argument."""
        return self.kind in ("patch", "object") and not self.has_new

    @property
    def is_mock_patch(self) -> bool:
        """A `mock.patch(...)`/`patch.object(...)` (or pytest-mock's) that builds a MagicMock by default."""
        return self.kind in ("patch", "object")


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _kind(call: ast.Call, ctx: ModuleContext) -> tuple[str, int] | None:
    func = call.func
    found = _MOCK_PATCHERS.get(ctx.qualname(func) or "")
    if found is None and isinstance(func, ast.Attribute):
        found = _METHOD_PATCHERS.get(dotted(func) or "")
    return found


def _target(call: ast.Call, kind: str, ctx: ModuleContext) -> tuple[str | None, ast.AST | None]:
    args = call.args
    first = _text(args[0]) if args else None
    if kind in ("object", "fixture_object") or (kind in ("monkeypatch", "helper") and first is None):
        attribute = _text(args[1]) if len(args) > 1 else None
        if attribute is None or not args:
            return None, None
        owner = ctx.qualname(args[0]) or dotted(args[0])
        return (f"{owner}.{attribute}" if owner else attribute), args[1]
    if first is None:
        keyword = next((k.value for k in call.keywords if k.arg == "target"), None)
        return _text(keyword), keyword
    return first, args[0]


def patch_call(node: ast.AST, ctx: ModuleContext) -> PatchCall | None:
    """The patch a call makes, or None when the call is not a patch (memoised on the node)."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    # Most calls are rejected here, before any memo or qualname look-up.
    if isinstance(func, ast.Attribute):
        if func.attr not in _LAST_NAMES:
            return None
    elif not (isinstance(func, ast.Name) and func.id in ctx.imports.aliases):
        return None
    key = (_MEMO, id(node))  # in the context, not on the node: a PatchCall holds its node
    cached = ctx.memo.get(key, False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    result = None
    found = _kind(node, ctx)
    if found is not None:
        kind, new_index = found
        target, target_node = _target(node, kind, ctx)
        keywords = frozenset(k.arg for k in node.keywords if k.arg)
        has_new = len(node.args) > new_index or "new" in keywords
        result = PatchCall(node, kind, target, target_node, has_new, keywords)
    ctx.memo[key] = result
    return result


def has_spec(patch: PatchCall) -> bool:
    """Whether a patch says what the replacement looks like (autospec, spec, spec_set, new, new_callable)."""
    return patch.has_new or bool(patch.keywords & _SPEC_KEYWORDS)


def has_star_keywords(call: ast.Call) -> bool:
    """Whether a call passes `**kwargs` (which may hold any keyword)."""
    return any(k.arg is None for k in call.keywords)
