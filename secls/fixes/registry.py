"""Rule code -> the builder of its quick fix."""

from __future__ import annotations

from collections.abc import Callable

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.add_cleanup import handle_not_closed, patch_not_stopped, temp_not_removed
from secls.fixes.autoescape import add_autoescape
from secls.fixes.autospec import add_autospec
from secls.fixes.assert_tuple import assert_tuple
from secls.fixes.bare_except import bare_except
from secls.fixes.chdir import directory_not_restored
from secls.fixes.compare_digest import compare_digest
from secls.fixes.defusedxml_swap import use_defusedxml
from secls.fixes.keyword_args import add_timeout, not_for_security, remove_verify_false
from secls.fixes.literal_eval import eval_to_literal_eval
from secls.fixes.locate import Located
from secls.fixes.mock_names import call_assertion, rename_mock_name
from secls.fixes.patch_dict import environment_not_restored
from secls.fixes.reorder_params import reorder_mock_params
from secls.fixes.secrets_random import secrets_random
from secls.fixes.stop_patcher import cleanup_stops_mock
from secls.fixes.super_call import missing_super_call
from secls.fixes.tar_filter import add_data_filter
from secls.fixes.rename_target import patch_target_missing
from secls.fixes.transform import Edits
from secls.fixes.with_block import open_without_with
from secls.fixes.yaml_safe_load import yaml_safe_load

Builder = Callable[[Located, Finding, "Config | None"], "Edits | None"]


def _global_state(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC304: by the state that changed."""
    state = finding.get("state")
    if state == "environment":
        return environment_not_restored(located, finding, config)
    if state == "working directory":
        return directory_not_restored(located, finding, config)
    return None


# One section per category; add a rule's builder in its category's section.
BUILDERS: dict[str, Builder] = {
    # 1 input-validation
    "SEC101": eval_to_literal_eval,
    "SEC104": yaml_safe_load,
    "SEC105": use_defusedxml,
    "SEC106": add_data_filter,
    "SEC107": add_autoescape,
    # 2 secrets
    # 3 resource-release
    "SEC301": patch_not_stopped,
    "SEC302": temp_not_removed,
    "SEC303": handle_not_closed,
    "SEC304": _global_state,
    "SEC306": missing_super_call,
    "SEC307": open_without_with,
    "SEC308": cleanup_stops_mock,
    # 4 error-handling
    "SEC402": bare_except,
    # 5 dependencies
    # 6 execution-flow
    "SEC604": assert_tuple,
    "SEC605": compare_digest,
    "SEC606": secrets_random,
    # 7 access-control
    "SEC703": remove_verify_false,
    "SEC705": not_for_security,
    "SEC707": add_timeout,
    # 8 mocking
    "SEC803": patch_target_missing,
    "SEC802": rename_mock_name,
    "SEC804": add_autospec,
    "SEC805": reorder_mock_params,
    "SEC806": call_assertion,
}
