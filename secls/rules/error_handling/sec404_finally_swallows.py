"""SEC404 finally-swallows: `return`/`break`/`continue` in `finally` discards the exception in flight."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.error_handling.common import CATEGORY

DOCS = """\
# SEC404 finally-swallows

## What it finds

A `return`, `break` or `continue` inside a `finally` block (a `break`/`continue` of a loop that
is itself inside the `finally` is fine).

## Why it matters

Leaving a `finally` block with `return`, `break` or `continue` silently discards any exception
being propagated: a failed check, a `KeyboardInterrupt`, anything. Python 3.14 warns about it
(PEP 765).

## Example

```python
def is_allowed(user):
    try:
        return check_policy(user)
    finally:
        return True      # SEC404: a PolicyError becomes "allowed"
```

## Fix

Move the statement out of the `finally` block; keep only clean-up there.

Cross-references: ruff B012; CWE-584.
"""

_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _exits(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that leave the `finally` block: returns anywhere, break/continue outside inner loops."""
    todo: list[tuple[ast.AST, bool]] = [(s, False) for s in statements]
    while todo:
        node, in_loop = todo.pop()
        if isinstance(node, ast.Return) or (isinstance(node, (ast.Break, ast.Continue)) and not in_loop):
            yield node  # type: ignore[misc]
        elif isinstance(node, _SCOPES):
            continue
        elif isinstance(node, _LOOPS):
            todo.extend((child, True) for child in node.body)
            todo.extend((child, in_loop) for child in node.orelse)
        elif isinstance(node, ast.stmt):
            todo.extend((child, in_loop) for child in ast.iter_child_nodes(node) if isinstance(child, ast.stmt))
        for handler in getattr(node, "handlers", ()):
            todo.extend((child, in_loop) for child in handler.body)
        for case in getattr(node, "cases", ()):
            todo.extend((child, in_loop) for child in case.body)


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report statements that leave a `finally` block."""
    finalbody = getattr(node, "finalbody", None)
    if not finalbody:
        return
    for exit_node in sorted(_exits(finalbody), key=lambda n: (n.lineno, n.col_offset)):
        word = type(exit_node).__name__.lower()
        yield ctx.report(RULE, exit_node, f"`{word}` inside `finally` discards any exception being raised")


_TRY_STAR = (ast.TryStar,) if hasattr(ast, "TryStar") else ()

RULE = Rule(
    code="SEC404", name="finally-swallows", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Try, *_TRY_STAR), check=check, ruff=("B012",), cwe=("CWE-584",),
)
