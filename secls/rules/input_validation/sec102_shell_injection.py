"""SEC102 shell-injection: a command run through a shell."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import (
    CALLS, CATEGORY, argument, called, how_built, is_literal, keyword, resolve,
)

DOCS = """\
# SEC102 shell-injection

## What it finds

Commands run through a shell: `subprocess.*(..., shell=True)` and any other call with
`shell=True`, `os.system`, `os.popen`, `subprocess.getoutput`, `commands.*`, `popen2.*`,
`os.spawn*`/`os.exec*` of a shell, and paramiko's `exec_command`. It is an error when the command
is built from non-literals (an f-string, `%`, `+`, `.format`, a parameter or another variable),
information when the command is a constant. List arguments without a shell are not reported.

## Why it matters

A shell interprets `;`, `|`, `$(...)`, backquotes and globs. A file name such as
`x; rm -rf ~` in a built command runs a second command (CWE-78).

## Example

```python
def archive(name):
    os.system(f"tar czf /backups/{name}.tgz data")   # SEC102: built from a parameter
```

## Fix

Pass a list of arguments without a shell: `subprocess.run(["tar", "czf", path, "data"], check=True)`.
When a shell is unavoidable, quote every inserted value with `shlex.quote`. Cross-references:
bandit B601, B602, B604, B605, B609; ruff S602, S604, S605, S609; CWE-78.
"""

ALWAYS_SHELL = frozenset({
    "os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "subprocess.getoutput",
    "subprocess.getstatusoutput", "commands.getoutput", "commands.getstatusoutput", "popen2.popen2",
    "popen2.popen3", "popen2.popen4", "popen2.Popen3", "popen2.Popen4", "asyncio.create_subprocess_shell",
})
_SHELL_NAMES = frozenset({name.rsplit(".", 1)[1] for name in ALWAYS_SHELL} | {"exec_command"})
_SPAWNS = frozenset(f"{kind}{form}" for kind in ("spawn", "exec")
                    for form in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe"))
SINK_NAMES = _SHELL_NAMES | _SPAWNS
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "csh", "cmd", "cmd.exe", "powershell", "pwsh"})


def _spawns_shell(call: ast.Call, name: str) -> ast.expr | None:
    """The command of `os.spawnl(mode, "/bin/sh", "sh", "-c", cmd)` / `os.execl("/bin/sh", ...)`."""
    args = call.args[1:] if name.startswith("os.spawn") else call.args
    if not args or not isinstance(args[0], ast.Constant) or not isinstance(args[0].value, str):
        return None
    if args[0].value.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].lower() not in SHELLS:
        return None
    for i, arg in enumerate(args):
        if isinstance(arg, ast.Constant) and arg.value in ("-c", "/c") and i + 1 < len(args):
            return args[i + 1]
        if isinstance(arg, (ast.List, ast.Tuple)):
            elts = arg.elts
            for j, elt in enumerate(elts):
                if isinstance(elt, ast.Constant) and elt.value in ("-c", "/c") and j + 1 < len(elts):
                    return elts[j + 1]
    return None


def shell_command(call: ast.Call, ctx: ModuleContext) -> tuple[ast.expr, str] | None:
    """(command, how it reaches a shell) when a call runs a command through a shell."""
    short = called(call, ctx)
    shell = keyword(call, "shell") if call.keywords else None
    if shell is not None and not (isinstance(shell.value, ast.Constant) and not shell.value.value):
        command = argument(call, 0, "args") or argument(call, 0, "cmd")
        via = "`shell=True`" if isinstance(shell.value, ast.Constant) else f"`shell={_spelling(shell.value)}`"
        return (command, via) if command is not None else None
    if short in _SHELL_NAMES:
        if short == "exec_command":
            if any(q.startswith("paramiko") for q in ctx.imports.aliases.values()):
                command = argument(call, 0, "command")
                return (command, "paramiko `exec_command`") if command is not None else None
            return None
        name = ctx.call_name(call) or ""
        if name in ALWAYS_SHELL:
            command = argument(call, 0, "cmd")
            return (command, f"`{name}`") if command is not None else None
    elif short in _SPAWNS:
        name = ctx.call_name(call) or ""
        if name.startswith(("os.spawn", "os.exec")):
            command = _spawns_shell(call, name)
            return (command, f"`{name}` of a shell") if command is not None else None
    return None


def _spelling(node: ast.expr) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else "..."


def is_built(command: ast.expr, ctx: ModuleContext) -> str | None:
    """Why a command is not a constant (`an f-string`, `a parameter`, ...), else None."""
    if isinstance(command, (ast.List, ast.Tuple)):
        for elt in command.elts:
            why = is_built(elt, ctx)
            if why:
                return why
        return None
    how = how_built(command)
    if how:
        return how
    if is_literal(command):
        return None
    value, kind = resolve(command, ctx)
    if kind == "parameter":
        return f"the parameter `{command.id}`"  # type: ignore[attr-defined]
    if kind == "assigned" and value is not None:
        if is_literal(value):
            return None
        return how_built(value) or f"`{command.id}`"  # type: ignore[attr-defined]
    return "a non-literal"


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report commands run through a shell; error when built, information when constant."""
    assert isinstance(node, ast.Call)
    found = shell_command(node, ctx)
    if found is None:
        return
    command, via = found
    why = is_built(command, ctx)
    maybe = via.startswith("`shell=") and not via.startswith("`shell=True")  # `shell=flag`: we cannot tell
    if why and maybe:
        yield ctx.report(RULE, node, f"command built from {why} runs through a shell when {via} is true: "
                                     "pass a list of arguments without a shell", severity=Severity.INFO)
    elif why:
        yield ctx.report(RULE, node, f"command built from {why} runs through a shell ({via}): "
                                     "pass a list of arguments without a shell", severity=Severity.ERROR)
    else:
        yield ctx.report(RULE, node, f"constant command runs through a shell ({via})", severity=Severity.INFO)


def sink_argument(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The command of a call that runs it through a shell."""
    found = shell_command(call, ctx)
    return found[0] if found else None


RULE = Rule(
    code="SEC102", name="shell-injection", category=CATEGORY, severity=Severity.ERROR, docs=DOCS, nodes=CALLS,
    check=check, calls=SINK_NAMES, call_keywords=frozenset({"shell"}), bandit=("B601", "B602", "B604", "B605", "B609"), ruff=("S602", "S604", "S605", "S609"),
    cwe=("CWE-78",),
)
