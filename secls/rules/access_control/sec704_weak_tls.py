"""SEC704 weak-tls: SSL 2/3 and TLS 1.0/1.1 protocol versions, and `ssl.wrap_socket`."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY
from secls.rules.base import Rule
from secls.rules.helpers import mentions, scoped_nodes

DOCS = """\
# SEC704 weak-tls

## What it finds

References to broken protocol versions — `ssl.PROTOCOL_SSLv2`, `PROTOCOL_SSLv3`, `PROTOCOL_TLSv1`,
`PROTOCOL_TLSv1_1`, pyOpenSSL's `SSL.SSLv2_METHOD`, `SSLv3_METHOD`, `SSLv23_METHOD`, `TLSv1_METHOD`,
`TLSv1_1_METHOD` — wherever they appear (a call argument, a default parameter value), and calls of
`ssl.wrap_socket`, which picks no safe defaults and was removed in Python 3.12.

## Why it matters

SSL 2 and 3 and TLS 1.0 and 1.1 have practical attacks (POODLE, BEAST, DROWN): a connection that
can use them can be downgraded and decrypted.

## Example

```python
ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)      # SEC704
sock = ssl.wrap_socket(raw)                   # SEC704
```

## Fix

Use `ssl.create_default_context()` (client) or `ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)`, and set
`minimum_version = ssl.TLSVersion.TLSv1_2`; wrap sockets with `context.wrap_socket(...)`.

Cross-references: bandit B502, B503, B504; ruff S502, S503, S504; CWE-326, CWE-327.
"""

_WEAK = frozenset({"PROTOCOL_SSLv2", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1", "PROTOCOL_TLSv1_1", "SSLv2_METHOD",
                   "SSLv3_METHOD", "SSLv23_METHOD", "TLSv1_METHOD", "TLSv1_1_METHOD"})
_MODULES = ("ssl", "OpenSSL.SSL")
_GATE = ("SSLv", "TLSv1", "wrap_socket")


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report weak protocol constants and `ssl.wrap_socket` calls (only in modules that mention them)."""
    if not mentions(ctx, _GATE):
        return
    for found, _ in scoped_nodes(ctx.tree, (ast.Attribute, ast.Name)):
        yield from _check_name(found, ctx)


def _check_name(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    name = node.attr if isinstance(node, ast.Attribute) else node.id  # type: ignore[attr-defined]
    if name == "wrap_socket":
        if ctx.qualname(node) == "ssl.wrap_socket":
            yield ctx.report(RULE, node, "`ssl.wrap_socket` has no safe defaults (and is gone in Python 3.12); "
                                         "use `ssl.create_default_context().wrap_socket`")
        return
    if name not in _WEAK:
        return
    qualified = ctx.qualname(node) or ""
    module = qualified.rpartition(".")[0]
    if module in _MODULES or module.endswith(".SSL") or module == "":
        yield ctx.report(RULE, node, f"`{name}` selects a broken protocol version; require TLS 1.2 or later")


RULE = Rule(
    code="SEC704", name="weak-tls", category=CATEGORY, severity=Severity.ERROR, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B502", "B503", "B504"),
    ruff=("S502", "S503", "S504"), cwe=("CWE-326", "CWE-327"),
)
