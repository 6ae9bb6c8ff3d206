"""SEC802 and SEC806: rename a misspelled mock name, call an assertion that was assigned or only read."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def rename_mock_name(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Rename `called_once_with` to `assert_called_once_with` (or `retrun_value=` to `return_value=`);
    turn `m.assert_has_calls = x` into `m.assert_has_calls(x)`."""
    name, suggestion = finding.get("name") or "", finding.get("suggestion") or ""
    if not name or not suggestion:
        return None
    edits = Edits()
    if finding.get("kind") == "assigned":
        attribute = located.at(finding, cst.Attribute)
        assign = located.parent(attribute) if attribute is not None else None
        if attribute is None or attribute.attr.value != name or not isinstance(assign, cst.Assign) \
                or len(assign.targets) != 1 or assign.targets[0].target is not attribute:
            return None
        call = cst.Call(func=attribute, args=[cst.Arg(value=assign.value)])
        edits.replace_node(assign, cst.Expr(value=call, semicolon=assign.semicolon))
        return edits
    node = located.at(finding, cst.Name)
    if node is None or node.value != name:
        return None
    edits.replace_node(node, node.with_changes(value=suggestion))
    return edits


def call_assertion(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Turn the statement `m.assert_called_once` into `m.assert_called_once()`."""
    attribute = located.at(finding, cst.Attribute)
    statement = located.parent(attribute) if attribute is not None else None
    if attribute is None or attribute.attr.value != finding.get("name") or not isinstance(statement, cst.Expr) \
            or statement.value is not attribute:
        return None
    edits = Edits()
    edits.replace_node(attribute, cst.Call(func=attribute))
    return edits
