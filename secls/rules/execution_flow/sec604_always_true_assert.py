"""SEC604 always-true-assert: `assert (cond, msg)` and `assertTrue(x, y)` that never fail as meant."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.execution_flow.common import CATEGORY
from secls.rules.helpers import calls_named

DOCS = """\
# SEC604 always-true-assert

## What it finds

`assert (cond, msg)`: the parenthesised pair is a non-empty tuple, which is always true. And
`self.assertTrue(x, y)` / `assertFalse(x, y)` whose second argument is plainly not a message (a
number, a boolean, a collection, a comparison) — usually a mistaken `assertEqual(x, y)`.

## Why it matters

The assertion can never fail: the check it was meant to make — in a test, the proof that a
security control works — is not made at all.

## Example

```python
assert (user.is_admin, "admin only")      # SEC604: always true
self.assertTrue(response.status, 403)     # SEC604: passes for any truthy status
```

## Fix

Drop the parentheses (`assert cond, msg`) — the quick fix; it changes behaviour, since the
assertion now really checks — or use the assertion that compares (`assertEqual`).

Cross-references: ruff F631; CWE-571.
"""

_TRUTH_ASSERTS = frozenset({"assertTrue", "assertFalse", "assert_", "failUnless", "failIf"})


def _not_a_message(node: ast.expr) -> bool:
    """An argument that cannot be meant as an assertion message."""
    if isinstance(node, ast.Constant):
        return node.value is not None and not isinstance(node.value, (str, bytes))
    return isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Compare, ast.ListComp,
                             ast.SetComp, ast.DictComp))


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report tuple asserts and truth assertions given a second value."""
    if isinstance(node, ast.Module):
        for call, _ in calls_named(ctx, _TRUTH_ASSERTS):
            yield from _truth_assert(call, ctx)
        return
    if isinstance(node, ast.Assert):
        if isinstance(node.test, ast.Tuple) and node.test.elts:
            fixable = len(node.test.elts) == 2 and node.msg is None \
                and not any(isinstance(e, ast.Starred) for e in node.test.elts)
            yield ctx.report(RULE, node, "`assert` of a non-empty tuple is always true; write `assert cond, msg`",
                             fix=fixable, fix_safe=False)



def _truth_assert(node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _TRUTH_ASSERTS and len(node.args) == 2 \
            and _not_a_message(node.args[1]):
        yield ctx.report(RULE, node, f"`{func.attr}(x, {ast.unparse(node.args[1])[:30]})`: the second argument "
                                     "is a message, so this only checks that x is "
                                     f"{'true' if func.attr != 'assertFalse' and func.attr != 'failIf' else 'false'}"
                                     "; did you mean `assertEqual`?")


RULE = Rule(
    code="SEC604", name="always-true-assert", category=CATEGORY, severity=Severity.ERROR, docs=DOCS,
    nodes=(ast.Assert, ast.Module), check=check, ruff=("F631",), cwe=("CWE-571",),
    fix_title="Assert the condition with its message (changes behaviour)",
)
