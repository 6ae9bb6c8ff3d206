"""SEC306 missing-super-call: a lifecycle override that never calls the base's."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.frameworks import LIFECYCLE_METHODS
from secls.analysis.scope import FunctionNode, methods, nodes_of
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY

DOCS = """\
# SEC306 missing-super-call

## What it finds

A `setUp`, `tearDown`, `setUpClass` or `tearDownClass` (or `asyncSetUp`/`asyncTearDown`)
override that never calls the base class's method, when a base other than
`unittest.TestCase` itself defines it: testtools and oslotest (`setUp`/`tearDown`),
Django (`setUpClass`/`tearDownClass`), fixtures, or a project base class. Methods that skip
the test (`self.skipTest(...)`, `raise SkipTest`) are not reported. When the base cannot be
resolved the finding is only a hint.

## Why it matters

The base's `setUp` is where the safety nets live: oslotest registers `mock.patch.stopall`,
a `NestedTempfile` and a timeout; nova's base installs some thirty fixtures, including the
ones that poison real network and privileged calls; Django's `setUpClass` installs the
database-access guards and settings overrides and its `tearDownClass` rolls back the class
atomics. Skipping it silently disables them (testtools at least fails loudly at run time).

## Example

```python
class TestAPI(oslotest.base.BaseTestCase):
    def setUp(self):              # SEC306: no super().setUp()
        self.api = API()
```

## Fix

Call the base first in setUp/setUpClass and last in tearDown/tearDownClass:

```python
    def setUp(self):
        super().setUp()
        self.api = API()
```
"""

SKIPS = ("skipTest", "SkipTest", "skip")


def _calls_base(function: FunctionNode) -> bool:
    """Whether the method calls super().<name>() or Base.<name>(self), or skips the test."""
    for node in nodes_of(function, ast.Call, ast.Raise):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == function.name:
                return True
            if isinstance(func, ast.Attribute) and func.attr in SKIPS:
                return True
            if isinstance(func, ast.Name) and func.id in SKIPS:
                return True
        elif isinstance(node, ast.Raise) and node.exc is not None and "SkipTest" in ast.unparse(node.exc):
            return True
    return False


def _self_attributes(function: FunctionNode) -> set[str]:
    """The `self.x` attributes a method mentions."""
    receiver = function.args.args[0].arg if function.args.args else "self"
    return {node.attr for node in nodes_of(function, ast.Attribute)
            if isinstance(node.value, ast.Name) and node.value.id == receiver}


def _replaces_local_base(function: FunctionNode, bases: list[ast.ClassDef]) -> bool:
    """A deliberate full override: it handles every attribute the nearest local base's method handles."""
    for base in bases:
        inherited = methods(base).get(function.name)
        if inherited is not None:
            wanted = _self_attributes(inherited)
            return bool(wanted) and wanted <= _self_attributes(function)
    return False


def _insertion(function: FunctionNode) -> str:
    """The call to insert: super().setUp(), await super().asyncSetUp(), ..."""
    call = f"super().{function.name}()"
    return f"await {call}" if isinstance(function, ast.AsyncFunctionDef) else call


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report lifecycle overrides that skip a base implementation that does work."""
    assert isinstance(node, ast.ClassDef)
    facts = ctx.class_facts(node)
    if not (facts.is_testcase or facts.is_fixture):
        return
    for name, function in methods(node).items():
        if name not in LIFECYCLE_METHODS or _calls_base(function):
            continue
        if not function.body or all(isinstance(s, (ast.Pass, ast.Expr)) and (
                isinstance(s, ast.Pass) or isinstance(getattr(s, "value", None), ast.Constant))
                for s in function.body):
            continue  # an empty override that only documents
        defines = facts.base_defines(name)
        if defines is False or _replaces_local_base(function, facts.local_mro[1:]):
            continue
        base = facts.defining_base(name) or "the base class"
        insert = _insertion(function)
        if defines is None:
            message = (f"`{name}` does not call the base's; if base `{base}` (not resolved) defines `{name}`, "
                       f"its setup/cleanup is skipped (add `{insert}`)")
            severity: Severity | None = Severity.HINT
        else:
            loud = " (testtools raises ValueError at run time)" if facts.enforces_super and name in (
                "setUp", "tearDown") else ""
            message = f"`{name}` never calls `{base}.{name}`: its setup or cleanup is skipped{loud}; add `{insert}`"
            severity = None
        name_node = _name_anchor(function, ctx)
        data = {"method": name, "call": insert, "position": "last" if "tearDown" in name or "TearDown" in name
                else "first"}
        yield ctx.report(RULE, name_node, message, severity=severity, fix=True, data=data)


def _name_anchor(function: FunctionNode, ctx: ModuleContext) -> ast.AST:
    """A node spanning `def name` so the finding sits on the method's name, not its whole body."""
    line = function.lineno
    text = ctx.source.line(line)
    start = text.find(function.name)
    if start < 0:
        return function
    byte_start = len(text[:start].encode("utf-8"))
    anchor = ast.Name(id=function.name)
    anchor.lineno = anchor.end_lineno = line
    anchor.col_offset = byte_start
    anchor.end_col_offset = byte_start + len(function.name.encode("utf-8"))
    return anchor


RULE = Rule(
    code="SEC306", name="missing-super-call", category=CATEGORY, severity=Severity.WARNING,
    docs=DOCS, nodes=(ast.ClassDef,), check=check, cwe=("CWE-665",),
    fix_title="Call the base class's method",
)
