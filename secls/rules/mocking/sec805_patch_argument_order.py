"""SEC805 patch-argument-order: stacked @patch decorators whose mock parameters are named in the wrong order."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import FunctionNode
from secls.rules.base import Rule
from secls.rules.mocking.common import CATEGORY, name_range
from secls.rules.mocking.patches import patch_call

DOCS = """\
# SEC805 patch-argument-order

## What it finds

A function with stacked `@mock.patch`/`@mock.patch.object` decorators whose injected parameters
are named after the patched targets in the wrong order. Decorators apply bottom-up: the bottom
decorator's mock is the first parameter after `self`. Only reported when the names clearly
correspond (`mock_get_foo` and a target ending in `get_foo`), each to exactly one target.

## Why it matters

`mock_save` then holds the mock of `notify`: the test configures and asserts on the wrong mocks.
Assertions like `mock_save.assert_called_once()` may still pass by accident, or the test checks
the opposite of what it says.

## Example

```python
    @mock.patch.object(objects.Instance, "save")
    @mock.patch.object(compute_utils, "notify_about_instance_action")
    def test_stop(self, mock_save, mock_notify):   # SEC805: mock_notify comes first
```

## Fix

Reorder the parameters to match the decorators, bottom one first:
`def test_stop(self, mock_notify, mock_save):`.
"""

_PREFIXES = re.compile(r"^_*(?:mock(?:ed)?|m|patched|fake|stub)_+")
_SUFFIXES = re.compile(r"_+(?:mock(?:ed)?|patch(?:ed)?)$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _param_key(name: str) -> str:
    key = _SUFFIXES.sub("", _PREFIXES.sub("", name))
    return key.strip("_").lower()


def _names_target(key: str, target: str) -> bool:
    """Whether a parameter key names a target: `get_foo`, `b_get_foo`, or a word-prefix/suffix of `get_foo`."""
    parts = [_CAMEL.sub("_", p).strip("_").lower() for p in target.split(".") if p.strip("_")]
    if not key or not parts:
        return False
    last = parts[-1]
    return key in {"_".join(parts[-k:]) for k in range(1, min(3, len(parts)) + 1)} \
        or last.startswith(key + "_") or last.endswith("_" + key)


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report parameters that receive another decorator's mock than the one they are named after."""
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    if len(node.decorator_list) < 2:
        return
    patches = [p for d in node.decorator_list if (p := patch_call(d, ctx)) is not None]
    injecting = [p for p in patches if p.injects]
    if len(injecting) < 2 or any(p.target is None for p in injecting):
        return
    targets = [p.target or "" for p in reversed(injecting)]  # bottom-up: the order of the parameters
    params = _mock_params(node, len(targets))
    if params is None:
        return
    matches = [[j for j, t in enumerate(targets) if _names_target(_param_key(p.arg), t)] for p in params]
    owners = [[i for i, m in enumerate(matches) if j in m] for j in range(len(targets))]
    clear = {i: m[0] for i, m in enumerate(matches) if len(m) == 1 and owners[m[0]] == [i]}
    wrong = [i for i, j in clear.items() if i != j]
    if not wrong:
        return
    first = params[min(wrong)]
    expected = {j: params[i].arg for i, j in clear.items()}
    detail = ", ".join(f"`{params[i].arg}` gets the mock of `{targets[i]}`" for i in sorted(wrong))
    complete = len(clear) == len(params)
    message = (f"the @patch decorators apply bottom-up, so {detail}"
               + (f" (expected order: {', '.join(expected[j] for j in range(len(params)))})" if complete else ""))
    data = {"params": ",".join(p.arg for p in params),
            "order": ",".join(expected[j] for j in range(len(params))) if complete else ""}
    yield ctx.report(RULE, name_range(first, first.arg), message, fix=complete, data=data)


def _mock_params(function: FunctionNode, count: int) -> list[ast.arg] | None:
    """The positional parameters that receive the decorators' mocks (after self/cls), without defaults."""
    params = function.args.posonlyargs + function.args.args
    if params and params[0].arg in ("self", "cls"):
        params = params[1:]
    if len(params) < count:
        return None
    defaults_from = len(function.args.posonlyargs + function.args.args) - len(function.args.defaults)
    offset = len(function.args.posonlyargs + function.args.args) - len(params)
    if offset + count > defaults_from:
        return None
    return params[:count]


RULE = Rule(
    code="SEC805", name="patch-argument-order", category=CATEGORY, severity=Severity.ERROR,
    docs=DOCS, nodes=(ast.FunctionDef, ast.AsyncFunctionDef), check=check,
    fix_title="Reorder the mock parameters",
)
