"""SEC603 assert-as-check: `assert` outside tests, removed under `python -O`."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.execution_flow.common import CATEGORY
from secls.rules.helpers import first_line

DOCS = """\
# SEC603 assert-as-check

## What it finds

`assert` statements outside test code. A warning when the condition reads names that sound like
an authorisation or validation check (`is_admin`, `has_permission`, `authenticated`, `valid`,
`allowed`, `owner`, `authorized`, `superuser`, `csrf`); information otherwise. Never reported in
test code (test files, TestCase classes, pytest tests and fixtures).

## Why it matters

Python removes `assert` statements when run with `-O` or `PYTHONOPTIMIZE`: a permission check
written as an assertion simply disappears in an optimised deployment.

## Example

```python
def delete_volume(context, volume):
    assert context.is_admin, "admin only"     # SEC603 (warning)
    volume.destroy()
```

## Fix

Raise an exception explicitly:

```python
    if not context.is_admin:
        raise PermissionDenied("admin only")
```

Cross-references: bandit B101; ruff S101; CWE-703.
"""

_CHECK_WORDS = re.compile(
    r"admin|permi|authori[sz]|authenticat|valid|allowed|owner|superuser|is_staff|csrf|privileg|(?<![a-z])can_|"
    r"has_perm|access|policy|role", re.IGNORECASE)


def _names(expression: ast.expr) -> Iterator[str]:
    for node in ast.walk(expression):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report asserts outside test code; warn when they look like an access check."""
    assert isinstance(node, ast.Assert)
    if ctx.is_test_code():
        return
    checked = next((n for n in _names(node.test) if _CHECK_WORDS.search(n)), None)
    if checked is not None:
        yield ctx.report(RULE, first_line(node, 6), f"`assert` on `{checked}` is removed under `python -O`: "
                                                    "the check disappears; raise an exception instead")
    else:
        yield ctx.report(RULE, first_line(node, 6), "`assert` is removed under `python -O`; do not rely on it "
                                                    "for checks", severity=Severity.INFO)


RULE = Rule(
    code="SEC603", name="assert-as-check", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Assert,), check=check, bandit=("B101",), ruff=("S101",), cwe=("CWE-703",),
)
