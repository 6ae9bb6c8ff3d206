"""SEC707 no-timeout: HTTP requests that can wait forever."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY, HTTP_VERBS
from secls.rules.base import Rule
from secls.config import Config
from secls.rules.helpers import called_name, calls_named, has_star_kwargs, is_constant, keyword

DOCS = """\
# SEC707 no-timeout

## What it finds

`requests.get/post/put/patch/delete/head/options/request` without `timeout=` or with
`timeout=None`, and `httpx` calls and clients with `timeout=None` (httpx has a default timeout of
five seconds, so leaving it out is fine). Calls that pass `**kwargs` are not reported.

## Why it matters

Without a timeout a request waits for ever on a server that accepts the connection and never
answers: one slow or malicious peer ties up a worker, and a few of them take the service down.

## Example

```python
resp = requests.get(url)                # SEC707
```

## Fix

Pass a timeout: `requests.get(url, timeout=10)`. The quick fix adds `timeout=` with the
configured default (the `request-timeout` setting, 10 seconds when not set); it changes behaviour, since slow responses now
raise `Timeout`.

Cross-references: bandit B113; ruff S113; CWE-400, CWE-1088.
"""

_HTTPX = HTTP_VERBS | {"stream", "Client", "AsyncClient"}
DEFAULT_TIMEOUT = 10


def timeout_text(config: Config | None) -> str:
    """The timeout the fix writes: the `request-timeout` setting, else 10 seconds."""
    value = getattr(config, "request_timeout", None) or DEFAULT_TIMEOUT
    return str(int(value)) if float(value).is_integer() else str(value)


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report requests without a timeout and explicit `timeout=None`."""
    for call, _ in calls_named(ctx, _HTTPX):
        yield from _check_call(call, ctx)


def _check_call(node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
    name = called_name(node, ctx.imports.aliases) or ""
    qualified = ctx.call_name(node) or ""
    library = qualified.partition(".")[0]
    if library not in ("requests", "httpx") or qualified.count(".") > 2 or has_star_kwargs(node):
        return
    if library == "requests" and (name not in HTTP_VERBS or qualified not in (f"requests.{name}",
                                                                              f"requests.api.{name}")):
        return
    fix = f"Add timeout={timeout_text(ctx.config)} (changes behaviour)"
    given = keyword(node, "timeout")
    if given is not None:
        if is_constant(given.value, None):
            yield ctx.report(RULE, given, f"`{qualified}` with `timeout=None` can wait for ever",
                             fix=fix.replace("Add", "Set"), fix_safe=False, data={"kind": "none"})
        return
    if library == "requests":
        yield ctx.report(RULE, node, f"`{qualified}` without `timeout=` can wait for ever on a silent server",
                         fix=fix, fix_safe=False, data={"kind": "missing"})


RULE = Rule(
    code="SEC707", name="no-timeout", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B113",), ruff=("S113",), cwe=("CWE-400", "CWE-1088"),
    fix_title="Add timeout= (changes behaviour)",
)
