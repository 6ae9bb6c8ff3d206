"""SEC402 bare-except: `except:` catches SystemExit and KeyboardInterrupt too."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.error_handling.common import CATEGORY
from secls.rules.helpers import first_line

DOCS = """\
# SEC402 bare-except

## What it finds

An `except:` clause without an exception type.

## Why it matters

A bare `except` also catches `SystemExit`, `KeyboardInterrupt` and `GeneratorExit`: the process
cannot be stopped cleanly, and a failure deep inside a security check is treated like any
expected error.

## Example

```python
try:
    token = decode(request.headers["Authorization"])
except:            # SEC402
    token = None
```

## Fix

Catch `Exception` (or, better, the specific exceptions expected):

```python
except Exception:
    token = None
```

The quick fix writes `except Exception:`; it changes behaviour, since `SystemExit` and
`KeyboardInterrupt` now propagate. Cross-references: ruff E722; CWE-396.
"""


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report `except:` clauses."""
    assert isinstance(node, ast.ExceptHandler)
    if node.type is None:
        yield ctx.report(RULE, first_line(node, 6), "bare `except:` also catches SystemExit and KeyboardInterrupt",
                         fix=True, fix_safe=False)


RULE = Rule(
    code="SEC402", name="bare-except", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=(ast.ExceptHandler,), check=check, ruff=("E722",), cwe=("CWE-396",),
    fix_title="Catch Exception instead (changes behaviour)",
)
