"""SEC306: call the base class's setUp/tearDown (first after the docstring, or last)."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.statements import parse_line
from secls.fixes.transform import Edits


def _is_docstring(statement: cst.CSTNode) -> bool:
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and statement.body else statement
    return isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))


def missing_super_call(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Insert `super().name()` as the first statement after a docstring, or as the last one."""
    name = located.at(finding, cst.Name)
    function = located.parent(name) if name is not None else None
    call, method, position = finding.get("call") or "", finding.get("method") or "", finding.get("position")
    if not isinstance(function, cst.FunctionDef) or function.name is not name or name.value != method or not call:
        return None
    if call in located.code(function.body):
        return None  # already calls it (a stale finding)
    edits = Edits()
    body = function.body
    line = parse_line(call, located)
    in_suite = isinstance(body, cst.SimpleStatementSuite)
    statements = list(body.body)
    new: cst.BaseStatement | cst.BaseSmallStatement = line.body[0] if in_suite else line
    if not statements:
        return None
    if position == "last":
        last = statements[-1]
        last_small = last.body[-1] if isinstance(last, cst.SimpleStatementLine) else last
        if isinstance(last_small, cst.Return) and last_small.value is None:
            edits.insert_before(last, [new])  # a bare return ends the method: call the base before it
        else:
            edits.insert_after(last, [new])
    elif _is_docstring(statements[0]):
        edits.insert_after(statements[0], [new])
    else:
        edits.insert_before(statements[0], [new])
    return edits
