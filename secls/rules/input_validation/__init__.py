"""Category 1: untrusted data reaching dangerous sinks."""

from __future__ import annotations

from secls.rules.base import Rule

RULES: tuple[Rule, ...] = ()
