"""SEC803 patch-target-missing: a patch target whose module resolves but whose attribute does not exist."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.global_state import local_names
from secls.analysis.patch_targets import PATCH_BY_OBJECT, patch_target_of
from secls.rules.base import Rule

DOCS = """\
# SEC803 patch-target-missing

## What it finds

A `mock.patch("pkg.module.name")`, `mock.patch.object(module, "name")` or
`fixtures.MockPatch("pkg.module.name")` whose module resolves — in the workspace or the
installed environment, through jedi and the module's source, never by importing it — but
whose attribute does not exist there; the nearest existing name is suggested. Targets with
`create=True`, builtins patched on a module (mock creates those), module dunders, and
attributes a module only gets at run time (`setattr`, `globals()`, `__getattr__`, star
imports, names registered by sibling modules) are unknown, not missing: no finding. When
the module cannot be resolved, nothing is reported.

## Why it matters

`patch()` fails only when the patch starts. A stale target therefore survives in code that
does not run: a helper never called, a decorator on dead code, a closure run by an unconsumed
`executor.map`. The test then silently stops patching what it claims to patch — often a
security control it meant to stub — or patches nothing at all after a rename.

## Example

```python
@mock.patch("nova.compute.manager.ComputeManager._buld_networks")   # SEC803: typo
def test_spawn(self, mock_build):
    ...
```

## Fix

Rename the target to the suggested existing name (`_build_networks`).
"""


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report patch targets the resolver found missing."""
    assert isinstance(node, ast.Call)
    if ctx.resolver is None or not node.args:
        return
    func = node.func  # cheap name checks before qualified names
    if isinstance(func, ast.Attribute) and func.attr not in ("patch", "object", "MockPatch", "MockPatchObject"):
        return
    if isinstance(func, ast.Name) and func.id not in ctx.imports.aliases:
        return
    if any(k.arg == "create" and isinstance(k.value, ast.Constant) and k.value.value is True
           for k in node.keywords):
        return
    function = ctx.enclosing_function()
    shadowed = frozenset(local_names(function)) if function is not None and len(node.args) >= 2 else frozenset()
    target = patch_target_of(node, ctx.imports, shadowed)
    if target is None:
        return
    verdict = ctx.resolver.patch_target(target)
    if verdict is None or verdict.exists is not False:
        return
    by_object = ctx.qualname(func) in PATCH_BY_OBJECT
    anchor = node.args[1] if by_object else node.args[0]
    where = f" (module `{verdict.module}`)" if verdict.module else ""
    hint = f"; did you mean `{verdict.suggestion}`?" if verdict.suggestion else ""
    message = f"patch target `{target}` does not exist{where}: the patch fails when it starts{hint}"
    data = {"target": target, "suggestion": verdict.suggestion or ""}
    yield ctx.report(RULE, anchor, message, fix=bool(verdict.suggestion), data=data)


RULE = Rule(
    code="SEC803", name="patch-target-missing", category="mocking", severity=Severity.WARNING,
    docs=DOCS, nodes=(ast.Call,), check=check, cwe=("CWE-1164",),
    calls=frozenset({"patch", "object", "MockPatch", "MockPatchObject"}),
    fix_title="Rename the patch target (safe)",
)
