"""SEC708 auth-disabled: JWT signatures not checked, CSRF protection off, any Host accepted."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY
from secls.rules.base import Rule
from secls.rules.helpers import calls_named, is_constant, mentions, scoped_nodes

DOCS = """\
# SEC708 auth-disabled

## What it finds

- `jwt.decode(...)` with `verify=False`, `options={"verify_signature": False}` or an `algorithms`
  list that contains `"none"`;
- views decorated with `@csrf_exempt`;
- `ALLOWED_HOSTS = ["*"]` (or a list containing `"*"`).

## Why it matters

A JWT whose signature is not verified is just JSON anyone can write: every claim, the user id and
the roles included. A CSRF-exempt view lets any web page a user visits make requests in their
name. Accepting any `Host` header enables cache poisoning and password-reset links to an
attacker's domain.

## Example

```python
claims = jwt.decode(token, options={"verify_signature": False})   # SEC708

@csrf_exempt                                                        # SEC708
def transfer(request): ...
```

## Fix

Decode with the key and an explicit algorithm list (`jwt.decode(token, key, algorithms=["RS256"])`),
keep CSRF protection (send the token from the client instead), and list the real host names.

Cross-references: CWE-347, CWE-352, CWE-287.
"""


def _jwt(node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
    for kw in node.keywords:
        if kw.arg == "verify" and is_constant(kw.value, False):
            yield ctx.report(RULE, kw, "`jwt.decode(verify=False)` accepts tokens with any signature")
        elif kw.arg == "options" and isinstance(kw.value, ast.Dict):
            for key, value in zip(kw.value.keys, kw.value.values):
                if is_constant(key, "verify_signature") and is_constant(value, False):
                    yield ctx.report(RULE, kw, "`verify_signature: False` accepts tokens with any signature")
        elif kw.arg == "algorithms" and isinstance(kw.value, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Constant) and str(e.value).lower() == "none" for e in kw.value.elts):
                yield ctx.report(RULE, kw, "algorithm `none` accepts unsigned tokens")


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report disabled token verification, CSRF exemptions and wildcard hosts."""
    for call, _ in calls_named(ctx, ("decode",)):
        if call.keywords and (ctx.call_name(call) or "").endswith("jwt.decode"):
            yield from _jwt(call, ctx)
    for statement in ctx.tree.body:  # settings are module-level assignments
        if isinstance(statement, ast.Assign) and isinstance(statement.value, (ast.List, ast.Tuple)) \
                and any(isinstance(t, ast.Name) and t.id == "ALLOWED_HOSTS" for t in statement.targets) \
                and any(is_constant(e, "*") for e in statement.value.elts):
            yield ctx.report(RULE, statement, "`ALLOWED_HOSTS` with `*` accepts any Host header")
    if not mentions(ctx, ("csrf_exempt",)):
        return
    for function, _ in scoped_nodes(ctx.tree, (ast.FunctionDef, ast.AsyncFunctionDef)):
        for deco in function.decorator_list:  # type: ignore[attr-defined]
            target = deco.func if isinstance(deco, ast.Call) else deco
            name = ctx.qualname(target) or ""
            if name.rpartition(".")[2] == "csrf_exempt":
                yield ctx.report(RULE, deco, f"`@csrf_exempt` turns CSRF protection off for "
                                             f"`{function.name}`")  # type: ignore[attr-defined]


RULE = Rule(
    code="SEC708", name="auth-disabled", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check,
    cwe=("CWE-347", "CWE-352", "CWE-287"),
)
