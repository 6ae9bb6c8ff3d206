"""SEC701 permissive-mode: files and folders made writable by group or others."""

from __future__ import annotations

import ast
import stat
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY
from secls.rules.base import Rule
from secls.rules.helpers import argument, called_name, calls_named

DOCS = """\
# SEC701 permissive-mode

## What it finds

`os.chmod`, `os.fchmod`, `os.lchmod`, `os.mkdir`, `os.makedirs`, `os.open`, `os.mknod` and the
`Path.chmod`/`Path.mkdir`/`Path.touch` methods given a mode that lets the group or others write
(`0o777`, `0o666`, `0o775`, `stat.S_IWOTH | ...`), and `os.umask(0)` or any umask that leaves
group/other write open. Modes are evaluated from integer literals and `stat.S_*` constants.

## Why it matters

A file or folder others can write can be replaced or altered by any local user: configuration
gains an attacker's settings, a script gains their code, a key file becomes theirs.

## Example

```python
os.chmod(key_path, 0o777)      # SEC701
os.makedirs(cache, mode=0o777) # SEC701
```

## Fix

Grant the least needed: `0o600` for secrets, `0o644` for readable files, `0o700`/`0o755` for
folders, and a umask of `0o022` or stricter.

Cross-references: bandit B103; ruff S103; CWE-732.
"""

_GROUP_OTHER_WRITE = stat.S_IWGRP | stat.S_IWOTH
# function -> (position, keyword) of the mode argument
_MODE_ARG: dict[str, tuple[int, str]] = {
    "os.chmod": (1, "mode"), "os.fchmod": (1, "mode"), "os.lchmod": (1, "mode"), "os.mkdir": (1, "mode"),
    "os.makedirs": (1, "mode"), "os.open": (2, "mode"), "os.mknod": (1, "mode"), "os.mkfifo": (1, "mode"),
}
_METHODS = {"chmod": (0, "mode"), "lchmod": (0, "mode"), "mkdir": (0, "mode"), "touch": (0, "mode")}
_NAMES = frozenset({q.rpartition(".")[2] for q in _MODE_ARG} | set(_METHODS) | {"umask"})


def mode_value(node: ast.AST | None, ctx: ModuleContext) -> int | None:
    """The integer a mode expression evaluates to (literals, `stat.S_*`, `|`, `&`, `^`, `~`, `+`), else None."""
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = ctx.qualname(node) or ""
        module, _, attr = name.rpartition(".")
        if module == "stat" and attr.startswith("S_") and isinstance(getattr(stat, attr, None), int):
            return int(getattr(stat, attr))
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        inner = mode_value(node.operand, ctx)
        return None if inner is None else ~inner & 0o7777
    if isinstance(node, ast.BinOp):
        left, right = mode_value(node.left, ctx), mode_value(node.right, ctx)
        if left is None or right is None:
            return None
        ops = {ast.BitOr: int.__or__, ast.BitAnd: int.__and__, ast.BitXor: int.__xor__, ast.Add: int.__add__}
        op = ops.get(type(node.op))
        return op(left, right) if op else None
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report modes that let group or others write, and wide-open umasks."""
    for call, _ in calls_named(ctx, _NAMES):
        yield from _check_call(call, ctx)


def _check_call(node: ast.Call, ctx: ModuleContext) -> Iterator[Finding]:
    name = called_name(node, ctx.imports.aliases)
    qualified = ctx.call_name(node) or ""
    if name == "umask":
        if qualified == "os.umask" and node.args:
            value = mode_value(node.args[0], ctx)
            if value is not None and not value & stat.S_IWOTH:
                yield ctx.report(RULE, node, f"`os.umask({oct(value)})` lets new files be writable by "
                                             "group or others; use 0o022 or stricter")
        return
    where = _MODE_ARG.get(qualified)
    if where is None:
        if not isinstance(node.func, ast.Attribute) or qualified.startswith("os.") or name not in _METHODS:
            return
        where = _METHODS[name]  # a method of a path object (pathlib), whatever its spelling
    mode = argument(node, *where)
    value = mode_value(mode, ctx)
    if mode is None or value is None or not value & _GROUP_OTHER_WRITE:
        return
    who = "everyone" if value & stat.S_IWOTH else "the group"
    yield ctx.report(RULE, mode, f"mode {oct(value)} lets {who} write; grant the least needed "
                                 "(0o600/0o644 files, 0o700/0o755 folders)")


RULE = Rule(
    code="SEC701", name="permissive-mode", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B103",), ruff=("S103",), cwe=("CWE-732",),
)
