"""SEC104: `yaml.load(x)` -> `yaml.safe_load(x)`."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def yaml_safe_load(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC104: rename the attribute `load` to `safe_load` on a one-argument call without a Loader."""
    call = located.at(finding, cst.Call)
    if call is None or not isinstance(call.func, cst.Attribute) or call.func.attr.value != "load" \
            or len(call.args) != 1 or call.args[0].keyword is not None:
        return None
    edits = Edits()
    edits.replace_node(call.func.attr, cst.Name("safe_load"))
    return edits
