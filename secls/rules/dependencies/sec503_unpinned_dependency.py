"""SEC503 unpinned-dependency: an application requirement without any version bound."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.dependencies.common import CATEGORY

if TYPE_CHECKING:
    from secls.deps.model import Entry

DOCS = """\
# SEC503 unpinned-dependency

## What it finds

An entry of an application's requirement file (`requirements*.txt`, `constraints*.txt`) that
gives no version at all: `requests` rather than `requests==2.32.3` or `requests>=2.32,<3`.
Library metadata (`pyproject.toml`, `setup.cfg`) and pip-tools inputs (`*.in`) are left alone:
there, open ranges are the point.

## Why it matters

Every install may pull a different version, so what was reviewed and tested is not what runs,
and no advisory check (SEC502) can tell whether the version deployed is a vulnerable one.
A compromised or broken release is picked up the moment it is published.

## Example

```text
requests          # SEC503
flask>=3.0,<4     # ok
```

## Fix

Pin the version you tested (`requests==2.32.3`), ideally with hashes from a lock tool
(`pip-compile --generate-hashes`, `uv pip compile`). Cross-references: CWE-1104.
"""


def check_entry(entry: Entry) -> Iterator[Finding]:
    """A hint for a requirement without a version bound."""
    if entry.bounded:
        return
    s = entry.span
    yield Finding(code=RULE.code, category=CATEGORY, severity=RULE.severity,
                  message=f"{entry.name} has no version bound: pin the version you tested (`{entry.name}==...`)",
                  line=s.line, column=s.column, end_line=s.end_line, end_column=s.end_column)


def _no_python_check(node: ast.AST, ctx: object) -> Iterator[Finding]:
    """A document rule: nothing to do in Python modules (see secls.deps.analyze)."""
    return iter(())


RULE = Rule(
    code="SEC503", name="unpinned-dependency", category=CATEGORY, severity=Severity.HINT,
    docs=DOCS, nodes=(), check=_no_python_check, cwe=("CWE-1104",),
)
