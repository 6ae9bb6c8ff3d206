"""SEC302 temp-not-removed: a temporary directory or file created and never removed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY, NODES, lifecycles, registrar, where

DOCS = """\
# SEC302 temp-not-removed

## What it finds

A temporary directory or file made in test code and never removed: `tempfile.mkdtemp()`
without `shutil.rmtree`, `mkstemp()` whose descriptor is never closed or whose path is never
unlinked, `NamedTemporaryFile(delete=False)` never unlinked, `TemporaryDirectory()` kept
without `.cleanup()`. A directory made under a `fixtures.NestedTempfile` (oslotest's base
installs one) or with an explicit `dir=` inside a managed directory is not reported.

## Why it matters

Every run leaves files behind in the shared temporary directory: disks fill on CI machines,
later tests can read stale data another test wrote, and files holding test credentials or
keys outlive the test. An `mkstemp` descriptor that is never closed leaks one fd per test.

## Example

```python
    def setUp(self):
        super().setUp()
        self.tmpdir = tempfile.mkdtemp()        # SEC302: never removed
```

## Fix

```python
        self.tmpdir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmpdir, ignore_errors=True)
```

`TemporaryDirectory()`: `self.addCleanup(td.cleanup)`; `mkstemp()`:
`self.addCleanup(os.close, fd)` and `self.addCleanup(os.unlink, path)`;
`NamedTemporaryFile(delete=False)`: `self.addCleanup(os.unlink, f.name)`. Better still, use
`self.useFixture(fixtures.TempDir())`. Cross-references: CWE-459.
"""

_KINDS = {"tempdir", "mkstemp", "tempfile", "tempdir_obj"}


def _problem(kind: str, needs: tuple[str, ...]) -> str:
    if kind == "mkstemp" and needs:
        parts = {"fd": "its file descriptor is never closed", "path": "its file is never removed"}
        return " and ".join(parts[n] for n in needs if n in parts)
    return {"tempdir": "is never removed", "tempdir_obj": "is never cleaned up",
            "tempfile": "(delete=False) is never unlinked"}.get(kind, "is never removed")


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report temporary files and directories that nothing removes."""
    for life in lifecycles(node, ctx):
        for acq in life.unreleased(_KINDS):
            reg = registrar(acq)
            target = acq.spelled or ""
            message = f"`{acq.description}` {where(acq)} {_problem(acq.kind, acq.needs)}"
            data = {"kind": acq.kind, "target": target, "registrar": reg, "needs": ",".join(acq.needs)}
            fixable = bool(reg and target)
            yield ctx.report(RULE, acq.node, message, fix=fixable, data=data)


RULE = Rule(
    code="SEC302", name="temp-not-removed", category=CATEGORY, severity=Severity.WARNING,
    docs=DOCS, nodes=NODES, check=check, cwe=("CWE-459",),
    fix_title="Remove it with addCleanup",
)
