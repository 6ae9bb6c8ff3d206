"""SEC308 cleanup-stops-mock: `addCleanup(m.stop)` where `m` is the mock that start() returned."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY, NODES, lifecycles

DOCS = """\
# SEC308 cleanup-stops-mock

## What it finds

`m = p.start()` followed by `self.addCleanup(m.stop)` or `m.stop()`. `start()` returns the
MagicMock that replaces the target, not the patcher, so `m.stop` is an auto-created child
mock: calling it does nothing and the patch is never stopped.

## Why it matters

The code looks released, so reviewers and tools stop looking, while the patch stays active
for every later test in the process. nova's own tests contain this mistake.

## Example

```python
        self.mock_get = mock.patch("nova.utils.get_thing").start()
        self.addCleanup(self.mock_get.stop)     # SEC308: stops nothing
```

## Fix

Keep the patcher and stop that:

```python
        patcher = mock.patch("nova.utils.get_thing")
        self.mock_get = patcher.start()
        self.addCleanup(patcher.stop)
```
"""


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report stop calls and cleanups aimed at the mock returned by start()."""
    for life in lifecycles(node, ctx):
        for site in life.releases:
            if site.verb != "stop" or site.key not in life.start_results:
                continue
            acq = life.start_results[site.key]
            target = _stop_expression(site.node)
            if target is None:
                continue
            message = (f"`{ast.unparse(target)}` stops nothing: `{acq.result}` is the mock returned by "
                       f"`start()`, not the patcher" + (f"; use `{acq.patcher}.stop`" if acq.patcher else ""))
            data = {"patcher": acq.patcher or "", "mock": acq.result or ""}
            yield ctx.report(RULE, target, message, fix=True, data=data)


def _stop_expression(node: ast.AST) -> ast.AST | None:
    """The `m.stop` attribute inside a cleanup registration or a direct `m.stop()` call."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr == "stop":
            return sub
    return None


RULE = Rule(
    code="SEC308", name="cleanup-stops-mock", category=CATEGORY, severity=Severity.ERROR,
    docs=DOCS, nodes=NODES, check=check, cwe=("CWE-404",),
    fix_title="Stop the patcher, not the mock",
)
