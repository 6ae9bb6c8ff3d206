"""SEC104 unsafe-deserialization: loaders that can run code while reading data."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import CALLS, CATEGORY, argument, called, is_true, keyword

DOCS = """\
# SEC104 unsafe-deserialization

## What it finds

Loads of `pickle`/`cPickle`/`_pickle`/`dill`/`shelve`/`marshal`/`jsonpickle` data (and
`pandas.read_pickle`); `yaml.load`/`load_all` without a safe loader, `yaml.unsafe_load`,
`Loader=yaml.Loader`/`UnsafeLoader`/`FullLoader`; `torch.load` without `weights_only=True`.
`yaml.safe_load` and `Loader=SafeLoader`/`CSafeLoader` are fine.

## Why it matters

These formats describe objects to construct, and constructing them can call any function:
a crafted pickle runs `os.system` on load. Loading data from a file, a socket, a cache or a
request with them hands code execution to whoever wrote the data (CWE-502).

## Example

```python
config = yaml.load(stream)   # SEC104
```

## Fix

`yaml.load(x)` → `yaml.safe_load(x)` (the quick fix; plain YAML loads the same). For pickles, use
a data-only format (JSON) or sign the data with `hmac` and verify before loading; for PyTorch,
`torch.load(path, weights_only=True)`. Cross-references: bandit B301, B302, B506, B614; ruff S301,
S302, S506; CWE-502.
"""

FIX_TITLE = "Use yaml.safe_load (safe)"
LOADERS = frozenset({
    "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads", "_pickle.Unpickler",
    "dill.load", "dill.loads", "dill.Unpickler", "shelve.open", "shelve.DbfilenameShelf",
    "marshal.load", "marshal.loads", "jsonpickle.decode", "jsonpickle.unpickler.decode",
    "jsonpickle.unpickler.Unpickler", "pandas.read_pickle", "numpy.load",
})
_SHORT = frozenset({n.rsplit(".", 1)[1] for n in LOADERS} | {"load", "load_all", "unsafe_load", "unsafe_load_all",
                                                           "full_load", "full_load_all"})
SINK_NAMES = _SHORT
SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})


def unsafe_load(call: ast.Call, ctx: ModuleContext) -> tuple[str, bool] | None:
    """(what is unsafe, whether `yaml.safe_load` fixes it) for an unsafe loading call."""
    func = call.func
    short = called(call, ctx)
    if short not in _SHORT:
        return None
    name = ctx.call_name(call) or ""
    if name in LOADERS:
        allow = keyword(call, "allow_pickle") if name == "numpy.load" else None
        if name == "numpy.load" and (allow is None or not is_true(allow.value)):
            return None
        return f"`{name}` can run code while loading", False
    if name in ("yaml.unsafe_load", "yaml.unsafe_load_all", "yaml.full_load", "yaml.full_load_all"):
        return f"`{name}` constructs arbitrary Python objects", False
    if name in ("yaml.load", "yaml.load_all"):
        loader = argument(call, 1, "Loader")
        if loader is None and any(k.arg is None for k in call.keywords):
            return None  # **options may carry a loader
        if loader is None:
            fixable = name == "yaml.load" and isinstance(func, ast.Attribute) and len(call.args) == 1
            return f"`{name}` without a safe loader", fixable
        loader_name = (ctx.qualname(loader) or "").rsplit(".", 1)[-1]
        if loader_name in SAFE_LOADERS:
            return None
        if loader_name in ("Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader"):
            return f"`{name}` with `{loader_name}` constructs Python objects", False
        return None  # a loader we cannot judge
    if name == "torch.load":
        weights = keyword(call, "weights_only")
        if weights is not None and is_true(weights.value):
            return None
        return "`torch.load` without `weights_only=True` unpickles arbitrary objects", False
    return None


def sink_argument(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The data argument of an unsafe loading call."""
    return argument(call, 0) if unsafe_load(call, ctx) else None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report unsafe deserialisation calls."""
    assert isinstance(node, ast.Call)
    found = unsafe_load(node, ctx)
    if found is None:
        return
    message, fixable = found
    yield ctx.report(RULE, node, f"{message}: never load untrusted data with it", fix=FIX_TITLE if fixable else False)


RULE = Rule(
    code="SEC104", name="unsafe-deserialization", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=CALLS, check=check, calls=SINK_NAMES, bandit=("B301", "B302", "B506", "B614"), ruff=("S301", "S302", "S506"),
    cwe=("CWE-502",), fix_title=FIX_TITLE,
)
