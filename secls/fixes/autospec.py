"""SEC804: add `autospec=True` to a patch call."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.keyword_args import append_keyword
from secls.fixes.locate import Located
from secls.fixes.transform import Edits

_SPEC = frozenset({"autospec", "spec", "spec_set", "new", "new_callable"})


def add_autospec(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Append `autospec=True` to the call's arguments, in the call's layout."""
    call = located.at(finding, cst.Call)
    if call is None or not call.args:
        return None
    if any(arg.keyword is not None and arg.keyword.value in _SPEC for arg in call.args) \
            or any(arg.star == "**" for arg in call.args):
        return None
    edits = Edits()
    edits.replace_node(call, append_keyword(call, "autospec", cst.Name("True")))
    return edits
