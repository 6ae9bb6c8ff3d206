"""SEC304 global-state-not-restored: process-wide state changed by a test and never restored."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.classes import CLEANUP_REGISTRARS
from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.global_state import STATE_OF, StateChange, mentioned_states, state_changes
from secls.analysis.lifecycle import TAKES_OWNERSHIP, ClassLifecycle, method_role
from secls.analysis.scope import FunctionNode, first_param, iter_own_nodes, methods, nodes_of
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY

DOCS = """\
# SEC304 global-state-not-restored

## What it finds

Process-wide state changed in `setUp` or a test and never put back: `os.environ[...] = ...`,
`os.environ.update(...)`, `os.putenv`, `os.chdir`, `sys.path` and `sys.modules` edits,
`signal.signal`, `socket.setdefaulttimeout`, `locale.setlocale`, `warnings.simplefilter`
outside `catch_warnings`, `logging.disable`, and assignments to a module's attributes
(`os.getcwd = ...`). A change is restored when a registered cleanup, `tearDown`, or a later
statement of the same function (a `finally`) touches the same state again, or when it
happens inside `with mock.patch.dict(os.environ)`, `with warnings.catch_warnings()` or a
similar guard, or under a `@mock.patch.dict(os.environ)` decorator.

## Why it matters

The change outlives the test: later tests run with another environment, directory or
import path, and pass or fail by order. An environment variable such as a disabled TLS
check, or a stubbed-out module attribute, silently changes what later tests exercise.

## Example

```python
    def setUp(self):
        super().setUp()
        os.environ["REQUESTS_CA_BUNDLE"] = ""     # SEC304: never restored
```

## Fix

```python
        self.enterContext(mock.patch.dict(os.environ, {"REQUESTS_CA_BUNDLE": ""}))
```

