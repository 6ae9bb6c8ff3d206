"""SEC308: stop the patcher, not the mock that start() returned."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.bind_patcher import bind_patcher
from secls.fixes.locate import Located
from secls.fixes.statements import enclosing_function, parse_expression, unit_of
from secls.fixes.transform import Edits


def cleanup_stops_mock(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Replace `m.stop` with `patcher.stop`, binding a chained patcher at its start first."""
    attribute = located.at(finding, cst.Attribute)
    mock = finding.get("mock") or ""
    patcher = finding.get("patcher") or ""
    if attribute is None or attribute.attr.value != "stop" or not mock or located.code(attribute.value) != mock:
        return None
    edits = Edits()
    if patcher:
        edits.replace_node(attribute, parse_expression(f"{patcher}.stop", located))
        return edits
    function = enclosing_function(attribute, located)
    start = _chained_start(located, function, mock, attribute) if function is not None else None
    unit = unit_of(start, located) if start is not None else None
    if start is None or unit is None:
        return None  # the start is in another method: a local patcher name would not reach here
    name = bind_patcher(located, edits, unit, start)
    edits.replace_node(attribute, attribute.with_changes(value=cst.Name(name)))
    return edits


def _chained_start(located: Located, function: cst.FunctionDef, mock: str,
                   before: cst.CSTNode) -> cst.Call | None:
    """The last `mock = patch(...).start()` of the function that comes before the stop."""
    limit = located.range(before)
    found = None
    for node in located.nodes:
        if not isinstance(node, cst.Assign) or len(node.targets) != 1:
            continue
        rng = located.range(node)
        if rng is None or limit is None or rng[:2] >= limit[:2] or enclosing_function(node, located) is not function:
            continue
        value = node.value
        if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "start" \
                and isinstance(value.func.value, cst.Call) and located.code(node.targets[0].target) == mock:
            found = value
    return found
