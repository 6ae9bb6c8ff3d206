"""SEC203 high-entropy-string: random-looking literals that are probably keys."""

from __future__ import annotations

import ast

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import parents_within
from secls.rules.base import Rule
from secls.rules.secrets.common import (
    CATEGORY, credential_format, high_entropy, is_checksum_name, is_secret_name, string_value, target_name,
)

DOCS = """\
# SEC203 high-entropy-string

## What it finds

A string literal made only of hex or base64 characters whose Shannon entropy is above
detect-secrets' defaults (base64 4.5, hex 3.0 bits per character): from 20 characters when it is
given to a secret-named target (`key = "..."`, `token="..."`), from 32 characters anywhere.
UUIDs, hashes given to checksum-named targets (`sha256`, `digest`, `checksum`, `commit`), URLs
and paths are not reported.

## Why it matters

Keys and tokens are random strings; a long random literal in the source is usually one, even
when its name does not say so (CWE-798).

## Example

```python
SIGNING = "q9Xv2LmT8rKz4NwB7pYc1HdG6sJfE3uA0oRiV5eWtQn"   # SEC203
```

## Fix

Load the value at run time. If it is not a secret (a test vector, a known hash), give it a name
that says so or suppress the line with `# secls: ignore[SEC203]`. Cross-references: CWE-798.
"""


def _context_name(node: ast.AST, ctx: ModuleContext) -> str | None:
    """The name a literal is given to (assignment target, keyword, dict key, compared name), if any."""
    scope = ctx.stack[-1] if ctx.stack else ctx.tree
    parent = parents_within(scope).get(id(node))
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return next((n for n in map(target_name, targets) if n), None)
    if isinstance(parent, ast.keyword):
        return parent.arg
    if isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values):
            if value is node:
                return string_value(key)
    if isinstance(parent, ast.Compare):
        other = parent.left if parent.left is not node else parent.comparators[0]
        return target_name(other)
    return None


def check(node: ast.AST, ctx: ModuleContext) -> list[Finding] | tuple[()]:
    """Report high-entropy literals in a secret context, or long ones anywhere."""
    # A plain function, not a generator: it runs for every constant and almost always finds nothing.
    assert isinstance(node, ast.Constant)
    value = node.value
    if type(value) is not str or len(value) < 20 or len(value) > 1000 or value[0] in "/.~":
        return ()
    found = high_entropy(value)
    if found is None or credential_format(value) is not None:
        return ()
    name = _context_name(node, ctx)
    if name is not None and is_checksum_name(name):
        return ()
    secret_context = name is not None and is_secret_name(name)
    if len(value) < 32 and not secret_context:
        return ()
    kind, entropy = found
    where = f" given to `{name}`" if secret_context else ""
    return [ctx.report(RULE, node, f"high-entropy {kind} string{where} ({entropy:.1f} bits per character): "
                                   "likely a key or token")]


RULE = Rule(
    code="SEC203", name="high-entropy-string", category=CATEGORY, severity=Severity.INFO, docs=DOCS,
    nodes=(ast.Constant,), check=check, min_string=20, cwe=("CWE-798",),
)
