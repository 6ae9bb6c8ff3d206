"""SEC606 insecure-random: `random` making a token, password, key, salt, nonce or session id."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import parents_within
from secls.rules.base import Rule
from secls.rules.execution_flow.common import CATEGORY, secret_noun
from secls.rules.helpers import called_name, calls_named, terminal_name, visiting, words

DOCS = """\
# SEC606 insecure-random

## What it finds

A `random` module function (`random`, `randint`, `randrange`, `choice`, `choices`, `sample`,
`getrandbits`, `randbytes`, `uniform`, ...) whose value makes a secret: assigned to a name whose
last word says token, password, salt, nonce, OTP, PIN, session id or a kind of key (`api_key`,
`secret_key`), passed as such a keyword, stored under such a dictionary key, or returned by a
function so named (`generate_password`) — also through `"".join(...)`, f-strings and arithmetic.
Randomness for anything else (jitter, sampling, shuffling test data) is not reported.

## Why it matters

`random` is a Mersenne Twister: 624 outputs reveal its state, and with it every past and future
value. A token or password made from it can be predicted.

## Example

```python
reset_token = "".join(random.choice(ALPHABET) for _ in range(32))   # SEC606
```

## Fix

Use `secrets`: `secrets.token_hex()`, `secrets.token_urlsafe()`, `secrets.choice(...)`,
`secrets.randbits(k)`, `secrets.randbelow(n)`. The quick fix swaps `random.choice` → `secrets.choice`,
`getrandbits` → `secrets.randbits`, `randbytes` → `secrets.token_bytes` and a one-argument
`randrange` → `secrets.randbelow`, adding `import secrets`; the values are no longer reproducible
with `random.seed`, nothing else changes.

Cross-references: bandit B311; ruff S311; CWE-330, CWE-338.
"""

_FUNCTIONS = frozenset({"random", "randint", "randrange", "choice", "choices", "sample", "getrandbits",
                        "randbytes", "uniform", "triangular", "gauss", "shuffle"})
_SECRETS = {"choice": "choice", "getrandbits": "randbits", "randbytes": "token_bytes", "randrange": "randbelow"}
# Expressions a random value passes through on its way to the name that says what it is.
_CARRIERS = (ast.Call, ast.GeneratorExp, ast.ListComp, ast.comprehension, ast.BinOp, ast.JoinedStr,
             ast.FormattedValue, ast.Attribute, ast.Subscript, ast.List, ast.Tuple, ast.Starred, ast.UnaryOp)


def _secret_name(name: str | None, function: str) -> str | None:
    noun = secret_noun(name)
    if noun is None and name and function in ("getrandbits", "randbytes") and words(name)[-1:] == ("key",):
        return "key"
    return noun


def _use(call: ast.Call, ctx: ModuleContext, function: str) -> tuple[str, str] | None:
    """(what the value becomes, the name saying so) by the first name up the expression, else None."""
    scope = ctx.stack[-1] if ctx.stack else ctx.tree
    parents = parents_within(scope)
    child: ast.AST = call
    parent = parents.get(id(child))
    while parent is not None:
        if isinstance(parent, ast.keyword):
            noun = _secret_name(parent.arg, function)
            return (noun, str(parent.arg)) if noun else None  # `length=random.randint(...)` is a length
        elif isinstance(parent, ast.Dict):
            for key, value in zip(parent.keys, parent.values):
                if value is child and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    noun = _secret_name(key.value, function)
                    return (noun, key.value) if noun else None
            return None
        elif isinstance(parent, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                name = terminal_name(target)
                noun = _secret_name(name, function)
                if noun:
                    return noun, str(name)
            return None
        elif isinstance(parent, ast.Return):
            owner = ctx.enclosing_function()
            noun = _secret_name(owner.name, function) if owner is not None else None
            return (noun, f"{owner.name}()") if noun and owner is not None else None
        elif not isinstance(parent, (*_CARRIERS, ast.keyword)):
            return None
        child, parent = parent, parents.get(id(parent))
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report random values that become secrets."""
    for call, stack in calls_named(ctx, _FUNCTIONS):
        with visiting(ctx, stack):
            yield from _check_call(call, ctx)


def _check_call(node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
    func = node.func
    name = called_name(node, ctx.imports.aliases) or ""
    qualified = ctx.call_name(node)
    if qualified is None or qualified.rpartition(".")[0] != "random":
        return
    use = _use(node, ctx, name)
    if use is None:
        return
    noun, where = use
    replacement = _SECRETS.get(name)
    if name == "randrange" and (len(node.args) != 1 or node.keywords):
        replacement = None
    spelled = ast.unparse(func)
    yield ctx.report(RULE, node, f"`{spelled}` makes `{where}` ({noun}): `random` is predictable; use `secrets`",
                     fix=f"Use secrets.{replacement} (safe)" if replacement else False, fix_safe=True,
                     data={"spelled": spelled, "replacement": replacement or ""})


RULE = Rule(
    code="SEC606", name="insecure-random", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B311",), ruff=("S311",), cwe=("CWE-330", "CWE-338"),
    fix_title="Use secrets instead of random (safe)",
)
