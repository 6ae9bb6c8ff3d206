"""SEC106: add `filter="data"` to a tarfile extraction."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.keywords import find_keyword, with_keyword
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def add_data_filter(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC106: `tar.extractall(dest)` -> `tar.extractall(dest, filter="data")`."""
    call = located.at(finding, cst.Call)
    if call is None or not isinstance(call.func, cst.Attribute) \
            or call.func.attr.value not in ("extractall", "extract") or find_keyword(call, "filter") is not None:
        return None
    edits = Edits()
    edits.replace_node(call, with_keyword(call, "filter", '"data"', located))
    return edits
