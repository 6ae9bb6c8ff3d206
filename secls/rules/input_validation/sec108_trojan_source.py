"""SEC108 trojan-source: bidirectional control characters in the source."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import CATEGORY, Span

DOCS = """\
# SEC108 trojan-source

## What it finds

Unicode bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C)
anywhere in the source, in strings and comments included.

## Why it matters

These characters reorder how a line is displayed without changing what Python reads: code can
look like a comment, or a string can look like it closes where it does not (the "Trojan Source"
attack, CVE-2021-42574, CWE-1007). Reviewers approve what they see; the interpreter runs
something else.

## Example

```python
access_level = "user"
if access_level != "none\u202e \u2066# Check if admin\u2069 \u2066":   # SEC108
    ...
```

## Fix

Remove the characters. When right-to-left text is really needed in a string, write the control
characters as escapes (`"\\u202e"`) so that they are visible. Cross-references: bandit B613;
CWE-1007.
"""

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report every bidirectional control character, once per line."""
    text = ctx.source.text
    if text.isascii() or not BIDI.search(text):
        return
    for lineno, line in enumerate(ctx.source.lines, start=1):
        match = BIDI.search(line)
        if match is None:
            continue
        start = len(line[:match.start()].encode("utf-8"))
        span = Span(lineno, start, lineno, start + len(match.group().encode("utf-8")))
        message = (f"bidirectional control character U+{ord(match.group()):04X} makes this line display "
                   "differently from how Python reads it")
        yield ctx.report(RULE, span, message)  # type: ignore[arg-type]


RULE = Rule(
    code="SEC108", name="trojan-source", category=CATEGORY, severity=Severity.ERROR, docs=DOCS,
    nodes=(ast.Module,), check=check, bandit=("B613",), cwe=("CWE-1007",),
)
