"""SEC403 broad-except-swallowed: `except Exception` that neither re-raises, logs, nor looks at the error."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.error_handling.common import CATEGORY, broad_name, header, only_passes

DOCS = """\
# SEC403 broad-except-swallowed

## What it finds

An `except Exception` or `except BaseException` clause (with or without `as e`) whose body
neither re-raises, nor logs (`logging`/`LOG.*`, `print`, `traceback`, `warnings.warn`), nor uses
the caught exception, nor fails or exits (`self.fail`, `sys.exit`, `abort`). Bodies that are only
`pass` are SEC401's.

## Why it matters

The handler turns every failure — including bugs and failed security checks — into a normal
result, and leaves no trace of what went wrong.

## Example

```python
try:
    user = authenticate(credentials)
except Exception:       # SEC403
    user = ANONYMOUS
```

## Fix

Catch the specific exceptions you expect, or log the error and re-raise it:

```python
except AuthenticationError:
    user = ANONYMOUS
except Exception:
    LOG.exception("authentication failed unexpectedly")
    raise
```

Cross-references: ruff BLE001; CWE-396, CWE-755.
"""

_HANDLES = frozenset({
    "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log", "print",
    "print_exc", "print_exception", "format_exc", "format_exception", "exc_info", "fail", "exit",
    "_exit", "abort", "skipTest", "reraise", "save_and_reraise_exception",
})


def _handles(handler: ast.ExceptHandler) -> bool:
    """Whether the body re-raises, logs, exits, or reads the caught exception."""
    todo: list[ast.AST] = list(handler.body)
    name = handler.name
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Raise, ast.Yield)):
            return True
        if isinstance(node, ast.Name) and node.id == name:
            return True
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if called in _HANDLES:
                return True
        if isinstance(node, ast.With) and any(isinstance(i.context_expr, ast.Call)
                                                and isinstance(i.context_expr.func, ast.Attribute)
                                                and i.context_expr.func.attr == "save_and_reraise_exception"
                                                for i in node.items):
            return True
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))
    return False


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report broad handlers that swallow the exception."""
    assert isinstance(node, ast.ExceptHandler)
    if node.type is None or only_passes(node.body) is not None:
        return
    broad = broad_name(node, ctx)
    if broad is None or broad == "bare" or _handles(node):
        return
    yield ctx.report(RULE, header(node), f"`except {broad}` swallows every failure: it neither re-raises, "
                                         "logs, nor uses the exception")


RULE = Rule(
    code="SEC403", name="broad-except-swallowed", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.ExceptHandler,), check=check, ruff=("BLE001",), cwe=("CWE-396", "CWE-755"),
)
