"""SEC605 timing-unsafe-compare: `==` between secrets, digests or signatures."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.execution_flow.common import CATEGORY, secret_noun
from secls.rules.helpers import terminal_name

DOCS = """\
# SEC605 timing-unsafe-compare

## What it finds

`a == b` or `a != b` where one side is named as a secret, token, signature, digest, HMAC, nonce or
password (hash) — by its last word, so `auth_token` and `expected_signature` count while
`token_count` does not — or is a `.digest()`/`.hexdigest()` call, and neither side is a literal
(`token == ""` and `sig != None` are emptiness checks, not comparisons of secrets).

## Why it matters

`==` on strings and bytes stops at the first differing character, so its running time tells an
attacker how much of a guessed signature or token is right; byte by byte, a valid one can be
recovered.

## Example

```python
expected = hmac.new(key, body, hashlib.sha256).hexdigest()
if signature == expected:          # SEC605
    accept(body)
```

## Fix

Compare in constant time with `hmac.compare_digest(a, b)` (the quick fix, which adds
`import hmac`). It changes behaviour at the edges: both sides must be `str` (ASCII) or both
bytes-like, else it raises `TypeError`.

Cross-references: CWE-208.
"""

_DIGEST_CALLS = frozenset({"digest", "hexdigest"})


def _secret(node: ast.expr) -> str | None:
    """What makes an operand a secret (its noun), else None."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _DIGEST_CALLS:
            return "digest"
        return None
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        return secret_noun(terminal_name(node))
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report equality comparisons of secrets."""
    assert isinstance(node, ast.Compare)
    if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
        return
    left, right = node.left, node.comparators[0]
    if isinstance(left, ast.Constant) or isinstance(right, ast.Constant):
        return
    noun = _secret(left) or _secret(right)
    if noun is None:
        return
    fixable = isinstance(left, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))
    yield ctx.report(RULE, node, f"`{'==' if isinstance(node.ops[0], ast.Eq) else '!='}` on a {noun} leaks, "
                                 "through its timing, how much of it matched; use `hmac.compare_digest`",
                     fix=fixable, fix_safe=False, data={"op": type(node.ops[0]).__name__})


RULE = Rule(
    code="SEC605", name="timing-unsafe-compare", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Compare,), check=check, cwe=("CWE-208",),
    fix_title="Compare with hmac.compare_digest (changes behaviour)",
)
