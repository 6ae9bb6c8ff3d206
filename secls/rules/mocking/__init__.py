"""Category 8: tests that really test, and patches that do not hide the checks."""

from __future__ import annotations

from secls.rules.base import Rule
from secls.rules.mocking import (
    sec801_security_control_patched,
    sec802_mock_assertion_typo,
    sec803_patch_target_missing,
    sec804_patch_without_autospec,
    sec805_patch_argument_order,
    sec806_mock_assertion_not_called,
    sec807_class_patch_under_stopall,
)

RULES: tuple[Rule, ...] = (
    sec801_security_control_patched.RULE,
    sec802_mock_assertion_typo.RULE,
    sec803_patch_target_missing.RULE,
    sec804_patch_without_autospec.RULE,
    sec805_patch_argument_order.RULE,
    sec806_mock_assertion_not_called.RULE,
    sec807_class_patch_under_stopall.RULE,
)
