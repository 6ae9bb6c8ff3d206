"""SEC703 tls-unverified: TLS connections that do not check the peer's certificate or host name."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.analysis.scope import parents_within
from secls.rules.access_control.common import CATEGORY, HTTP_VERBS, is_local_url
from secls.rules.base import Rule
from secls.rules.helpers import argument, called_name, is_constant, mentions, scoped_nodes

DOCS = """\
# SEC703 tls-unverified

## What it finds

`verify=False` in a call (requests, httpx, keystoneauth and the like — not `jwt.decode`, which is
SEC708, nor mock assertions), aiohttp's `ssl=False`, `cert_reqs="CERT_NONE"`, `ssl.CERT_NONE`,
`ssl._create_unverified_context`, `ctx.check_hostname = False`, `urllib3.disable_warnings`, and
paramiko's `AutoAddPolicy`/`WarningPolicy` host-key policies. Information in test code when the
call goes to localhost (`https://127.0.0.1:...`); an error everywhere else.

## Why it matters

Without certificate and host-name verification anyone on the network path can impersonate the
server: TLS still encrypts, but to the attacker. Credentials and data sent are theirs; responses
are whatever they like. Silencing urllib3's warning hides exactly this.

## Example

```python
requests.get("https://billing.internal/api", verify=False)   # SEC703
ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())      # SEC703
```

## Fix

Verify against the right trust store: `verify="/etc/pki/internal-ca.pem"`, `ssl.create_default_context(
cafile=...)`, a known-hosts file with `RejectPolicy`. The quick fix removes `verify=False` (it changes
behaviour: connections to servers with invalid certificates now fail).

Cross-references: bandit B501, B507, B323; ruff S501, S507, S323; CWE-295.
"""

_NAMES = frozenset({"CERT_NONE", "_create_unverified_context", "AutoAddPolicy", "WarningPolicy", "disable_warnings"})
_QUALIFIED = {
    "ssl.CERT_NONE": "`ssl.CERT_NONE` turns certificate checking off",
    "ssl._create_unverified_context": "`ssl._create_unverified_context` makes contexts that check nothing",
    "paramiko.AutoAddPolicy": "`AutoAddPolicy` trusts any unknown host key",
    "paramiko.client.AutoAddPolicy": "`AutoAddPolicy` trusts any unknown host key",
    "paramiko.WarningPolicy": "`WarningPolicy` trusts any unknown host key after a log line",
    "paramiko.client.WarningPolicy": "`WarningPolicy` trusts any unknown host key after a log line",
    "urllib3.disable_warnings": "`urllib3.disable_warnings` hides the warning about unverified TLS",
    "requests.packages.urllib3.disable_warnings": "`disable_warnings` hides the warning about unverified TLS",
}
_KEYWORDS = frozenset({"verify", "ssl", "cert_reqs", "verify_ssl"})
_GATE = ("CERT_NONE", "_create_unverified_context", "AutoAddPolicy", "WarningPolicy", "disable_warnings",
         "check_hostname")


def _severity(call: ast.Call | None, ctx: ModuleContext) -> Severity | None:
    """Information in test code against localhost, else the rule's error."""
    if call is None or not ctx.is_test_code():
        return None
    url = argument(call, 0, "url")
    local = is_local_url(url) or any(is_local_url(kw.value) for kw in call.keywords if kw.arg in ("host", "base_url"))
    return Severity.INFO if local else None


def _keyword(node: ast.keyword, ctx: ModuleContext) -> Iterator[Finding]:
    arg = node.arg
    if arg not in _KEYWORDS:
        return
    value = node.value
    if not (is_constant(value, False) or (arg == "cert_reqs" and is_constant(value, "CERT_NONE"))):
        return
    scope = ctx.stack[-1] if ctx.stack else ctx.tree
    call = parents_within(scope).get(id(node))
    if not isinstance(call, ast.Call):
        return
    name = called_name(call, ctx.imports.aliases) or ""
    qualified = ctx.call_name(call) or ""
    if name.startswith("assert") or name in ("call", "decode") or qualified.endswith("jwt.decode"):
        return  # a mock expectation, or a JWT option (SEC708)
    if arg in ("ssl", "verify_ssl") and not (qualified.startswith("aiohttp.") or name in HTTP_VERBS
                                             or name in ("ws_connect", "TCPConnector")):
        return  # `ssl=False` elsewhere means "no TLS", which is SEC709's business
    text = {"verify": "`verify=False` turns certificate checking off",
            "cert_reqs": "`cert_reqs=\"CERT_NONE\"` turns certificate checking off"}.get(arg, f"`{arg}=False` "
                                                                                          "turns certificate checking off")
    yield ctx.report(RULE, node, text + ": anyone on the path can impersonate the server",
                     severity=_severity(call, ctx), fix=arg == "verify", fix_safe=False)


def _named(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    if isinstance(node, ast.Assign):
        if is_constant(node.value, False) and any(isinstance(t, ast.Attribute) and t.attr == "check_hostname"
                                                  for t in node.targets):
            yield ctx.report(RULE, node, "`check_hostname = False` accepts a valid certificate of any host")
        return
    name = node.attr if isinstance(node, ast.Attribute) else node.id  # type: ignore[attr-defined]
    if name not in _NAMES:
        return
    qualified = ctx.qualname(node) or ""
    text = _QUALIFIED.get(qualified)
    if text is None and name == "disable_warnings" and qualified.endswith("urllib3.disable_warnings"):
        text = _QUALIFIED["urllib3.disable_warnings"]
    if text is not None:
        yield ctx.report(RULE, node, text)


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report switched-off certificate and host checks."""
    if isinstance(node, ast.keyword):  # a plain test first: it runs for every keyword
        return _keyword(node, ctx) if node.arg in _KEYWORDS else ()
    return _module(ctx)


def _module(ctx: ModuleContext) -> Iterator[Finding]:
    if mentions(ctx, _GATE):  # names are walked only where the text mentions them
        for found, _ in scoped_nodes(ctx.tree, (ast.Attribute, ast.Name, ast.Assign)):
            yield from _named(found, ctx)


RULE = Rule(
    code="SEC703", name="tls-unverified", category=CATEGORY, severity=Severity.ERROR, docs=DOCS,
    nodes=(ast.keyword, ast.Module), check=check,
    bandit=("B501", "B507", "B323"), ruff=("S501", "S507", "S323"), cwe=("CWE-295",),
    fix_title="Remove verify=False (changes behaviour)",
)
