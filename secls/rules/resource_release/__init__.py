"""Category 3: everything acquired is released, even when setUp fails."""

from __future__ import annotations

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

RULES: tuple[Rule, ...] = (
    sec301_patch_not_stopped.RULE,
    sec302_temp_not_removed.RULE,
    sec303_handle_not_closed.RULE,
    sec304_global_state_not_restored.RULE,
    sec305_release_only_in_teardown.RULE,
    sec306_missing_super_call.RULE,
    sec307_open_without_with.RULE,
    sec308_cleanup_stops_mock.RULE,
)
