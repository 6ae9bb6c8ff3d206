"""SEC103 sql-injection: SQL built from non-literals."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import CATEGORY, argument, called, how_built, is_format_call, resolve

DOCS = """\
# SEC103 sql-injection

## What it finds

SQL built with an f-string, `%`, `+` or `.format` from non-literals: passed to `execute`,
`executemany`, `executescript`, Django's `raw`/`extra`/`RawSQL`, SQLAlchemy's `text` (directly or
through a local variable), or any built string that reads as SQL (`SELECT ... FROM`,
`INSERT INTO`, `UPDATE ... SET`, `DELETE FROM`). Placeholders with a parameter tuple and constant
SQL are not reported.

## Why it matters

A value spliced into SQL text can close the quote and append its own clauses
(`' OR '1'='1`), reading or changing any row the connection can reach (CWE-89).

## Example

```python
cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")   # SEC103
```

## Fix

Let the driver bind the values: `cursor.execute("SELECT * FROM users WHERE name = %s", (name,))`
(the placeholder style depends on the driver: `%s`, `?`, `:name`). Table and column names cannot be
bound; choose them from a fixed allow-list. Cross-references: bandit B608, B610, B611; ruff S608,
S610, S611; CWE-89.
"""

SINK_METHODS = frozenset({"execute", "executemany", "executescript", "raw", "extra", "RawSQL", "text",
                          "mogrify"})
_SINK_FUNCTIONS = frozenset({"django.db.models.expressions.RawSQL", "django.db.models.RawSQL",
                             "sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text"})
_SQL = re.compile(r"\b(?:select\s.+?\sfrom|delete\s+from|insert\s+into|update\s.+?\sset|replace\s+into)\b",
                  re.IGNORECASE | re.DOTALL)
_SQL_START = re.compile(r"\s*(?:select|delete|insert|update|replace|with)\b", re.IGNORECASE)
NODES: tuple[type[ast.AST], ...] = (ast.Call, ast.BinOp, ast.JoinedStr)


def _string_parts(node: ast.AST) -> list[str]:
    """The literal text of a built string (f-string parts, the operands of `+`, the `%` template)."""
    parts: list[str] = []
    todo = [node]
    while todo:  # a loop, not recursion: `a + a + ... + a` nests as deep as it is long
        node = todo.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            parts += [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            todo.append(node.left)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            todo += (node.right, node.left)
        elif is_format_call(node):
            todo.append(node.func.value)  # type: ignore[attr-defined]
    return parts


def anchor(node: ast.AST) -> ast.AST:
    """Where to report a built string: its leftmost literal, so nested `+` chains report once."""
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        node = node.left
    return node


def looks_like_sql(node: ast.AST) -> bool:
    """Whether the literal parts of a built string read as a SQL statement."""
    parts = _string_parts(node)
    if not parts or not _SQL_START.match(parts[0]) and not any(_SQL_START.match(p) for p in parts[:2]):
        return False
    return bool(_SQL.search(" ".join(parts)))


def sql_argument(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The SQL argument of a query-running call."""
    func = call.func
    short = called(call, ctx)
    if short not in SINK_METHODS:
        return None
    if short in ("text", "RawSQL") and ctx.call_name(call) not in _SINK_FUNCTIONS:
        return None
    if short in ("raw", "extra", "execute", "executemany", "executescript", "mogrify") \
            and not isinstance(func, ast.Attribute):
        return None
    if short == "extra":
        for name in ("where", "select", "tables", "order_by"):
            kw = argument(call, 99, name)
            if kw is not None and _built_inside(kw):
                return kw
        return argument(call, 1, "where") if call.args else None
    return argument(call, 0, "sql")


def _built_inside(node: ast.expr) -> bool:
    """A display (Django's `extra(select={...}, where=[...])`) holding a built string."""
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return any(_built_inside(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return any(_built_inside(v) for v in node.values)
    return how_built(node) is not None


def sink_argument(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The SQL argument of a query-running call (for SEC109)."""
    return sql_argument(call, ctx)


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report SQL built from non-literals, at a query call or where it is built."""
    if isinstance(node, ast.Call):
        if is_format_call(node):
            if looks_like_sql(node) and how_built(node):
                yield ctx.report(RULE, anchor(node), "SQL built with `.format`: bind values as query parameters")
            return
        sql = sql_argument(node, ctx)
        if sql is None:
            return
        if isinstance(sql, (ast.List, ast.Tuple, ast.Dict, ast.Set)):
            inner = [v for v in ast.walk(sql) if isinstance(v, ast.expr) and v is not sql and how_built(v)]
            for value in inner[:1]:
                yield ctx.report(RULE, anchor(value), f"SQL built with {how_built(value)} is passed to "
                                                      f"`{_short(node)}`: bind values as query parameters")
            return
        how = how_built(sql)
        if how:
            yield ctx.report(RULE, anchor(sql), f"SQL built with {how} is passed to `{_short(node)}`: "
                                                "bind values as query parameters")
            return
        value, kind = resolve(sql, ctx)
        how = how_built(value) if kind == "assigned" else None
        if how and isinstance(sql, ast.Name) and value is not None:
            yield ctx.report(RULE, sql, f"`{sql.id}` holds SQL built with {how} and is passed to `{_short(node)}`: "
                                        "bind values as query parameters", related=((value, "built here"),))
        return
    if isinstance(node, ast.BinOp):
        if not isinstance(node.op, (ast.Mod, ast.Add)) or not how_built(node):
            return
    elif isinstance(node, ast.JoinedStr):
        if not how_built(node):
            return
    if looks_like_sql(node):
        how = how_built(node)
        yield ctx.report(RULE, anchor(node), f"SQL built with {how}: bind values as query parameters")


def _short(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "?")


RULE = Rule(
    code="SEC103", name="sql-injection", category=CATEGORY, severity=Severity.ERROR, docs=DOCS, nodes=NODES,
    check=check, calls=SINK_METHODS | {"format"}, bandit=("B608", "B610", "B611"), ruff=("S608", "S610", "S611"), cwe=("CWE-89",),
)
