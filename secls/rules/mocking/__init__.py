"""Category 8: tests that really test, and patches that do not hide the checks."""

from __future__ import annotations

from secls.rules.base import Rule

RULES: tuple[Rule, ...] = ()