(or `self.useFixture(fixtures.EnvironmentVariable(...))`); for `os.chdir`, register
`self.addCleanup(os.chdir, os.getcwd())` before changing directory; for module attributes
use `mock.patch.object`.
"""

STATE_KEYS = frozenset(STATE_OF.values())
# Registering a cleanup, or entering a context for the rest of the test, restores what it names.
_SAVES_AND_RESTORES = CLEANUP_REGISTRARS | TAKES_OWNERSHIP
_RESTORING_NAMES = ("restore", "reset", "cleanup", "teardown", "remove")
_GUARD_WORDS = {"environment": ("environ",), "sys.path": ("sys", "path"), "sys.modules": ("modules",),
                "warning filters": ("catch_warnings",), "working directory": ("chdir", "cwd")}


def _guarded(change: StateChange, function: FunctionNode, ctx: ModuleContext,
             outer: ast.ClassDef | None) -> bool:
    """Inside a `with` or under a decorator that saves and restores the same state."""
    words = _GUARD_WORDS.get(change.key, (change.key.rsplit(".", 1)[-1],))
    guards: list[ast.AST] = list(function.decorator_list) + (list(outer.decorator_list) if outer else [])
    for node in nodes_of(function, ast.With, ast.AsyncWith):
        if node.lineno <= change.statement.lineno <= (node.end_lineno or node.lineno):
            guards.extend(item.context_expr for item in node.items)
    for guard in guards:
        text = ast.unparse(guard)
        if "assertRaises" in text or "raises(" in text:
            return True  # the change is expected to fail
        if all(w in text for w in words) or change.key in mentioned_states(guard, ctx.imports):
            return True
    return False


def _registered_restores(function: FunctionNode, ctx: ModuleContext) -> frozenset[str]:
    """State keys that cleanups registered (or contexts entered) in this function restore (once per function)."""
    # Asked for setUp of every subclass, and for each test: kept, and only once complete.
    key = ("sec304.registered", id(function))
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = frozenset(_registrations(function, ctx))
    return found  # type: ignore[return-value]


def _registrations(function: FunctionNode, ctx: ModuleContext) -> set[str]:
    found: set[str] = set()
    nested = {n.name: n for n in nodes_of(function, ast.FunctionDef)}
    for node in nodes_of(function, ast.Call):
        if isinstance(node.func, (ast.Attribute, ast.Name)) and (
                getattr(node.func, "attr", None) or getattr(node.func, "id", None)) in _SAVES_AND_RESTORES:
            found |= mentioned_states(node, ctx.imports)
            for arg in node.args:  # addCleanup(fixup), fixup a closure defined here
                if isinstance(arg, ast.Name) and arg.id in nested:
                    found |= mentioned_states(nested[arg.id], ctx.imports)
    return found


def _restored_for_every_test(life: ClassLifecycle | None, functions: list[FunctionNode],
                             ctx: ModuleContext) -> set[str]:
    """State keys restored for every test: by teardown-like methods, or by cleanups setUp registers."""
    found: set[str] = set()
    teardown = life.teardown_methods if life else set()
    for function in functions:
        if function.name in teardown or any(w in function.name.lower() for w in _RESTORING_NAMES):
            found |= _mentioned_in(function, ctx)
        elif method_role(function) in ("setUp", "setUpClass", "setUpModule"):
            found |= _registered_restores(function, ctx)
    return found


def _mentioned_in(function: FunctionNode, ctx: ModuleContext) -> frozenset[str]:
    """`mentioned_states` of a whole function (a base class's tearDown, for every subclass): once per function."""
    key = ("sec304.mentioned", id(function))
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = frozenset(mentioned_states(function, ctx.imports))
    return found  # type: ignore[return-value]


def _restored_later(change: StateChange, function: FunctionNode, ctx: ModuleContext,
                    other_changes: set[int]) -> bool:
    """A later statement (not itself an unrestored change) or a `finally` touches the same state."""
    end = change.statement.end_lineno or change.statement.lineno
    for node in iter_own_nodes(function):
        if isinstance(node, ast.Try) and node.finalbody:
            if any(change.key in mentioned_states(s, ctx.imports) for s in node.finalbody):
                return True
        if isinstance(node, ast.stmt) and node.lineno > end and id(node) not in other_changes \
                and not isinstance(node, (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.AsyncWith)):
            if change.key in mentioned_states(node, ctx.imports):
                return True
    return False


def _has_fix(change: StateChange) -> bool:
    """`os.environ[k] = v` / `os.environ.update(...)` (patch.dict) and `os.chdir(...)` (restore) have fixes."""
    if change.key == "environment":
        return isinstance(change.node, ast.Assign) or (
            isinstance(change.node, ast.Call) and isinstance(change.node.func, ast.Attribute)
            and change.node.func.attr == "update")
    return change.key == "working directory" and isinstance(change.node, ast.Call)


def _base_may_restore(key: str) -> bool:
    """Whether base classes commonly restore this for their subclasses (warning filters, attributes)."""
    return key == "warning filters" or key not in STATE_KEYS


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report global state changed in test code without a restore."""
    if isinstance(node, ast.ClassDef):
        if not ctx.is_test_class(node):
            return
        life = ctx.lifecycle(node)
        facts = ctx.class_facts(node)
        functions = [f for klass in facts.local_mro for f in methods(klass).values()]
        acquiring = [f for f in methods(node).values()
                     if f.name not in life.teardown_methods and not f.name.startswith("__")]
        outer: ast.ClassDef | None = node
    elif isinstance(node, ast.Module) and ctx.is_test_path:
        life = None
        facts = None
        functions = [n for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        acquiring = [f for f in functions if f.name.startswith("test") or ctx.is_pytest_fixture(f)
                     or f.name == "setUpModule"]
        outer = None
    else:
        return
    elsewhere: set[str] | None = None
    for function in acquiring:
        changes = list(state_changes(function, ctx.imports, ctx.called_names))
        unrestored = {id(c.statement) for c in changes if not c.restores}
        reported: set[str] = set()
        local: set[str] | None = None
        for change in changes:
            if change.restores or change.key in reported:
                continue
            if elsewhere is None:
                elsewhere = _restored_for_every_test(life, functions, ctx)
            if local is None:
                local = _registered_restores(function, ctx)
            if change.key in elsewhere or change.key in local or _guarded(change, function, ctx, outer) \
                    or _restored_later(change, function, ctx, unrestored):
                continue
            reported.add(change.key)
            what = change.key if change.key in STATE_KEYS else f"module attribute `{change.key}`"
            message = f"`{change.description}` in {function.name} changes the {what} and never restores it"
            severity = None
            if change.resets and method_role(function) in ("setUp", "setUpClass"):
                severity = Severity.HINT  # emptied before each test: deliberate, though it outlives the last one
                message += " (a reset before each test; it still outlives the last one)"
            elif facts is not None and facts.unresolved and _base_may_restore(change.key):
                # nova's base resets warning filters and cleans attributes: unknown is not missing
                severity = Severity.HINT
                message += f" (unless base `{facts.unresolved[0]}`, not resolved, does)"
            data = {"state": change.key, "role": method_role(function)}
            fixable = first_param(function) == "self" and _has_fix(change)
            yield ctx.report(RULE, change.statement if isinstance(change.node, ast.Assign) else change.node,
                             message, severity=severity, fix=fixable, data=data)


RULE = Rule(
    code="SEC304", name="global-state-not-restored", category=CATEGORY, severity=Severity.WARNING,
    docs=DOCS, nodes=(ast.ClassDef, ast.Module), check=check, cwe=("CWE-664",),
    fix_title="Restore it with a cleanup",
)
