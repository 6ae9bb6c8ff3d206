"""SEC805 patch-argument-order: stacked @patch decorators whose mock parameters are named in the wrong order."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import FunctionNode
from secls.rules.base import Rule
from secls.rules.mocking.common import CATEGORY, name_range
from secls.rules.mocking.evidence import looks_like_mock
from secls.rules.mocking.patches import patch_call

DOCS = """\
# SEC805 patch-argument-order

## What it finds

A function with stacked `@mock.patch`/`@mock.patch.object` decorators whose injected parameters
are named after the patched targets in the wrong order. Decorators apply bottom-up: the bottom
decorator's mock is the first parameter after `self` (after the arguments a helper's caller
passes positionally; when that is unclear, the window of parameters whose names say mock
decides). Only reported when the names clearly correspond (`mock_get_foo` and a target ending in
`get_foo`), each to exactly one target, and the parameter shares no word with the target it
really gets: names are loose (`mock_get_vol` for `cinder.API.get`), a false alarm costs trust.

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
`def test_stop(self, mock_notify, mock_save):`. Offered when every mock parameter is matched;
it changes which mock each name holds, so the test may start to fail, truthfully.
"""

_PREFIXES = re.compile(r"^_*(?:mock(?:ed)?|m|patched|fake|stub)_+")
_SUFFIXES = re.compile(r"_+(?:mock(?:ed)?|patch(?:ed)?)$")
_GENERIC = frozenset({"create", "delete", "update", "remove", "check", "execute", "start", "build", "show",
                      "fetch", "write", "clear", "reset", "validate", "verify", "process", "handle"})
_FILLER = frozenset({"get", "set", "is", "has", "by", "from", "to", "of", "and", "with", "for", "in", "on",
                     "all", "do"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _param_key(name: str) -> str:
    key = _SUFFIXES.sub("", _PREFIXES.sub("", name))
    return key.strip("_").lower()


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Lower-case words of a dotted name, split on `.`, `_` and camelCase, repeats collapsed (`api.API`)."""
    words: list[str] = []
    for word in _CAMEL.sub("_", text.replace(".", "_")).lower().split("_"):
        if word and (not words or words[-1] != word):
            words.append(word)
    return tuple(words)


@lru_cache(maxsize=8192)
def _names_target(key: str, target: str) -> bool:
    """Whether a parameter key names a target: a word-suffix of it (`get_foo`, `api_get_foo`, `foo`), or a
    word-prefix of its last name (`get` for `get_by_uuid`)."""
    words, key_words = _words(target), _words(key)
    if not key_words or not words:
        return False
    n = len(key_words)
    last = _words(target.rsplit(".", 1)[-1])
    if words[-n:] == key_words:
        return True
    # `mock_notify` for `notify_about_instance_action`, but not `mock_get` for `get_by_instance`
    specific = n > 1 or (len(key_words[0]) >= 5 and key_words[0] not in _GENERIC)
    return specific and last[:n] == key_words

def _stems(text: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in _words(text)}


def _shares_word(param: str, target: str, ignore: frozenset[str] = frozenset()) -> bool:
    """Whether a parameter name and a target's last name have a word in common (plurals folded)."""
    return bool((_stems(_param_key(param)) & _stems(target.rsplit(".", 1)[-1])) - ignore)


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report parameters that receive another decorator's mock than the one they are named after."""
    assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    return _check(node, ctx) if len(node.decorator_list) >= 2 else ()  # a plain test first: most have fewer


def _check(node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> Iterator[Finding]:
    patches = [p for d in node.decorator_list if (p := patch_call(d, ctx)) is not None]
    injecting = [p for p in patches if p.injects]
    if len(injecting) < 2 or any(p.target is None for p in injecting):
        return
    targets = [p.target or "" for p in reversed(injecting)]  # bottom-up: the order of the parameters
    owner = ctx.enclosing_class()
    after = sum(1 for d in owner.decorator_list if (p := patch_call(d, ctx)) is not None and p.injects) \
        if owner is not None else 0
    params = _mock_params(node, targets, after)
    if params is None:
        return
    matches = [[j for j, t in enumerate(targets) if _names_target(_param_key(p.arg), t)] for p in params]
    owners = [[i for i, m in enumerate(matches) if j in m] for j in range(len(targets))]
    clear = {i: m[0] for i, m in enumerate(matches) if len(m) == 1 and owners[m[0]] == [i]}
    # Names are loose: `mock_get_vol` at the place of `cinder.API.get` may well mean it, and
    # `mock_from_port_request` may mean the `from_extended_port_request` it gets. Only a parameter
    # that shares no distinctive word with the target it gets, at a place whose parameter shares no
    # word with its target, is taken to hold the wrong mock.
    wrong = [i for i, j in clear.items() if i != j and not _shares_word(params[j].arg, targets[j])
             and not _shares_word(params[i].arg, targets[i], _FILLER)]
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
    yield ctx.report(RULE, name_range(first, first.arg), message, fix=complete, fix_safe=False, data=data)


def _mock_params(function: FunctionNode, targets: list[str], after: int) -> list[ast.arg] | None:
    """The parameters that receive the decorators' mocks.

    patch appends the mocks to the positional arguments of the call: right after `self` for a test,
    or after what a helper's caller passes positionally (nova passes the rest as keywords, other
    tests positionally). When the two windows differ, the one whose names all say mock decides.
    `after` mocks of class decorators come last.
    """
    if function.args.vararg is not None:
        return None
    count = len(targets)
    params = function.args.posonlyargs + function.args.args
    required = params[:len(params) - len(function.args.defaults)]
    if params and params[0].arg in ("self", "cls"):
        params, required = params[1:], required[1:]
    required = required[:len(required) - after] if after else required
    if len(required) < count:
        return None
    first, last = params[:count], required[len(required) - count:]
    if first == last:
        return first
    plausible = [w for w in (first, last)
                 if all(looks_like_mock(p.arg) or any(_names_target(_param_key(p.arg), t) for t in targets)
                        for p in w)]
    return plausible[0] if len(plausible) == 1 else None


RULE = Rule(
    code="SEC805", name="patch-argument-order", category=CATEGORY, severity=Severity.ERROR,
    docs=DOCS, nodes=(ast.FunctionDef, ast.AsyncFunctionDef), check=check,
    fix_title="Reorder the mock parameters",
)
