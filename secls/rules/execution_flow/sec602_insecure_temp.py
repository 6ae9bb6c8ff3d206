"""SEC602 insecure-temp: `tempfile.mktemp` and hard-coded shared temporary paths."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.execution_flow.common import CATEGORY
from secls.rules.helpers import called_name, calls_named, is_test_code_at, mentions, scoped_nodes

DOCS = """\
# SEC602 insecure-temp

## What it finds

Calls of `tempfile.mktemp` (however imported), and string literals that are paths in the shared
temporary folders `/tmp`, `/var/tmp` and `/dev/shm`. Hard-coded paths are information in test
code, where they are usually fake values that never touch the disk.

## Why it matters

`mktemp` returns a name that does not exist yet; another user can create it first (a symlink to
a file of yours) before you open it. A fixed path in a world-writable folder has the same
problem, and collides between concurrent runs.

## Example

```python
path = tempfile.mktemp()          # SEC602
with open("/tmp/report.csv", "w") as f:   # SEC602
    ...
```

## Fix

Create the file atomically and let the library pick the name: `tempfile.mkstemp()`,
`tempfile.NamedTemporaryFile()`, `tempfile.mkdtemp()` / `TemporaryDirectory()`. Replacing
`mktemp` needs a human (the callers expect a name, not an open file), so there is no quick fix.

Cross-references: bandit B306, B108; ruff S306, S108; CWE-377.
"""

_PREFIXES = ("/tmp", "/var/tmp", "/dev/shm")


def _shared_temp_path(value: str) -> bool:
    """`/tmp`, `/tmp/x`, `/var/tmp/...`, not `/tmpfs` or `/tmp_dir`."""
    for prefix in _PREFIXES:
        if value.startswith(prefix) and (len(value) == len(prefix) or value[len(prefix)] == "/"):
            return True
    return False


def _mktemp(node: ast.Call, ctx: ModuleContext) -> Finding | None:
    if called_name(node, ctx.imports.aliases) == "mktemp" and ctx.call_name(node) == "tempfile.mktemp":
        return ctx.report(RULE, node, "`tempfile.mktemp` returns a name another process can take first; "
                                      "use `mkstemp`, `NamedTemporaryFile` or `mkdtemp`")
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report mktemp calls and hard-coded shared temporary paths (only in modules that mention them)."""
    for call, _ in calls_named(ctx, ("mktemp",)):
        finding = _mktemp(call, ctx)
        if finding is not None:
            yield finding
    if not mentions(ctx, _PREFIXES):
        return
    for found, stack in scoped_nodes(ctx.tree, (ast.Constant,)):
        value = found.value  # type: ignore[attr-defined]
        if type(value) is str and value.startswith(_PREFIXES) and _shared_temp_path(value):
            severity = Severity.INFO if is_test_code_at(ctx, stack) else None
            shown = value if len(value) <= 40 else value[:37] + "..."
            yield ctx.report(RULE, found, f"hard-coded path `{shown}` in a world-writable temporary folder; "
                                          "use `tempfile`", severity=severity)


RULE = Rule(
    code="SEC602", name="insecure-temp", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B306", "B108"), ruff=("S306", "S108"), cwe=("CWE-377",),
)
