"""SEC405 raises-too-broad: a test that accepts any exception cannot tell a check from a crash."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.error_handling.common import BROAD, CATEGORY
from secls.rules.helpers import called_name, keyword

DOCS = """\
# SEC405 raises-too-broad

## What it finds

`self.assertRaises(Exception)` / `assertRaises(BaseException)` and `pytest.raises(Exception)`
without `match=`, used as a statement or a `with` block whose result is not inspected. When the
result is kept (`ex = self.assertRaises(...)`, `with ... as cm`), the test can check the error, and
this rule stays silent.

## Why it matters

A test that accepts any exception passes when the code under test crashes with a `TypeError`
or a `NameError` before it ever reaches the security check the test is meant to prove.

## Example

```python
def test_rejects_forged_token(self):
    with self.assertRaises(Exception):     # SEC405
        verify(forged)
```

## Fix

Expect the specific exception, or match its message:

```python
    with self.assertRaises(InvalidSignature):
        verify(forged)
# pytest
    with pytest.raises(ValueError, match="signature"):
        verify(forged)
```

Cross-references: ruff B017, PT011; CWE-703.
"""

_ASSERTS = frozenset({"assertRaises", "failUnlessRaises"})
_NAMES = _ASSERTS | {"raises"}


def _too_broad(call: ast.AST, ctx: ModuleContext) -> str | None:
    """The spelling of a too-broad raises call, else None."""
    if not isinstance(call, ast.Call) or not call.args:
        return None
    name = called_name(call, ctx.imports.aliases)
    if name not in _ASSERTS and name != "raises":
        return None
    if ctx.qualname(call.args[0]) not in BROAD:
        return None
    if name == "raises":
        if ctx.call_name(call) != "pytest.raises" or keyword(call, "match") is not None:
            return None
        return "pytest.raises"
    return name


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report raises-assertions of Exception whose result nobody inspects."""
    # A plain function until a call is too broad (a generator made for every statement costs more than
    # the check); from there the findings are made lazily as before.
    if isinstance(node, ast.Expr):
        value = node.value
        func = value.func if type(value) is ast.Call and value.args else None  # cheap filter: most are not it
        if func is None or (func.attr if type(func) is ast.Attribute else getattr(func, "id", "")) not in _NAMES:
            return ()
        calls: list[ast.expr] = [value]
    else:
        assert isinstance(node, (ast.With, ast.AsyncWith))
        calls = [item.context_expr for item in node.items if item.optional_vars is None]
    for start, call in enumerate(calls):
        if _too_broad(call, ctx) is not None:
            return _report(calls[start:], ctx)
    return ()


def _report(calls: list[ast.expr], ctx: ModuleContext) -> Iterator[Finding]:
    for call in calls:
        spelled = _too_broad(call, ctx)
        if spelled is not None:
            caught = ctx.qualname(call.args[0])  # type: ignore[attr-defined]
            yield ctx.report(RULE, call, f"`{spelled}({caught})` passes on any failure, a crash included; "
                                         "expect the specific exception")


RULE = Rule(
    code="SEC405", name="raises-too-broad", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Expr, ast.With, ast.AsyncWith), check=check, ruff=("B017", "PT011"), cwe=("CWE-703",),
)
