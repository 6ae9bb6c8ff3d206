"""SEC301 patch-not-stopped: a patcher started and never stopped."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY, NODES, lifecycles, registrar, where

DOCS = """\
# SEC301 patch-not-stopped

## What it finds

A mock patcher started with `p.start()` (or `patch(...).start()`) in `setUp`, `setUpClass`, a
test, a helper or a fixture, and never stopped: no `addCleanup(p.stop)`, no `p.stop()` in
`tearDown`, no `mock.patch.stopall` registered by the class or a base class (oslotest's
`BaseTestCase` registers one), no `enterContext`/`with`.

## Why it matters

`start()` puts the patcher on `mock`'s process-global list of active patches. Until it is
stopped the patch stays in force for every later test in the process: tests pass or fail
depending on their order, and a patched-out security control (a policy check, a signature
verification) stays patched out for tests that meant to exercise it. A stop in `tearDown`
is not enough either: when `setUp` raises after the start, `tearDown` never runs.

## Example

```python
class TestVolume(testtools.TestCase):
    def setUp(self):
        super().setUp()
        self.patcher = mock.patch("cinder.volume.api.policy.enforce")
        self.enforce = self.patcher.start()   # SEC301: never stopped
```

## Fix

Register the stop right after the start; cleanups run even when `setUp` fails:

```python
        self.patcher = mock.patch("cinder.volume.api.policy.enforce")
        self.enforce = self.patcher.start()
        self.addCleanup(self.patcher.stop)
```

In `setUpClass` use `cls.addClassCleanup(cls.patcher.stop)`. For the chained form
`patch(...).start()`, bind the patcher first, or on Python 3.11+ write
`self.enterContext(patch(...))`. Cross-references: CWE-404, CWE-772.
"""


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report started patchers that nothing stops."""
    for life in lifecycles(node, ctx):
        facts = life.facts
        for acq in life.unreleased({"patcher"}):
            unknown = facts is not None and facts.stopall is None
            what = f"patcher `{acq.patcher}`" if acq.patcher else f"`{acq.description}`"
            reg = registrar(acq)
            if unknown:
                bases = ", ".join(f"`{b}`" for b in facts.unresolved[:2]) if facts else ""
                message = (f"{what} started {where(acq)} is never stopped here; base {bases} "
                           "could not be resolved, so it may register `mock.patch.stopall`")
                severity = Severity.HINT
            else:
                message = (f"{what} started {where(acq)} is never stopped: the patch stays active "
                           f"for later tests (add `{reg or 'addCleanup'}({acq.patcher or 'patcher'}.stop)`)")
                severity = None
            data = {"patcher": acq.patcher or "", "registrar": reg, "result": acq.result or ""}
            yield ctx.report(RULE, acq.node, message, severity=severity, fix=bool(reg), data=data)


RULE = Rule(
    code="SEC301", name="patch-not-stopped", category=CATEGORY, severity=Severity.WARNING,
    docs=DOCS, nodes=NODES, check=check, cwe=("CWE-404", "CWE-772"),
    fix_title="Stop the patcher with addCleanup",
)
