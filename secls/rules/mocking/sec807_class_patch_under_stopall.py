"""SEC807 class-patch-under-stopall: a class-level patch in a class whose base stops all patches per test."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.classes import STOPALL
from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import methods, nodes_of
from secls.rules.base import Rule

DOCS = """\
# SEC807 class-patch-under-stopall

## What it finds

A patcher started in `setUpClass` of a class whose base registers `mock.patch.stopall` as a
per-test cleanup (oslotest's `BaseTestCase` does, and so do nova's and neutron's test bases),
or whose own `setUp` registers it with `addCleanup`.

## Why it matters

`mock.patch.stopall()` stops every active patcher in the process, whoever started it. The
class-level patch is therefore removed after the first test: only that test runs patched,
every later test of the class runs against the real object — with real network, disk or
privileged calls, and assertions that pass for the wrong reason. (coriolis hit exactly this.)

## Example

```python
class TestDriver(oslotest.base.BaseTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.patcher = mock.patch("driver.connect")
        cls.patcher.start()                      # SEC807: gone after the first test
```

## Fix

Start the patch per test in `setUp` (with `self.addCleanup(patcher.stop)`), or use a base
class without a per-test `stopall` and release it with `cls.addClassCleanup(cls.patcher.stop)`.
"""


def _stopall_per_test(cls: ast.ClassDef, ctx: ModuleContext) -> str | None:
    """Who registers a per-test stopall: a base (by name) or this class's setUp; None if nobody known."""
    facts = ctx.class_facts(cls)
    for known in facts.known:
        if known.registers_stopall:
            return f"base `{known.name}`"
    for klass in facts.local_mro:
        setup = methods(klass).get("setUp")
        if setup is None:
            continue
        for call in nodes_of(setup, ast.Call):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "addCleanup" and call.args \
                    and ctx.qualname(call.args[0]) == STOPALL:
                return f"`{klass.name}.setUp`"
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report patchers started in setUpClass under a per-test stopall."""
    assert isinstance(node, ast.ClassDef)
    if not ctx.is_test_class(node):
        return
    starts = [a for a in ctx.lifecycle(node).acquisitions if a.kind == "patcher" and a.role == "setUpClass"]
    if not starts:
        return
    who = _stopall_per_test(node, ctx)
    if who is None:
        return
    for acq in starts:
        what = f"patcher `{acq.patcher}`" if acq.patcher else f"`{acq.description}`"
        message = (f"{what} started in setUpClass is stopped after the first test: {who} registers "
                   "`mock.patch.stopall` for every test; start it in setUp instead")
        yield ctx.report(RULE, acq.node, message)


RULE = Rule(
    code="SEC807", name="class-patch-under-stopall", category="mocking", severity=Severity.WARNING,
    docs=DOCS, nodes=(ast.ClassDef,), check=check, cwe=("CWE-665",),
)
