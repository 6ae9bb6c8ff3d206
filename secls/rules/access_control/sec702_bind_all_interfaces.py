"""SEC702 bind-all-interfaces: a server bound to every network interface."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY
from secls.rules.base import Rule
from secls.rules.helpers import called_name, calls_named, is_test_code_at, terminal_name, words

DOCS = """\
# SEC702 bind-all-interfaces

## What it finds

`"0.0.0.0"`, `"::"` (and `""` in a bind address tuple or a server's host argument) used as the
address to bind, listen on or run a server at: the first element of the address given to
`socket.bind`, `socketserver`/`http.server` servers, `app.run`, `run_simple`, `make_server`; a
keyword like `host=`, `bind_host=`, `listen=`; or a variable like `HOST`, `BIND_ADDRESS`,
`LISTEN_ADDR`. Other uses of the string (a comparison, a netmask) are not reported. Information in
test code.

## Why it matters

A service bound to every interface is reachable from every network the machine is on — often
more than intended (a debug server, an admin port, a database) and outside the firewall's intent.

## Example

```python
app.run(host="0.0.0.0", port=8080)           # SEC702
sock.bind(("", 9000))                         # SEC702
```

## Fix

Bind to the interface the service is for (`127.0.0.1` for local use), or make the address
configurable and default it to loopback.

Cross-references: bandit B104; ruff S104; CWE-605, CWE-1327.
"""

_ANY = frozenset({"0.0.0.0", "::"})
_ANY_OR_EMPTY = _ANY | {""}
_ADDRESS_CALLS = frozenset({
    "bind", "TCPServer", "UDPServer", "ThreadingTCPServer", "ThreadingUDPServer", "ForkingTCPServer",
    "ForkingUDPServer", "HTTPServer", "ThreadingHTTPServer", "WSGIServer", "SimpleXMLRPCServer",
    "DocXMLRPCServer", "create_server", "create_connection_server",
})
_HOST_FIRST = frozenset({"run", "run_simple", "make_server"})


def _host_name(name: str | None) -> bool:
    """`host`, `bind_host`, `listen_address`, `BIND_ADDR` — not `my_ip` or `hostname`."""
    parts = words(name) if name else ()
    return bool(parts) and (parts[-1] == "host" or "bind" in parts or "listen" in parts)


def _constant(node: ast.AST | None, values: frozenset[str]) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in values


def _report(node: ast.AST, ctx: ModuleContext, stack: list[ast.AST] | None = None) -> Finding:
    value = node.value if isinstance(node, ast.Constant) else ""  # type: ignore[union-attr]
    shown = f'"{value}"'
    test = ctx.is_test_code() if stack is None else is_test_code_at(ctx, stack)
    return ctx.report(RULE, node, f"binding to {shown} listens on every network interface; bind to the one "
                                  "the service is for", severity=Severity.INFO if test else None)


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report any-address hosts given to binds, servers, host keywords and host variables."""
    # A plain function for the many keywords and assignments (a generator made for each costs more than
    # the check); the module's calls are reported lazily.
    if isinstance(node, ast.keyword):
        return (_report(node.value, ctx),) if _constant(node.value, _ANY) and _host_name(node.arg) else ()
    if isinstance(node, ast.Assign):
        if _constant(node.value, _ANY) and len(node.targets) == 1 and _host_name(terminal_name(node.targets[0])):
            return (_report(node.value, ctx),)
        return ()
    return _module(ctx)


def _module(ctx: ModuleContext) -> Iterator[Finding]:
    for call, stack in calls_named(ctx, _ADDRESS_CALLS | _HOST_FIRST):
        if not call.args:
            continue
        name = called_name(call, ctx.imports.aliases)
        first = call.args[0]
        if isinstance(first, ast.Tuple) and first.elts and _constant(first.elts[0], _ANY_OR_EMPTY):
            yield _report(first.elts[0], ctx, stack)
        elif name in _HOST_FIRST and _constant(first, _ANY if name == "run" else _ANY_OR_EMPTY):
            yield _report(first, ctx, stack)


RULE = Rule(
    code="SEC702", name="bind-all-interfaces", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module, ast.keyword, ast.Assign), check=check, bandit=("B104",), ruff=("S104",),
    cwe=("CWE-605", "CWE-1327"),
)
