"""Category 2: hard-coded sensitive information."""

from __future__ import annotations

from secls.rules.base import Rule

RULES: tuple[Rule, ...] = ()
