"""SEC110 url-open-scheme: urllib opening a URL that is not a literal http(s) URL."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import CALLS, CATEGORY, argument, called, is_string

DOCS = """\
# SEC110 url-open-scheme

## What it finds

`urllib.request.urlopen`, `urlretrieve`, `Request`, `URLopener`/`FancyURLopener` (and the
Python 2 `urllib`/`urllib2`/`six.moves` spellings) with a URL that is not a literal `http://` or
`https://` URL. In test code these are hints: tests open URLs they built, often for their own
fake handlers.

## Why it matters

urllib opens whatever scheme the URL names: `file:///etc/passwd` reads local files, and custom
handlers add more. A URL from configuration or a request can therefore read the server's files
or reach internal services (CWE-939, and SSRF).

## Example

```python
def fetch(url):
    return urllib.request.urlopen(url).read()   # SEC110
```

## Fix

Check the scheme before opening (`urllib.parse.urlsplit(url).scheme in ("http", "https")`), or use
an HTTP client such as `requests`/`httpx` that only speaks HTTP. Cross-references: bandit B310;
ruff S310; CWE-939.
"""

OPENERS = frozenset({
    f"{module}.{fn}"
    for module in ("urllib.request", "urllib", "urllib2", "six.moves.urllib.request")
    for fn in ("urlopen", "urlretrieve", "Request", "URLopener", "FancyURLopener")
})
_SHORT = frozenset(n.rsplit(".", 1)[1] for n in OPENERS)


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report urllib opens of URLs that are not literal http(s) URLs."""
    assert isinstance(node, ast.Call)
    short = called(node, ctx)
    if short not in _SHORT or (ctx.call_name(node) or "") not in OPENERS:
        return
    if short in ("URLopener", "FancyURLopener"):
        message = f"`{short}` opens any scheme, `file://` included"
    else:
        url = argument(node, 0, "url") or argument(node, 0, "fullurl")
        if url is None:
            return
        if is_string(url) and isinstance(url, ast.Constant):
            value = url.value.decode("latin-1") if isinstance(url.value, bytes) else url.value
            if value.lower().startswith(("http://", "https://")):
                return
            message = f"`{short}` of a non-HTTP URL ({value.split(':', 1)[0]!r} scheme)"
        else:
            message = f"`{short}` of a non-literal URL also opens `file://` and custom schemes: check the scheme first"
    # Tests open URLs they built themselves, often for their own fake handlers.
    yield ctx.report(RULE, node, message, severity=Severity.HINT if ctx.is_test_code() else None)


RULE = Rule(
    code="SEC110", name="url-open-scheme", category=CATEGORY, severity=Severity.WARNING, docs=DOCS, nodes=CALLS,
    check=check, calls=_SHORT, bandit=("B310",), ruff=("S310",), cwe=("CWE-939",),
)
