"""SEC802 mock-assertion-typo: assertions and configuration a mock silently accepts because they are misspelled."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.mocking.common import CATEGORY, name_range
from secls.rules.mocking.evidence import MOCK_FACTORIES, is_mock
from secls.rules.mocking.names import (ASSERTIONS, assertion_near_miss, configured_near_miss,
                                       might_be_assertion_typo)
from secls.rules.mocking.patches import patch_call

DOCS = """\
# SEC802 mock-assertion-typo

## What it finds

On a mock (a name bound to `Mock()`/`MagicMock()`/`create_autospec()`/`patch(...).start()`, a
parameter injected by a `@patch` decorator, a `self.mock_*` attribute, or a name that says mock):

- calls of names that look like assertions but are not: `called_once_with`, `has_calls`,
  `assert_caled_with`, `asssert_called`, `mock_assert_called_once`, `assertcalledoncewith`,
  `assert_not_called_with` (near misses of the real `assert_*` names, and the forms of nova's
  N364 and neutron's N322 hacking rules), also as `assert m.called_once_with(...)`, and read as
  a truth value: `assert m.called_once`, `self.assertTrue(m.called_once)`;
- misspelled configuration: `m.retrun_value = ...`, `m.side_efect = ...`, `Mock(retrun_value=...)`;
- assignments to assertion methods: `m.assert_has_calls = [...]` (nova's N366).

## Why it matters

A mock answers every attribute with a new child mock. `m.called_once_with(x)` checks nothing and
returns a truthy mock, so the test passes whatever the code did; Python 3.11 only rejects names
starting with `assert`, `assret`, `asert`, `aseert` or `assrt`. `m.retrun_value = 3` configures
nothing: the code under test gets a mock instead of 3. Assigning to `assert_has_calls` replaces
the assertion with a list and asserts nothing.

## Example

```python
    @mock.patch("nova.compute.api.API.delete")
    def test_delete(self, mock_delete):
        self.controller.delete(self.req, FAKE_UUID)
        mock_delete.called_once_with(self.context, FAKE_UUID)   # SEC802: checks nothing
```

## Fix

The edits change what the test does (the assertion now runs, the setting now applies), so they
are offered, never applied on their own. Rename to the real name (`assert_called_once_with`, `return_value`); turn an assignment to an
assertion into a call (`m.assert_has_calls([...])`). Names with no single near real name
(`assert_not_called_with`) need a human: say what the test means to check.
"""

_CONFIGURING = frozenset({"configure_mock", "reset_mock"})
_IN_ASSERT = "_secls_in_assert"


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report misspelled assertions, misspelled configuration and assignments to assertions on mocks."""
    # A plain function that returns () when the cheap name filters leave nothing to report (a generator
    # made for every call costs more than the check); otherwise the generators below do the work as before.
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and (
                might_be_assertion_typo(func.attr) or (func.attr in _TRUTH_ASSERTIONS and node.args)):
            return _call(node, ctx)
        for keyword in node.keywords:
            if keyword.arg and configured_near_miss(keyword.arg):
                return _call(node, ctx)
    elif isinstance(node, ast.Assert):
        test = node.test.operand if isinstance(node.test, ast.UnaryOp) else node.test
        if isinstance(test, ast.Attribute):
            if might_be_assertion_typo(test.attr):
                return _assertion(test, ctx, called=False)
        elif isinstance(test, ast.Call):
            test.__dict__[_IN_ASSERT] = True  # the walk visits the assert before its call
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Attribute) and (
                    target.attr in ASSERTIONS or configured_near_miss(target.attr) is not None):
                return _assignments(node, ctx)
    return ()


def _assignments(node: ast.Assign, ctx: ModuleContext) -> Iterator[Finding]:
    for target in node.targets:
        if isinstance(target, ast.Attribute):
            yield from _assigned(node, target, ctx)


def _assertion(attribute: ast.Attribute, ctx: ModuleContext, called: bool,
               in_assert: bool = False) -> Iterator[Finding]:
    name = attribute.attr
    if not might_be_assertion_typo(name):
        return
    miss = assertion_near_miss(name)
    if miss is None or not is_mock(attribute.value, ctx):
        return
    shown = f"{name}(...)" if called else name
    if miss.suggestion:
        meant = f"`{miss.suggestion}`" if called and not in_assert else \
            f"`{miss.suggestion}(...)` as a statement (it returns None)"
        message = f"`{shown}` is not a mock assertion: the mock accepts it and checks nothing; did you mean {meant}?"
    else:
        message = (f"`{shown}` is not a mock assertion: the mock accepts it (or raises on 3.11+) and "
                   f"checks nothing; use one of `{'`, `'.join(sorted(ASSERTIONS)[:7])}`")
    data = {"kind": "assertion", "name": name, "suggestion": miss.suggestion or ""}
    # Read as a truth value (`assert m.called_once`) the rename alone would still assert nothing, and
    # `assert m.assert_called_with(x)` would always fail: only the statement form is renamed.
    yield ctx.report(RULE, name_range(attribute, name, at_end=True), message,
                     fix=called and not in_assert and bool(miss.suggestion), fix_safe=False, data=data)


_TRUTH_ASSERTIONS = frozenset({"assertTrue", "assertFalse", "assert_", "failUnless", "failIf"})


def _call(node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
    func = node.func
    if isinstance(func, ast.Attribute):
        yield from _assertion(func, ctx, called=True, in_assert=node.__dict__.get(_IN_ASSERT, False))
        if func.attr in _TRUTH_ASSERTIONS and node.args:
            if isinstance(node.args[0], ast.Attribute):
                yield from _assertion(node.args[0], ctx, called=False)  # self.assertTrue(m.called_once)
            elif isinstance(node.args[0], ast.Call):
                node.args[0].__dict__[_IN_ASSERT] = True  # self.assertTrue(m.called_once_with(x))
    if not node.keywords:
        return
    typos = [(k, real) for k in node.keywords if k.arg and (real := configured_near_miss(k.arg))]
    if not typos:
        return
    makes_mock = ctx.qualname(func) in MOCK_FACTORIES or (
        (patch := patch_call(node, ctx)) is not None and patch.kind in ("patch", "object", "fixture",
                                                                        "fixture_object")) or (
        isinstance(func, ast.Attribute) and func.attr in _CONFIGURING and is_mock(func.value, ctx))
    if not makes_mock:
        return
    for keyword, real in typos:
        assert keyword.arg is not None
        message = f"`{keyword.arg}=` is not a mock setting: it sets an unused attribute; did you mean `{real}=`?"
        data = {"kind": "keyword", "name": keyword.arg, "suggestion": real}
        yield ctx.report(RULE, name_range(keyword, keyword.arg), message, fix=True, fix_safe=False, data=data)


def _assigned(node: ast.Assign, target: ast.Attribute, ctx: ModuleContext) -> Iterator[Finding]:
    name = target.attr
    if name in ASSERTIONS:
        if isinstance(target.value, ast.Name) and target.value.id in ("self", "cls"):
            return
        message = (f"`{name}` is an assertion method: assigning to it replaces the assertion and checks "
                   f"nothing; call it instead (`{name}(...)`)")
        data = {"kind": "assigned", "name": name, "suggestion": name}
        yield ctx.report(RULE, target, message, fix=len(node.targets) == 1, fix_safe=False, data=data)
        return
    real = configured_near_miss(name)
    if real is None or not is_mock(target.value, ctx):
        return
    message = f"`{name}` is not a mock setting: it sets an unused attribute; did you mean `{real}`?"
    data = {"kind": "attribute", "name": name, "suggestion": real}
    yield ctx.report(RULE, name_range(target, name, at_end=True), message, fix=True, fix_safe=False, data=data)


RULE = Rule(
    code="SEC802", name="mock-assertion-typo", category=CATEGORY, severity=Severity.ERROR,
    docs=DOCS, nodes=(ast.Call, ast.Assert, ast.Assign), check=check,
    fix_title="Use the real mock name",
)
