"""What each TestCase class acquires and how it is released, from the analysis' lifecycle model."""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass

from secls.analysis.context import ModuleContext
from secls.analysis.lifecycle import ACQUIRERS, TAKES_OWNERSHIP, Acquisition, method_role
from secls.analysis.scope import FunctionNode, methods, nodes_of
from secls.review.model import ClassLifecycleSummary
from secls.rules.mocking.patches import patch_call

# How the lifecycle model says an acquisition is released -> the words of the report.
_RELEASED_BY = {"cleanup": "addCleanup", "same function": "a release in the same method",
                "tearDown": "tearDown", "its dir=": "its dir="}


@dataclass(frozen=True)
class Held:
    """One thing a method acquires: where, in which role, and how it is released (None: never)."""

    line: int
    role: str
    released_via: str | None


def _handed_over(function: FunctionNode, ctx: ModuleContext) -> list[Held]:
    """Fresh objects handed to the framework at once: `useFixture(X(...))`, `enterContext(...)`, `with patch(...)`."""
    role = method_role(function)
    held: list[Held] = []
    for node in nodes_of(function, ast.Call, ast.With, ast.AsyncWith):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in TAKES_OWNERSHIP and node.args and isinstance(node.args[0], ast.Call):
                held.append(Held(node.lineno, role, name))
        else:
            for item in node.items:
                expr = item.context_expr
                if isinstance(expr, ast.Call) and (
                        (ctx.qualname(expr.func) or "") in ACQUIRERS or patch_call(expr, ctx) is not None):
                    held.append(Held(expr.lineno, role, "with"))
    return held


def _from_model(acquisition: Acquisition) -> Held:
    how = acquisition.released_by
    if how is None and acquisition.escaped:
        how = "handed on"
    return Held(getattr(acquisition.node, "lineno", 0), acquisition.role,
                _RELEASED_BY.get(how, how) if how else None)


def held_by_class(cls: ast.ClassDef, ctx: ModuleContext) -> list[Held]:
    """Everything the class's own methods acquire (lifecycle model plus framework hand-overs), in line order."""
    teardown = ctx.lifecycle(cls).teardown_methods
    held = [_from_model(a) for a in ctx.lifecycle(cls).acquisitions]
    for function in methods(cls).values():
        if function.name not in teardown:
            held.extend(_handed_over(function, ctx))
    return sorted(held, key=lambda h: h.line)


def held_by_module(ctx: ModuleContext) -> list[Held]:
    """What module-level functions acquire (pytest tests and fixtures, setUpModule, helpers)."""
    held = [_from_model(a) for a in ctx.module_lifecycle().acquisitions]
    for node in ctx.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            held.extend(_handed_over(node, ctx))
    return sorted(held, key=lambda h: h.line)


def class_summary(cls: ast.ClassDef, ctx: ModuleContext) -> ClassLifecycleSummary:
    """The lifecycle of one class in numbers (the code lens text)."""
    held = held_by_class(cls, ctx)
    setups = tuple(name for name, f in methods(cls).items() if method_role(f) in ("setUp", "setUpClass"))
    in_setup = [h for h in held if h.role in ("setUp", "setUpClass")]
    in_tests = [h for h in held if h.role not in ("setUp", "setUpClass")]
    via = Counter(h.released_via for h in held if h.released_via)
    return ClassLifecycleSummary(
        name=cls.name, line=cls.lineno, setup_methods=setups,
        setup_acquired=len(in_setup), setup_released=sum(1 for h in in_setup if h.released_via),
        test_acquired=len(in_tests), test_released=sum(1 for h in in_tests if h.released_via),
        released_via=tuple(sorted(via.items(), key=lambda kv: (-kv[1], kv[0]))),
        stopall=ctx.class_facts(cls).stopall)


def test_classes(ctx: ModuleContext) -> list[ast.ClassDef]:
    """The module's TestCase classes (by their bases, or `Test*` in a test file), in source order."""
    return sorted((c for c in ctx.all_classes if ctx.is_test_class(c)), key=lambda c: c.lineno)


def class_summaries(ctx: ModuleContext) -> list[ClassLifecycleSummary]:
    """One lifecycle summary per TestCase class."""
    return [class_summary(c, ctx) for c in test_classes(ctx)]
