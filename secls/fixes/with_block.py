"""SEC307: `f = open(...)` ... `f.close()` in one block becomes `with open(...) as f:` around the uses."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.statements import body_statements, unit_of
from secls.fixes.transform import Edits


def _is_close(statement: cst.CSTNode, name: str) -> bool:
    """A line that is exactly `name.close()`."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and not small.value.args \
        and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value == "close" \
        and isinstance(small.value.func.value, cst.Name) and small.value.func.value.value == name


def open_without_with(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Wrap the statements between the open and the plain `f.close()` in a with block."""
    target = finding.get("target") or ""
    call = located.at(finding, cst.Call)
    unit = unit_of(call, located) if call is not None else None
    if unit is None or unit.in_suite or finding.get("closed") != "1" or len(unit.node.body) != 1:  # type: ignore[union-attr]
        return None
    assign = unit.small
    if not (isinstance(assign, cst.Assign) and assign.value is call and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name) and assign.targets[0].target.value == target):
        return None
    holder = located.parent(unit.node)
    siblings = body_statements(holder) if holder is not None else []
    index = next((i for i, s in enumerate(siblings) if s is unit.node), None)
    if index is None:
        return None
    close_at = next((j for j in range(index + 1, len(siblings)) if _is_close(siblings[j], target)), None)
    if close_at is None:
        return None
    inner = list(siblings[index + 1:close_at])
    close_line = siblings[close_at]
    if not inner:
        inner = [cst.SimpleStatementLine(body=[cst.Pass()])]
    block = cst.With(
        items=[cst.WithItem(item=call, asname=cst.AsName(name=cst.Name(target)))],
        body=cst.IndentedBlock(body=inner, header=unit.node.trailing_whitespace,  # type: ignore[union-attr]
                               footer=close_line.leading_lines),  # type: ignore[attr-defined]
        leading_lines=unit.node.leading_lines,  # type: ignore[union-attr]
    )
    edits = Edits()
    edits.replace_statement(unit.node, [block])
    for statement in siblings[index + 1:close_at + 1]:
        edits.replace_statement(statement, [])  # type: ignore[arg-type]
    return edits
