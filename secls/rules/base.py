"""What a rule is: metadata, documentation, the node types it visits and its check."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secls.analysis.findings import Finding, Severity

if TYPE_CHECKING:
    from secls.analysis.context import ModuleContext

Check = Callable[[ast.AST, "ModuleContext"], Iterable[Finding]]

DOC_SECTIONS = ("## What it finds", "## Why it matters", "## Example", "## Fix")


@dataclass(frozen=True, eq=False)  # one object per rule: equal is identical (cheap `in` over rule lists)
class Rule:
    """A rule: a stable code, a name, a category, a default severity, its docs and its check."""

    code: str
    name: str
    category: str
    severity: Severity
    docs: str
    nodes: tuple[type[ast.AST], ...]
    check: Check = field(compare=False)
    bandit: tuple[str, ...] = ()
    ruff: tuple[str, ...] = ()
    cwe: tuple[str, ...] = ()
    enabled_by_default: bool = True
    fix_title: str | None = None
    # For rules on ast.Call: the called names (`x.name(...)`, or `name(...)` through its import) the
    # rule cares about; the engine then skips every other call. None: every call.
    calls: frozenset[str] | None = None
    # With `calls`: calls given any of these keyword arguments (`shell=`) are checked whatever their name.
    call_keywords: frozenset[str] = frozenset()
    # For rules on ast.Constant that read only strings: the shortest they check. When every rule on
    # literals says so, the engine skips the other literals (most are short, or not strings).
    min_string: int | None = None

    @property
    def summary(self) -> str:
        """The first paragraph of the 'What it finds' section, as one line."""
        text = self.docs.split("## What it finds", 1)[-1].strip()
        return " ".join(text.split("\n\n", 1)[0].split())

    def cross_references(self) -> tuple[str, ...]:
        """Codes of other tools (bandit, ruff) that this rule also answers to in suppressions."""
        return self.bandit + self.ruff
