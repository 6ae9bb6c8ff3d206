"""SEC805: reorder the mock parameters of a function to match its stacked @patch decorators."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def reorder_mock_params(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Put the parameters named in `params` into the order `order`, keeping commas and spacing in place."""
    current = (finding.get("params") or "").split(",")
    wanted = (finding.get("order") or "").split(",")
    if len(current) < 2 or sorted(current) != sorted(wanted) or current == wanted:
        return None
    name = located.at(finding, cst.Name)
    function = located.parent(name) if name is not None else None
    if not isinstance(function, cst.FunctionDef):
        return None
    params = list(function.params.params)
    names = [p.name.value for p in params]
    start = next((i for i in range(len(names)) if names[i:i + len(current)] == current), None)
    if start is None:
        return None
    by_name = {p.name.value: p for p in params[start:start + len(current)]}
    for offset, new_name in enumerate(wanted):
        slot = params[start + offset]
        source = by_name[new_name]
        params[start + offset] = source.with_changes(comma=slot.comma,
                                                     whitespace_after_param=slot.whitespace_after_param)
    edits = Edits()
    edits.replace_node(function.params, function.params.with_changes(params=params))
    return edits
