"""Category 4: failures are never silently swallowed."""

from __future__ import annotations

from secls.rules.base import Rule

RULES: tuple[Rule, ...] = ()
