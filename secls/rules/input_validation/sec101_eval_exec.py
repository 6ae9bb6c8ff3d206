"""SEC101 eval-exec: `eval`, `exec` or `compile` of a non-literal."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import CALLS, CATEGORY, argument, is_string
from secls.rules.input_validation.taint import function_taint

DOCS = """\
# SEC101 eval-exec

## What it finds

Calls of the builtins `eval`, `exec` and `compile` with an argument that is not a string literal.
A literal argument is only a hint; an argument that derives from request data (flask or Django
`request`, `sys.argv`, `input()`) is an error.

## Why it matters

`eval` and `exec` run arbitrary Python: whoever controls the string controls the process. Data
that looks harmless (a number, a list from a config file) becomes code the moment it reaches
`eval` (CWE-95).

## Example

```python
def parse_limits(text):
    return eval(text)   # SEC101
```

## Fix

To read a Python literal (numbers, strings, lists, dicts), use `ast.literal_eval(text)`; the quick
fix makes that change, which rejects anything that is not a literal (it changes behaviour for
expressions). For anything else, parse the input with a real parser. Cross-references: bandit
B307, B102; ruff S307, S102; CWE-95.
"""

BUILTINS = frozenset({"eval", "exec", "compile"})
FIX_TITLE = "Use ast.literal_eval (changes behaviour)"


def sink_argument(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The code argument of an eval/exec/compile call."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    if name not in BUILTINS or ctx.qualname(func) not in (name, f"builtins.{name}"):
        return None
    return argument(call, 0, "source")


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report eval/exec/compile of non-literals."""
    assert isinstance(node, ast.Call)
    code = sink_argument(node, ctx)
    if code is None:
        return
    name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr  # type: ignore[union-attr]
    fixable = isinstance(node.func, ast.Name) and name == "eval" and len(node.args) == 1 and not node.keywords
    data = {"argument": ctx.source.segment(code)} if fixable else None
    if is_string(code):
        if not fixable or not _is_literal_text(code):
            yield ctx.report(RULE, node, f"`{name}` of a string literal: prefer plain code",
                             severity=Severity.HINT)
            return
        yield ctx.report(RULE, node, "`eval` of a literal: `ast.literal_eval` reads it without running code",
                         severity=Severity.HINT, fix=FIX_TITLE, fix_safe=False, data=data)
        return
    constant = _constant_string(code, ctx)
    if constant is not None:
        yield ctx.report(RULE, node, f"`{name}` of `{ctx.source.segment(code)}`, a constant string ({constant}): "
                                     "prefer plain code (getattr) to code in strings", severity=Severity.HINT)
        return
    flow = function_taint(ctx).of(code)
    if flow:
        message = f"`{name}` runs code built from request data ({flow[0].message.split(': ', 1)[-1]})"
        yield ctx.report(RULE, node, message, severity=Severity.ERROR, fix=FIX_TITLE if fixable else False,
                         fix_safe=False, data=data, related=tuple((s.node, s.message) for s in flow))
        return
    yield ctx.report(RULE, node, f"`{name}` of a non-literal runs whatever code it is given",
                     fix=FIX_TITLE if fixable else False, fix_safe=False, data=data)


def _constant_string(code: ast.expr, ctx: ModuleContext) -> str | None:
    """Where a name or `self.name` is bound, when that is only ever a string literal (module or class level)."""
    if isinstance(code, ast.Name):
        scopes: list[tuple[list[ast.stmt], str]] = [(ctx.tree.body, "module constant")]
        attr = code.id
    elif isinstance(code, ast.Attribute) and isinstance(code.value, ast.Name) and code.value.id in ("self", "cls"):
        cls = ctx.enclosing_class()
        scopes, attr, seen = [], code.attr, set()
        while cls is not None and cls.name not in seen:  # the class and its bases defined in this module
            seen.add(cls.name)
            scopes.append((cls.body, f"class attribute of `{cls.name}`"))
            base = cls.bases[0] if cls.bases else None
            cls = ctx.classes.get(base.id) if isinstance(base, ast.Name) else None
    else:
        return None
    for body, where in scopes:
        values = [s.value for s in body if isinstance(s, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == attr for t in s.targets)]
        if values:
            return where if all(is_string(v) for v in values) else None
    return None


def _is_literal_text(node: ast.expr) -> bool:
    value = node.value if isinstance(node, ast.Constant) else None
    if not isinstance(value, str):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in the evaluated text are not this file's
            ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


RULE = Rule(
    code="SEC101", name="eval-exec", category=CATEGORY, severity=Severity.WARNING, docs=DOCS, nodes=CALLS,
    check=check, calls=BUILTINS, bandit=("B307", "B102"), ruff=("S307", "S102"), cwe=("CWE-95",), fix_title=FIX_TITLE,
)
