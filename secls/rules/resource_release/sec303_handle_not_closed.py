"""SEC303 handle-not-closed: a handle, process, thread, executor or loop never released."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.resource_release.common import CATEGORY, NODES, lifecycles, registrar, where

DOCS = """\
# SEC303 handle-not-closed

## What it finds

In test code (setUp, setUpClass, tests, fixtures), a file, socket, database connection,
HTTP connection, archive, mmap, selector, log handler (`open`, `socket.socket`,
`sqlite3.connect`, `zipfile.ZipFile`, ...), a `subprocess.Popen`, a started
`threading.Thread`, an executor or pool, or an event loop, kept on `self`/`cls` or in a
local, that is never closed, waited for, joined or shut down — not by `addCleanup`,
`tearDown`, `with`, `enterContext`, nor later in the same function. A local that is
returned, yielded to a caller, or stored elsewhere is not reported.

## Why it matters

Each leaked descriptor, process or thread survives the test: suites run out of file
descriptors, zombie processes and live threads interfere with later tests, and
`ResourceWarning`s hide real ones.

## Example

```python
    def setUp(self):
        super().setUp()
        self.conn = sqlite3.connect(":memory:")   # SEC303: never closed
```

## Fix

```python
        self.conn = sqlite3.connect(":memory:")
        self.addCleanup(self.conn.close)
```

Processes: `self.addCleanup(p.wait)` then `self.addCleanup(p.kill)`; threads: `join`;
executors: `shutdown`. Cross-references: CWE-404, CWE-772, CWE-775.
"""

_KINDS = {"handle", "connection", "process", "thread", "executor", "pool", "loop"}
RELEASE_FOR_FIX = {"handle": "close", "connection": "close", "process": "kill,wait", "thread": "join", "executor": "shutdown",
                   "pool": "terminate", "loop": "close"}
_NOUN = {"handle": "is never closed", "connection": "is never closed", "process": "is never waited for", "thread": "is never joined",
         "executor": "is never shut down", "pool": "is never closed", "loop": "is never closed"}


def released_names(target: str) -> list[str] | None:
    """The names a fix releases for a handle bound to `target` (`r, w` -> r and w); None when one of them has
    no usable name (`_`, `*rest`)."""
    names = "".join(target.split()).strip("()[]").split(",")
    if any(not name or name == "_" or name.startswith("*") for name in names):
        return None
    return names


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report handles kept by test code that nothing releases."""
    for life in lifecycles(node, ctx):
        for acq in life.unreleased(_KINDS):
            reg = registrar(acq)
            target = acq.spelled or ""
            name = f"`{target}` = `{acq.description}`" if target else f"`{acq.description}`"
            message = f"{name} {where(acq)} {_NOUN[acq.kind]}"
            data = {"kind": acq.kind, "target": target, "registrar": reg, "release": RELEASE_FOR_FIX[acq.kind]}
            yield ctx.report(RULE, acq.node, message, fix=bool(reg and target and released_names(target)),
                             data=data)


RULE = Rule(
    code="SEC303", name="handle-not-closed", category=CATEGORY, severity=Severity.WARNING,
    docs=DOCS, nodes=NODES, check=check, cwe=("CWE-404", "CWE-772", "CWE-775"),
    fix_title="Release it with addCleanup",
)
