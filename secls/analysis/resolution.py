"""Answers from outside the module (base classes, patch targets), as plain data the rules can read.

The jedi resolver (`secls.resolve`) computes them off the keystroke path; the analysis only reads
a `Resolution`, so it stays pure and fast. A question with no answer is unknown, never missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from secls.analysis.frameworks import BaseFacts


@dataclass(frozen=True)
class TargetVerdict:
    """Whether a dotted patch target exists: True, False (missing), or None (unknown)."""

    exists: bool | None
    suggestion: str | None = None
    module_path: str | None = None
    module: str | None = None


class BaseResolver(Protocol):
    """What the analysis may ask about names defined outside the module."""

    def base_facts(self, module_path: str | None, base_expr: str) -> BaseFacts | None:
        """Facts for a base class expression as written in the module, or None when unknown."""

    def patch_target(self, target: str) -> TargetVerdict | None:
        """Whether a dotted patch target exists, or None when unknown."""


@dataclass
class Resolution:
    """Resolved answers for one module, keyed as the module spells them; records what was missed."""

    bases: dict[str, BaseFacts | None] = field(default_factory=dict)
    targets: dict[str, TargetVerdict] = field(default_factory=dict)
    missed_bases: set[str] = field(default_factory=set)
    missed_targets: set[str] = field(default_factory=set)
    generation: int = 0

    @property
    def missed(self) -> bool:
        """Whether an analysis asked something this resolution has no answer for."""
        return bool(self.missed_bases or self.missed_targets)

    def same_answers(self, other: "Resolution") -> bool:
        """Whether two resolutions answer alike."""
        return self.bases == other.bases and self.targets == other.targets

    def base_facts(self, module_path: str | None, base_expr: str) -> BaseFacts | None:
        """The resolved facts of a base, or None (recorded as missed when never asked before)."""
        if base_expr not in self.bases:
            self.missed_bases.add(base_expr)
            return None
        return self.bases[base_expr]

    def patch_target(self, target: str) -> TargetVerdict | None:
        """The verdict on a patch target, or None (recorded as missed when never asked before)."""
        if target not in self.targets:
            self.missed_targets.add(target)
            return None
        return self.targets[target]
