"""Findings about secls's own review comments (SEC0xx), outside the eight categories."""

from __future__ import annotations

from secls.rules.base import Rule
from secls.rules.suppressions import sec001_unused_suppression

RULES: tuple[Rule, ...] = (
    sec001_unused_suppression.RULE,
)
