"""SEC804 patch-without-autospec: a patch that replaces its target with a mock that accepts anything."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.mocking.common import CATEGORY
from secls.rules.mocking.patches import PATCH_CALL_NAMES, has_spec, has_star_keywords, patch_call

DOCS = """\
# SEC804 patch-without-autospec

## What it finds

`mock.patch(...)` or `mock.patch.object(...)` (also pytest-mock's `mocker.patch`) with none of
`autospec`, `spec`, `spec_set`, `new` or `new_callable`. Patches with `create=True` or `**kwargs`
are left alone. Off by default; OpenStack projects enable it.

## Why it matters

A bare MagicMock accepts any call with any arguments and has every attribute. When the patched
function's signature changes, or the code calls a method that does not exist, the test keeps
passing: it tests the mock. `autospec=True` makes the mock check calls against the real signature
and reject attributes the real object does not have.

## Example

```python
    @mock.patch("nova.compute.api.API.get")    # SEC804
    def test_show(self, mock_get):
        ...
```

## Fix

Add `autospec=True` (the edit is offered as changing behaviour: calls that do not match the real
signature now fail, which is the point):

```python
    @mock.patch("nova.compute.api.API.get", autospec=True)
```
"""


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report mock patches that say nothing about what the mock looks like."""
    patch = patch_call(node, ctx)
    if patch is None or not patch.is_mock_patch or has_spec(patch) or "create" in patch.keywords \
            or has_star_keywords(patch.call):
        return
    what = f"`{patch.target}`" if patch.target else "the target"
    message = (f"the patch of {what} has no autospec, spec or new: the mock accepts any call, so the test "
               "cannot notice a wrong signature (add `autospec=True`)")
    data = {"patched": patch.target or ast.unparse(patch.call.func)}
    yield ctx.report(RULE, patch.call, message, fix=True, fix_safe=False, data=data)


RULE = Rule(
    code="SEC804", name="patch-without-autospec", category=CATEGORY, severity=Severity.HINT,
    docs=DOCS, nodes=(ast.Call,), check=check, enabled_by_default=False, calls=PATCH_CALL_NAMES,
    fix_title="Add autospec=True",
)
