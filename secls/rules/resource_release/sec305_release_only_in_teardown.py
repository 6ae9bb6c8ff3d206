"""SEC305 release-only-in-teardown: released in tearDown only, while setUp can still fail after it."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY, lifecycles, registrar

DOCS = """\
# SEC305 release-only-in-teardown

## What it finds

Something acquired in `setUp`/`setUpClass` and released only in `tearDown`/`tearDownClass`,
while a later statement of the same `setUp` can raise. Patchers are not reported when a base
class registers `mock.patch.stopall`, nor directories under `fixtures.NestedTempfile`.

## Why it matters

When `setUp` raises, unittest, testtools and Twisted skip `tearDown`, but they do run the
cleanups registered with `addCleanup`. A release that lives only in `tearDown` is skipped
exactly when setUp fails half-way, and the leak then shows up in unrelated tests.

## Example

```python
    def setUp(self):
        self.patcher = mock.patch("app.clock")
        self.patcher.start()
        self.server = make_server()      # may raise: tearDown will not run

    def tearDown(self):
        self.patcher.stop()
```

## Fix

Register the release right after the acquisition and drop it from `tearDown`:

```python
        self.patcher.start()
        self.addCleanup(self.patcher.stop)
```
"""


def _later_call(acq_statement: ast.stmt, function: ast.AST) -> ast.AST | None:
    """The first call after the acquisition's statement in the same function (something that can raise)."""
    after = False
    for statement in getattr(function, "body", []):
        if after:
            for node in ast.walk(statement):
                if isinstance(node, (ast.Call, ast.Raise, ast.Assert, ast.Subscript)):
                    return node
        if statement is acq_statement or any(n is acq_statement for n in ast.walk(statement)):
            after = True
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report tearDown-only releases of setUp acquisitions followed by fallible statements."""
    for life in lifecycles(node, ctx):
        for acq in life.acquisitions:
            if acq.released_by != "tearDown" or acq.role not in ("setUp", "setUpClass") or acq.method is None:
                continue
            facts = life.facts
            if facts is not None and ((acq.kind == "patcher" and facts.stopall is True) or (
                    acq.kind == "tempdir" and facts.nested_tempfile is True)):
                continue  # a backstop in the base releases it even when setUp fails
            later = _later_call(acq.statement, acq.method)
            if later is None:
                continue
            what = acq.patcher or acq.spelled or acq.description
            message = (f"`{what}` is released only in tearDown, but line {later.lineno} of {acq.method.name} "
                       "can still raise, and then tearDown does not run; register the release with "
                       f"`{registrar(acq) or 'addCleanup'}` right after acquiring it")
            yield ctx.report(RULE, acq.node, message, related=((later, "this can raise before tearDown is armed"),))


RULE = Rule(
    code="SEC305", name="release-only-in-teardown", category=CATEGORY, severity=Severity.HINT,
    docs=DOCS, nodes=(ast.ClassDef,), check=check, cwe=("CWE-404",),
)
