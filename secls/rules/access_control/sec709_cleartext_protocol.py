"""SEC709 cleartext-protocol: Telnet, FTP, SNMP v1/v2c or unauthenticated SNMPv3, logging's config listener."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.access_control.common import CATEGORY
from secls.rules.base import Rule
from secls.rules.helpers import called_name, calls_named, keyword

DOCS = """\
# SEC709 cleartext-protocol

## What it finds

Connections over protocols that send credentials and data in clear text or accept anyone:
`telnetlib.Telnet`, `ftplib.FTP` (not `FTP_TLS`), pysnmp's `CommunityData` (SNMP v1/v2c:
the community string is a password sent in clear) and `UsmUserData` without both an
authentication and a privacy key, and `logging.config.listen`, which accepts configuration —
and with it code — from anyone who can connect.

## Why it matters

Anyone on the network path reads the password and the data, and can inject their own.
`logging.config.listen` evaluates what it receives: a remote code execution port.

## Example

```python
ftp = ftplib.FTP("files.example.com")                   # SEC709
snmp = CommunityData("public", mpModel=0)               # SEC709
```

## Fix

Use SSH (paramiko), `ftplib.FTP_TLS` or SFTP, SNMPv3 with `authPriv` (`UsmUserData(user, authKey,
privKey, authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)`); pass a `verify`
callable to `logging.config.listen` or do not use it.

Cross-references: bandit B312, B321, B508, B509, B612; ruff S312, S321, S508, S509; CWE-319.
"""

_NAMES = frozenset({"Telnet", "FTP", "CommunityData", "UsmUserData", "listen"})


def _message(node: ast.Call, name: str, qualified: str) -> str | None:
    if qualified == "telnetlib.Telnet":
        return "Telnet sends passwords and data in clear text; use SSH"
    if qualified == "ftplib.FTP":
        return "FTP sends passwords and data in clear text; use `ftplib.FTP_TLS` or SFTP"
    if qualified == "logging.config.listen":
        return None if keyword(node, "verify") or len(node.args) >= 2 else \
            "`logging.config.listen` takes configuration (and code) from anyone who can connect"
    if not qualified.startswith("pysnmp."):
        return None
    if name == "CommunityData":
        return "SNMP v1/v2c sends the community string in clear text; use SNMPv3 with authPriv"
    keys = len(node.args) - 1 + sum(1 for kw in node.keywords if kw.arg in ("authKey", "privKey"))
    if keys < 2:
        return "SNMPv3 without both an authentication and a privacy key is unauthenticated or unencrypted"
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report clear-text protocol clients and listeners."""
    for call, _ in calls_named(ctx, _NAMES):
        message = _message(call, called_name(call, ctx.imports.aliases) or "", ctx.call_name(call) or "")
        if message is not None:
            yield ctx.report(RULE, call, message)


RULE = Rule(
    code="SEC709", name="cleartext-protocol", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B312", "B321", "B508", "B509", "B612"),
    ruff=("S312", "S321", "S508", "S509"), cwe=("CWE-319",),
)
