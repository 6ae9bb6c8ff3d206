"""The rule registry: an explicit tuple of every rule secls has."""

from __future__ import annotations

from functools import lru_cache

from secls.config import Config
from secls.rules.base import Rule
from secls.rules import (
    access_control,
    dependencies,
    error_handling,
    execution_flow,
    input_validation,
    mocking,
    resource_release,
    secrets,
    suppressions,
)

# In the review's order; each category package lists its own rules.
ALL_RULES: tuple[Rule, ...] = (
    input_validation.RULES
    + secrets.RULES
    + resource_release.RULES
    + error_handling.RULES
    + dependencies.RULES
    + execution_flow.RULES
    + access_control.RULES
    + mocking.RULES
    + suppressions.RULES
)

_BY_CODE = {rule.code: rule for rule in ALL_RULES}


def rule_by_code(code: str) -> Rule | None:
    """The rule with this code, if there is one."""
    return _BY_CODE.get(code.upper())


@lru_cache(maxsize=64)
def enabled_rules(config: Config) -> tuple[Rule, ...]:
    """The rules that the configuration's select/ignore leave on."""
    return tuple(r for r in ALL_RULES if config.is_enabled(r.code, r.enabled_by_default))
