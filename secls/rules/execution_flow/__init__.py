"""Category 6: races and logic that defeat a check."""

from __future__ import annotations

from secls.rules.base import Rule
from secls.rules.execution_flow import (
    sec601_check_then_use,
    sec602_insecure_temp,
    sec603_assert_as_check,
    sec604_always_true_assert,
    sec605_timing_unsafe_compare,
    sec606_insecure_random,
)

RULES: tuple[Rule, ...] = (
    sec601_check_then_use.RULE,
    sec602_insecure_temp.RULE,
    sec603_assert_as_check.RULE,
    sec604_always_true_assert.RULE,
    sec605_timing_unsafe_compare.RULE,
    sec606_insecure_random.RULE,
)
