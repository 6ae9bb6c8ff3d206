"""Category 6: races and logic that defeat a check."""

from __future__ import annotations

from secls.rules.base import Rule

RULES: tuple[Rule, ...] = ()
