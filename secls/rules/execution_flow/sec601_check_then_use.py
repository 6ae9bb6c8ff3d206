"""SEC601 check-then-use: a path checked, then used, in the same function (TOCTOU)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import nodes_of
from secls.rules.base import Rule
from secls.rules.execution_flow.common import CATEGORY
from secls.rules.helpers import called_name, calls_named

DOCS = """\
# SEC601 check-then-use

## What it finds

`os.path.exists`/`isfile`/`isdir`/`islink`/`lexists` or `os.access` on a path, followed in the same
function by `open`, `os.open`, `os.remove`/`unlink`/`rename`/`replace`/`mkdir`/`makedirs`/`rmdir`/
`chmod`/`chown`/`symlink`/`link` or a `shutil` function on the same path expression.

## Why it matters

Between the check and the use another process can create, remove or replace the file (with a
symlink to `/etc/shadow`, say): a time-of-check to time-of-use race. The check gives a false
sense of safety and the use acts on whatever is there by then.

## Example

```python
if not os.path.exists(path):
    with open(path, "w") as f:   # SEC601: someone may have created `path` meanwhile
        f.write(secret)
```

## Fix

Act, and handle the failure: open with `"x"` (exclusive create) or `os.open(path, os.O_CREAT |
os.O_EXCL, 0o600)`, remove and catch `FileNotFoundError`, `os.makedirs(path, exist_ok=True)`.

Cross-references: CWE-367.
"""

_CHECKS = frozenset({"os.path.exists", "os.path.isfile", "os.path.isdir", "os.path.islink", "os.path.lexists",
                     "os.access", "genericpath.exists", "posixpath.exists"})
_CHECK_NAMES = frozenset(q.rpartition(".")[2] for q in _CHECKS)
_USES = frozenset({"open", "io.open", "builtins.open", "os.open", "os.remove", "os.unlink", "os.rename",
                   "os.replace", "os.mkdir", "os.makedirs", "os.rmdir", "os.removedirs", "os.chmod", "os.chown",
                   "os.lchown", "os.symlink", "os.link", "os.truncate", "os.mkfifo"})
_USE_NAMES = frozenset(q.rpartition(".")[2] for q in _USES) | {
    "copy", "copy2", "copyfile", "copytree", "move", "rmtree", "copymode", "copystat", "chown"}


def _path_key(node: ast.expr) -> str | None:
    """A comparable form of a path expression (names, attributes, subscripts, joins; not literals alone)."""
    if isinstance(node, ast.Constant):
        return None  # the same literal in two places is rarely a race worth a warning on its own
    return ast.dump(node)


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report uses of a path after a check of the same path in one function."""
    functions = {id(stack[-1]): stack[-1] for _, stack in calls_named(ctx, _CHECK_NAMES)
                 if stack and isinstance(stack[-1], (ast.FunctionDef, ast.AsyncFunctionDef))}
    for function in functions.values():
        yield from _check_function(function, ctx)


def _check_function(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    checks: dict[str, ast.Call] = {}
    uses: list[tuple[ast.Call, ast.expr, str, str]] = []
    for call in nodes_of(node, ast.Call):
        assert isinstance(call, ast.Call)
        name = called_name(call, ctx.imports.aliases)
        if name in _CHECK_NAMES and call.args:
            if ctx.call_name(call) in _CHECKS:
                key = _path_key(call.args[0])
                if key is not None:
                    checks.setdefault(key, call)
        elif name in _USE_NAMES and call.args:
            qualified = ctx.call_name(call) or ""
            if qualified in _USES or qualified.startswith("shutil."):
                for arg in call.args[:2]:
                    key = _path_key(arg)
                    if key is not None:
                        uses.append((call, arg, key, qualified))
    if not checks:
        return
    reported: set[int] = set()
    for call, arg, key, qualified in uses:
        first = checks.get(key)
        if first is None or id(call) in reported or (call.lineno, call.col_offset) <= (first.lineno, first.col_offset):
            continue
        reported.add(id(call))
        spelled = ast.unparse(arg)
        path = spelled if len(spelled) < 40 else "the path"
        yield ctx.report(RULE, call, f"`{qualified}` acts on `{path}` after `{ctx.call_name(first)}` checked it "
                                     f"(line {first.lineno}): the file can change in between",
                         related=((first, "checked here"),))


RULE = Rule(
    code="SEC601", name="check-then-use", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, cwe=("CWE-367",),
)
