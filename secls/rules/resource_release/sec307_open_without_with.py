"""SEC307 open-without-with: outside tests, a file or socket opened into a local and not always closed."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import iter_own_nodes
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY

DOCS = """\
# SEC307 open-without-with

## What it finds

Outside test code: a file or socket (`open`, `io.open`, `codecs.open`, `socket.socket`,
`socket.create_connection`) opened into a local variable that is not closed on every path —
never closed at all, or closed only on the normal path while something in between can
raise — and that the function does not return or hand on.

## Why it matters

A handle that an exception skips past stays open until the garbage collector finds it:
long-running services run out of descriptors, files stay locked on Windows, and data
written but not flushed is lost. `with` closes on every path.

## Example

```python
def read_key(path):
    f = open(path)          # SEC307
    data = f.read()
    f.close()
    return data
```

## Fix

```python
def read_key(path):
    with open(path) as f:
        data = f.read()
    return data
```
"""

OPENERS = frozenset({"open", "builtins.open", "io.open", "codecs.open", "socket.socket",
                     "socket.create_connection"})


def _escapes(name: str, function: ast.AST) -> bool:
    for node in iter_own_nodes(function):
        value = None
        if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)):
            value = node.value
        elif isinstance(node, ast.Assign) and not all(isinstance(t, ast.Name) for t in node.targets):
            value = node.value
        elif isinstance(node, ast.Call) and not (isinstance(node.func, ast.Attribute)
                                                 and isinstance(node.func.value, ast.Name)
                                                 and node.func.value.id == name):
            if any(isinstance(a, ast.Name) and a.id == name for a in node.args) and not (
                    isinstance(node.func, ast.Name) and node.func.id in ("print", "len", "iter", "next")):
                return True  # handed to another callable that may keep it
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return True
        if value is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(value)):
            return True
    return False


def _close_state(name: str, function: ast.AST, open_stmt: ast.stmt) -> str:
    """'with' (closed by a with block or finally), 'plain' (closed, not on every path), or 'never'."""
    closed_plain = False
    for node in iter_own_nodes(function):
        if isinstance(node, ast.Try):
            for stmt in node.finalbody:
                if any(isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute) and c.func.attr == "close"
                       and isinstance(c.func.value, ast.Name) and c.func.value.id == name for c in ast.walk(stmt)):
                    return "with"
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(item.context_expr)):
                    return "with"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "close" \
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
            closed_plain = True
    return "plain" if closed_plain else "never"


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report local handles in non-test functions that are not closed on every path."""
    # A plain function for the common case (test code), a generator for the rest.
    if ctx.is_test_code():
        return ()
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    if ctx.is_test_path or node.name.startswith("test"):
        return ()
    return _check(node, ctx)


def _check(node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> Iterator[Finding]:
    for stmt in iter_own_nodes(node):
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Call) and ctx.call_name(stmt.value) in OPENERS):
            continue
        name = stmt.targets[0].id
        if _escapes(name, node):
            continue
        state = _close_state(name, node, stmt)
        if state == "with":
            continue
        how = "is never closed" if state == "never" else "is not closed if an exception is raised before `close()`"
        message = f"`{name}` = `{ast.unparse(stmt.value.func)}(...)` {how}; use a `with` block"
        yield ctx.report(RULE, stmt.value, message, fix=state == "plain", fix_safe=False,
                         data={"target": name, "closed": "1" if state == "plain" else "0"})


RULE = Rule(
    code="SEC307", name="open-without-with", category=CATEGORY, severity=Severity.INFO,
    docs=DOCS, nodes=(ast.FunctionDef, ast.AsyncFunctionDef), check=check, cwe=("CWE-772", "CWE-404"),
    fix_title="Rewrite to a with block",
)
