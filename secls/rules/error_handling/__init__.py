"""Category 4: failures are never silently swallowed."""

from __future__ import annotations

from secls.rules.base import Rule
from secls.rules.error_handling import (
    sec401_except_pass,
    sec402_bare_except,
    sec403_broad_except_swallowed,
    sec404_finally_swallows,
    sec405_raises_too_broad,
)

RULES: tuple[Rule, ...] = (
    sec401_except_pass.RULE,
    sec402_bare_except.RULE,
    sec403_broad_except_swallowed.RULE,
    sec404_finally_swallows.RULE,
    sec405_raises_too_broad.RULE,
)
