"""Shared plumbing of the resource-release rules: which lifecycles to look at, how to phrase them."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.lifecycle import Acquisition, ClassLifecycle
from secls.analysis.scope import first_param

CATEGORY = "resource-release"
NODES: tuple[type[ast.AST], ...] = (ast.ClassDef, ast.Module)


def lifecycles(node: ast.AST, ctx: ModuleContext) -> Iterator[ClassLifecycle]:
    """The lifecycle to check at this node: a test or fixture class, or the module's test functions."""
    if isinstance(node, ast.ClassDef):
        facts = ctx.class_facts(node)
        if facts.is_fixture or ctx.is_test_class(node):
            yield ctx.lifecycle(node)
    elif isinstance(node, ast.Module) and ctx.is_test_path:
        yield ctx.module_lifecycle()


def registrar(acq: Acquisition) -> str:
    """How to register a cleanup where the acquisition happens (`self.addCleanup`), or '' if no way."""
    if acq.method is None:
        return ""
    receiver = first_param(acq.method)
    if acq.role == "setUpModule":
        return "unittest.addModuleCleanup"
    if receiver is None or acq.method.name == "_setUp" and receiver != "self":
        return ""
    is_class_method = any(isinstance(d, ast.Name) and d.id == "classmethod" for d in acq.method.decorator_list)
    if is_class_method or acq.role == "setUpClass":
        return f"{receiver}.addClassCleanup"
    if receiver in ("self",) or acq.role in ("setUp", "test", "helper"):
        return f"{receiver}.addCleanup"
    return ""


def where(acq: Acquisition) -> str:
    """`in setUp`, `in test_x`, ... for messages."""
    return f"in {acq.method.name}" if acq.method is not None else "at module level"


def unknown_base_note(lifecycle: ClassLifecycle) -> str:
    """A note naming the base classes that could not be resolved, or ''."""
    facts = lifecycle.facts
    if facts is None or not facts.unresolved:
        return ""
    names = ", ".join(f"`{n}`" for n in facts.unresolved[:2])
    return f" (unless base {names}, not resolved, releases it)"
