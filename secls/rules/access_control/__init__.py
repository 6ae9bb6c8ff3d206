"""Category 7: who may read, write, connect, or be trusted."""

from __future__ import annotations

from secls.rules.base import Rule

RULES: tuple[Rule, ...] = ()
