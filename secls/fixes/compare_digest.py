"""SEC605: `a == b` -> `hmac.compare_digest(a, b)` (`!=` -> `not ...`), adding `import hmac`."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.imports import ensure_module
from secls.fixes.locate import Located
from secls.fixes.statements import parse_expression
from secls.fixes.transform import Edits


class _Comparisons(cst.CSTVisitor):
    """Collect the comparisons inside a statement."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.Comparison] = []

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self.found.append(node)


def compare_digest(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Replace the comparison whose left operand starts at the finding with a constant-time one."""
    left = located.at(finding, cst.BaseExpression)
    statement = located.ancestor(left, (cst.BaseSmallStatement, cst.BaseCompoundStatement)) if left else None
    if left is None or statement is None:
        return None
    visitor = _Comparisons()
    statement.visit(visitor)
    comparison = next((c for c in visitor.found if c.left is left and len(c.comparisons) == 1), None)
    if comparison is None:
        return None
    target = comparison.comparisons[0]
    if not isinstance(target.operator, (cst.Equal, cst.NotEqual)):
        return None
    edits = Edits()
    hmac = ensure_module(located, edits, "hmac")
    call = parse_expression(f"{hmac}.compare_digest(a, b)", located)
    assert isinstance(call, cst.Call)
    call = call.with_changes(args=[call.args[0].with_changes(value=comparison.left),
                                   call.args[1].with_changes(value=target.comparator)])
    if isinstance(target.operator, cst.NotEqual):
        new: cst.BaseExpression = cst.UnaryOperation(operator=cst.Not(), expression=call,
                                                     lpar=comparison.lpar, rpar=comparison.rpar)
    else:
        new = call.with_changes(lpar=comparison.lpar, rpar=comparison.rpar)
    edits.replace_node(comparison, new)
    return edits
