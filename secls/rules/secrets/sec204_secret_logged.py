"""SEC204 secret-logged: a secret-named value written to a log or printed."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.secrets.common import CATEGORY, is_secret_name

DOCS = """\
# SEC204 secret-logged

## What it finds

A variable or attribute named like a secret (`password`, `token`, `api_key`, ...) passed to a
logging call (`logging.info`, `LOG.debug`, `logger.error`, `log.exception`, ...) or `print`,
directly or inside an f-string, `%` or `.format` message.

## Why it matters

Logs are copied to aggregators, tickets and support bundles, and kept for a long time by people
who are not meant to see credentials. A token in a debug line leaks to everyone who can read the
logs (CWE-532).

## Example

```python
LOG.debug("connecting with token %s", token)   # SEC204
```

## Fix

Log that a secret is present, not its value (`"token set: %s", bool(token)`), or a masked form
(`token[:4] + "..."`). Cross-references: CWE-532.
"""

LOG_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"})
_SKIP_CALLS = frozenset({"len", "bool", "type", "id", "hash", "mask", "mask_password", "redact", "sha256", "md5"})


def _is_logging(call: ast.Call, ctx: ModuleContext) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == "print" and ctx.qualname(func) == "print"
    if not isinstance(func, ast.Attribute) or func.attr not in LOG_METHODS:
        return False
    receiver = func.value
    name = receiver.attr if isinstance(receiver, ast.Attribute) else receiver.id if isinstance(receiver, ast.Name) \
        else ""
    return "log" in name.lower() or (ctx.qualname(func) or "").startswith("logging.")


def _secret_names(node: ast.AST) -> Iterator[ast.AST]:
    """Secret-named Names/Attributes inside a logged expression (not inside calls that hide the value)."""
    todo = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.Name):
            if is_secret_name(current.id):
                yield current
            continue
        if isinstance(current, ast.Attribute):
            if is_secret_name(current.attr):
                yield current
            continue
        if isinstance(current, ast.Call):
            func = current.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("format", "str", "repr", "join"):
                todo.extend(current.args)
                todo.extend(k.value for k in current.keywords)
            continue
        if isinstance(current, (ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.Tuple, ast.List, ast.Dict)):
            todo.extend(c for c in ast.iter_child_nodes(current) if isinstance(c, ast.expr))


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report secret-named values written to logs or printed."""
    assert isinstance(node, ast.Call)
    if not node.args or not _is_logging(node, ctx):
        return
    for arg in [*node.args, *(k.value for k in node.keywords if k.arg not in ("exc_info", "extra"))]:
        for found in _secret_names(arg):
            name = found.id if isinstance(found, ast.Name) else found.attr  # type: ignore[attr-defined]
            yield ctx.report(RULE, found, f"`{name}` is written to the log: log that it is set, not its value")
            return


RULE = Rule(
    code="SEC204", name="secret-logged", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Call,), check=check, calls=LOG_METHODS | {"print"}, cwe=("CWE-532",),
)
