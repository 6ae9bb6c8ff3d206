"""SEC202 credential-format: literals in the format of a real provider credential."""

from __future__ import annotations

import ast

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.secrets.common import CATEGORY, credential_format

DOCS = """\
# SEC202 credential-format

## What it finds

String literals, anywhere and in test code too, in the format of a real credential (the patterns
of detect-secrets' provider plugins): AWS access key IDs (`AKIA`/`ASIA` + 16), GitHub tokens
(`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_`, `github_pat_`), Slack tokens and webhooks (`xoxb-`...),
Stripe live keys (`sk_live_`, `rk_live_`), Google API keys (`AIza` + 35), PEM private-key blocks,
JWTs, and credentials inside URLs (`scheme://user:pass@host`). Documented examples
(`AKIAIOSFODNN7EXAMPLE`, jwt.io's token, values spelled with `EXAMPLE`, `xxxx`), and URL
passwords that are placeholders or point at localhost/example hosts, are hints.

## Why it matters

A value in one of these formats is very likely live: providers issue them in exactly that shape,
and scanners (GitHub secret scanning, attackers' bots) find them within minutes of a push. Test
code is no exception: a real token in a fixture is still a real token (CWE-798).

## Example

```python
client = Github("ghp_0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX")   # SEC202
```

## Fix

Revoke the credential with its provider first, then remove it and load it at run time
(environment, secret store). Cross-references: CWE-798.
"""


def check(node: ast.AST, ctx: ModuleContext) -> list[Finding] | tuple[()]:
    """Report string literals holding a credential format."""
    # A plain function, not a generator: it runs for every constant and almost always finds nothing.
    assert isinstance(node, ast.Constant)
    value = node.value
    if type(value) is not str or len(value) < 16:
        return ()
    found = credential_format(value)
    if found is None:
        return ()
    kind, _, example = found
    if example:
        return [ctx.report(RULE, node, f"{kind} that looks like a documented example or placeholder",
                           severity=Severity.HINT)]
    return [ctx.report(RULE, node, f"{kind} in the source: revoke it, then load it at run time")]


RULE = Rule(
    code="SEC202", name="credential-format", category=CATEGORY, severity=Severity.ERROR, docs=DOCS,
    nodes=(ast.Constant,), check=check, min_string=16, cwe=("CWE-798",),
)
