"""SEC806 mock-assertion-not-called: `m.assert_called_once` read as a statement, never called."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.mocking.common import CATEGORY
from secls.rules.mocking.evidence import is_mock
from secls.rules.mocking.names import ASSERTIONS

DOCS = """\
# SEC806 mock-assertion-not-called

## What it finds

An expression statement that only reads a mock's assertion method without calling it:
`m.assert_called_once`, `mock_get.assert_not_called`, or any `assert_*` attribute of a mock; also
`assert m.assert_called_once`, where the bound method is always true.

## Why it matters

Reading the bound method does nothing; the assertion never runs and the test passes whether or
not the mock was called. The line looks like a check in review, so nobody adds the real one.

## Example

```python
    def test_no_reboot(self, mock_reboot):
        self.compute.resume(self.context, self.instance)
        mock_reboot.assert_not_called      # SEC806: never runs
```

## Fix

Call it: `mock_reboot.assert_not_called()` (as a statement, not inside `assert`: the assertion
methods return None). The edit is offered as changing behaviour: the
assertion now runs, and may fail.
"""


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report statements that only read an assertion method, and `assert m.assert_called()`-less reads."""
    # A plain function, not a generator: it runs for every expression statement.
    if isinstance(node, ast.Expr):
        value = node.value
    elif isinstance(node, ast.Assert):
        value = node.test  # `assert m.assert_called_once`: a bound method is always true
    else:
        return ()
    if not isinstance(value, ast.Attribute) or not value.attr.startswith("assert_"):
        return ()
    if value.attr not in ASSERTIONS and not is_mock(value.value, ctx):
        return ()
    message = f"`{value.attr}` is read, not called: the assertion never runs (add `()`)"
    # The fix for the `assert` form would leave `assert None`; only the statement form gets one. Calling a
    # name that is no mock assertion (`assert_called_`, mid-edit or a typo) would only trade this for SEC802.
    fixable = isinstance(node, ast.Expr) and value.attr in ASSERTIONS
    return (ctx.report(RULE, value, message, fix=fixable, fix_safe=False, data={"name": value.attr}),)


RULE = Rule(
    code="SEC806", name="mock-assertion-not-called", category=CATEGORY, severity=Severity.ERROR,
    docs=DOCS, nodes=(ast.Expr, ast.Assert), check=check, fix_title="Call the assertion",
)
