"""SEC706 debug-enabled: Flask's debugger or Django's DEBUG switched on."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY
from secls.rules.base import Rule
from secls.rules.helpers import calls_named, is_constant, keyword

DOCS = """\
# SEC706 debug-enabled

## What it finds

`app.run(debug=True)` (Flask and similar `run` methods) and `DEBUG = True` at module level of a
Django settings module (`settings.py`, or any module in a `settings/` folder).

## Why it matters

Werkzeug's debugger lets anyone who reaches the page run Python code on the server; Django's
debug pages show settings, source and environment to every visitor.

## Example

```python
app.run(host="127.0.0.1", debug=True)     # SEC706
DEBUG = True                               # SEC706 in settings.py
```

## Fix

Take the flag from the environment and default it to off: `debug=os.environ.get("FLASK_DEBUG") == "1"`,
`DEBUG = env.bool("DJANGO_DEBUG", default=False)`.

Cross-references: bandit B201; ruff S201; CWE-94, CWE-489.
"""


def _settings_module(ctx: ModuleContext) -> bool:
    path = ctx.path
    return path is not None and (path.name == "settings.py" or "settings" in path.parts[:-1])


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report debug modes switched on."""
    if _settings_module(ctx):
        for statement in ctx.tree.body:
            if isinstance(statement, ast.Assign) and is_constant(statement.value, True) and any(
                    isinstance(t, ast.Name) and t.id == "DEBUG" for t in statement.targets):
                yield ctx.report(RULE, statement, "`DEBUG = True` in a settings module shows settings and source "
                                                  "to visitors")
    for call, _ in calls_named(ctx, ("run",)):
        if not isinstance(call.func, ast.Attribute):
            continue
        flag = keyword(call, "debug")
        if flag is not None and is_constant(flag.value, True):
            yield ctx.report(RULE, flag, "`debug=True` starts an interactive debugger that runs code for anyone "
                                         "who can reach it")


RULE = Rule(
    code="SEC706", name="debug-enabled", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B201",), ruff=("S201",), cwe=("CWE-94", "CWE-489"),
)
