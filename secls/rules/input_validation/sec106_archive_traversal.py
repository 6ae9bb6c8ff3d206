"""SEC106 archive-traversal: tarfile extraction without a filter."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import nodes_of
from secls.rules.base import Rule
from secls.rules.input_validation.common import CALLS, CATEGORY, current_scope, is_parameter, keyword

DOCS = """\
# SEC106 archive-traversal

## What it finds

`extractall`/`extract` on a `tarfile` archive (opened with `tarfile.open`/`TarFile` in the same
function, or a parameter annotated `TarFile`) without `filter=`, or with
`filter="fully_trusted"`. `filter="data"` and `filter="tar"` are fine.

## Why it matters

Member names of a tar archive can be absolute (`/etc/cron.d/x`) or climb out with `../`, and
members can be links pointing anywhere. Extracting without a filter writes wherever the archive
says (CWE-22).

## Example

```python
with tarfile.open(upload) as tar:
    tar.extractall(dest)   # SEC106
```

## Fix

Add `filter="data"` (Python 3.12, backported to 3.8.17+): it refuses absolute names, `..`,
links leaving the destination and device files, and drops set-uid and group/other write bits;
the quick fix adds it and is marked as changing behaviour for archives that relied on those.
Cross-references: bandit B202; ruff S202; CWE-22.
"""

FIX_TITLE = 'Add filter="data" (changes behaviour)'
OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.gzopen",
                     "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen", "tarfile.TarFile.taropen"})
SAFE_FILTERS = frozenset({"data", "tar"})


def _is_tar(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """Whether an expression is a tarfile archive opened in this scope."""
    if isinstance(receiver, ast.Call):
        return ctx.call_name(receiver) in OPENERS
    if not isinstance(receiver, ast.Name):
        return False
    scope = current_scope(ctx)
    name = receiver.id
    for node in nodes_of(scope, ast.Assign, ast.withitem):
        if isinstance(node, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in node.targets) \
                    and isinstance(node.value, ast.Call) and ctx.call_name(node.value) in OPENERS:
                return True
        elif isinstance(node.optional_vars, ast.Name) and node.optional_vars.id == name \
                and isinstance(node.context_expr, ast.Call) and ctx.call_name(node.context_expr) in OPENERS:
            return True
    if is_parameter(scope, name):
        args = scope.args  # type: ignore[attr-defined]
        for arg in args.posonlyargs + args.args + args.kwonlyargs:
            if arg.arg == name and arg.annotation is not None:
                return (ctx.qualname(arg.annotation) or "").endswith("TarFile")
    return False


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report tar extraction without a safe filter."""
    assert isinstance(node, ast.Call)
    func = node.func
    if not isinstance(func, ast.Attribute) or func.attr not in ("extractall", "extract"):
        return
    if any(k.arg is None for k in node.keywords):
        return  # **options may carry a filter
    given = keyword(node, "filter")
    if given is not None and not (isinstance(given.value, ast.Constant) and given.value.value == "fully_trusted"):
        return
    if not _is_tar(func.value, ctx):
        return
    if given is not None:
        yield ctx.report(RULE, node, '`filter="fully_trusted"` extracts members anywhere: use `filter="data"`')
        return
    severity = Severity.INFO if keyword(node, "members") is not None else None
    yield ctx.report(RULE, node, f'`{func.attr}` without `filter=` writes wherever member names point: '
                                 'add `filter="data"`', severity=severity, fix=FIX_TITLE, fix_safe=False,
                     data={"method": func.attr})


RULE = Rule(
    code="SEC106", name="archive-traversal", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=CALLS, check=check, calls=frozenset({"extractall", "extract"}), bandit=("B202",), ruff=("S202",), cwe=("CWE-22",), fix_title=FIX_TITLE,
)
