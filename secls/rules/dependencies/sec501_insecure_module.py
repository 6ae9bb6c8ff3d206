"""SEC501 insecure-module: imports of modules that are insecure by design or unmaintained."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.helpers import mentions, scoped_nodes
from secls.rules.dependencies.common import CATEGORY

DOCS = """\
# SEC501 insecure-module

## What it finds

Imports of modules that are risky whatever the code does with them: `telnetlib` and `ftplib`
(clear-text protocols, B401/B402), `Crypto.*` from the unmaintained `pycrypto` (B413),
`pyghmi` (IPMI, B415), `xmlrpc` (XML attacks, B411), and the httpoxy-prone CGI handlers
`wsgiref.handlers.CGIHandler`, `twisted.web.twcgi.CGIScript` and `CGIDirectory` (B412) are warnings.
`pickle`, `cPickle`, `shelve` and `dill` (B403) and the standard XML parsers `xml.etree`,
`xml.sax`, `xml.dom.minidom`, `xml.dom.pulldom`, `xml.dom.expatbuilder` and `lxml` (B405–B410)
are information: safe on trusted data, dangerous on anything else.

## Why it matters

Telnet and FTP send credentials in clear text; pycrypto has known, unfixed vulnerabilities;
unpickling runs arbitrary code; the standard XML parsers expand entities (billion laughs,
external entities); a CGI handler copies the `Proxy` request header into `HTTP_PROXY`, and
outgoing requests then go through the attacker's proxy (httpoxy).

## Example

```python
import telnetlib                          # SEC501 (warning)
from Crypto.Cipher import AES             # SEC501 (warning)
import pickle                             # SEC501 (information)
```

## Fix

Use SSH (`paramiko`, `asyncssh`) or SFTP/FTPS instead of Telnet/FTP, `cryptography` or
`pycryptodome` (as `Cryptodome`) instead of pycrypto, JSON instead of pickle for untrusted
data, and `defusedxml` (`defusedxml.xmlrpc.monkey_patch()` for xmlrpc) for XML.
Cross-references: bandit B401–B403, B405–B413, B415; ruff S401–S415; CWE-319, CWE-327, CWE-502, CWE-611.
"""

# module prefix -> (severity, bandit id, why)
_MODULES: dict[str, tuple[Severity, str, str]] = {
    "telnetlib": (Severity.WARNING, "B401", "Telnet sends everything, credentials included, in clear text"),
    "ftplib": (Severity.WARNING, "B402", "FTP sends credentials and data in clear text"),
    "Crypto": (Severity.WARNING, "B413", "pycrypto is unmaintained and has known vulnerabilities"),
    "pyghmi": (Severity.WARNING, "B415", "IPMI is an insecure protocol"),
    "xmlrpc": (Severity.WARNING, "B411", "xmlrpc parses XML without protection against XML attacks"),
    "xmlrpclib": (Severity.WARNING, "B411", "xmlrpc parses XML without protection against XML attacks"),
    "pickle": (Severity.INFO, "B403", "unpickling untrusted data runs arbitrary code"),
    "cPickle": (Severity.INFO, "B403", "unpickling untrusted data runs arbitrary code"),
    "shelve": (Severity.INFO, "B403", "shelve unpickles its values: untrusted data runs arbitrary code"),
    "dill": (Severity.INFO, "B403", "dill unpickles: untrusted data runs arbitrary code"),
    "xml.etree": (Severity.INFO, "B405", "the standard XML parsers are open to XML attacks on untrusted data"),
    "xml.sax": (Severity.INFO, "B406", "the standard XML parsers are open to XML attacks on untrusted data"),
    "xml.dom.expatbuilder": (Severity.INFO, "B407", "the standard XML parsers are open to XML attacks"),
    "xml.dom.minidom": (Severity.INFO, "B408", "the standard XML parsers are open to XML attacks"),
    "xml.dom.pulldom": (Severity.INFO, "B409", "the standard XML parsers are open to XML attacks"),
    "lxml": (Severity.INFO, "B410", "lxml resolves entities by default: open to XML attacks on untrusted data"),
}
_CGI = {"wsgiref.handlers.CGIHandler", "twisted.web.twcgi.CGIScript", "twisted.web.twcgi.CGIDirectory"}
_CGI_WHY = "a CGI handler exposes the app to httpoxy (the Proxy header becomes HTTP_PROXY)"
_CGI_NAMES = ("CGIHandler", "CGIScript", "CGIDirectory")


def _classify(module: str) -> tuple[Severity, str, str] | None:
    for prefix, info in _MODULES.items():
        if module == prefix or module.startswith(prefix + "."):
            return info
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report risky imports, and uses of the httpoxy-prone CGI handlers."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        full = [f"{node.module}.{alias.name}" for alias in node.names]
        cgi = [n for n in full if n in _CGI]
        if cgi:
            yield ctx.report(RULE, node, f"import of `{cgi[0]}`: {_CGI_WHY}", severity=Severity.WARNING)
            return
        # `from xml import sax` imports xml.sax; `from xml.etree import ElementTree` is under xml.etree.
        names = [n for n in full if _classify(n)] or [node.module]
    elif isinstance(node, ast.Module):  # attributes are walked only where the text names a CGI handler
        if mentions(ctx, _CGI_NAMES):
            for found, _ in scoped_nodes(node, (ast.Attribute,)):
                if found.attr in _CGI_NAMES and (qualified := ctx.qualname(found)) in _CGI:  # type: ignore[attr-defined]
                    yield ctx.report(RULE, found, f"`{qualified}`: {_CGI_WHY}", severity=Severity.WARNING)
        return
    for name in names:
        info = _classify(name)
        if info is not None:
            severity, bandit, why = info
            yield ctx.report(RULE, node, f"import of `{name}` ({bandit}): {why}", severity=severity)
            return


RULE = Rule(
    code="SEC501", name="insecure-module", category=CATEGORY, severity=Severity.WARNING,
    docs=DOCS, nodes=(ast.Import, ast.ImportFrom, ast.Module), check=check,
    bandit=("B401", "B402", "B403", "B405", "B406", "B407", "B408", "B409", "B410", "B411", "B412", "B413",
            "B415"),
    ruff=("S401", "S402", "S403", "S405", "S406", "S407", "S408", "S409", "S410", "S411", "S412", "S413",
          "S415"),
    cwe=("CWE-319", "CWE-327", "CWE-502", "CWE-611"),
)
