"""The rule registry: an explicit tuple of every rule secls has."""

from __future__ import annotations

from functools import lru_cache

from secls.config import Config
from secls.rules.base import Rule
from secls.rules.resource_release import (
    sec301_patch_not_stopped,
    sec302_temp_not_removed,
    sec303_handle_not_closed,
    sec304_global_state_not_restored,
    sec305_release_only_in_teardown,
    sec306_missing_super_call,
    sec307_open_without_with,
    sec308_cleanup_stops_mock,
)

ALL_RULES: tuple[Rule, ...] = (
    sec301_patch_not_stopped.RULE,
    sec302_temp_not_removed.RULE,
    sec303_handle_not_closed.RULE,
    sec304_global_state_not_restored.RULE,
    sec305_release_only_in_teardown.RULE,
    sec306_missing_super_call.RULE,
    sec307_open_without_with.RULE,
    sec308_cleanup_stops_mock.RULE,
)

_BY_CODE = {rule.code: rule for rule in ALL_RULES}


def rule_by_code(code: str) -> Rule | None:
    """The rule with this code, if there is one."""
    return _BY_CODE.get(code.upper())


@lru_cache(maxsize=64)
def enabled_rules(config: Config) -> tuple[Rule, ...]:
    """The rules that the configuration's select/ignore leave on."""
    return tuple(r for r in ALL_RULES if config.is_enabled(r.code, r.enabled_by_default))
