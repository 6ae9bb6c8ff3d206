"""SEC401 except-pass: an exception handler that does nothing."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.error_handling.common import CATEGORY, broad_name, header, only_passes

DOCS = """\
# SEC401 except-pass

## What it finds

An `except` clause whose body is only `pass`, `...` or `continue`. A warning when the clause
catches everything (`except:`, `except Exception`, `except BaseException`), information when it
names specific exceptions.

## Why it matters

A handler that does nothing hides every failure it catches: a permission error, a failed
signature check or a broken connection looks like success, and nobody learns that the code
path failed. Broad handlers hide bugs as well as the expected error.

## Example

```python
try:
    verify_signature(payload)
except Exception:
    pass          # SEC401: a bad signature is silently accepted
```

## Fix

Catch only the exception you expect, and say why it is safe to ignore it — or log it:

```python
try:
    os.remove(path)
except FileNotFoundError:
    pass  # already gone
```

Cross-references: bandit B110, B112; ruff S110, S112; CWE-703.
"""


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report handlers whose body does nothing."""
    assert isinstance(node, ast.ExceptHandler)
    what = only_passes(node.body)
    if what is None:
        return
    broad = broad_name(node, ctx)
    if broad is None:
        yield ctx.report(RULE, header(node), f"`except ...: {what}` ignores the exception; say why or handle it",
                         severity=Severity.INFO)
        return
    caught = "every exception" if broad == "bare" else f"every `{broad}`"
    yield ctx.report(RULE, header(node), f"`{what}` in a handler of {caught}: failures are silently ignored")


RULE = Rule(
    code="SEC401", name="except-pass", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.ExceptHandler,), check=check, bandit=("B110", "B112"), ruff=("S110", "S112"), cwe=("CWE-703",),
)
