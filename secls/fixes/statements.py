"""Statement-level helpers: the statement holding a node, building new statements from code."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from secls.fixes.locate import Located
from secls.fixes.transform import Statement


@dataclass(frozen=True)
class Unit:
    """Where new statements go: a line of a block, or a small statement of a one-line suite."""

    node: Statement
    small: cst.BaseSmallStatement
    in_suite: bool

    def build(self, code: str, located: Located) -> Statement:
        """A statement of the right shape for this place (a line, or a small statement)."""
        line = parse_line(code, located)
        return line.body[0] if self.in_suite else line


def parse_line(code: str, located: Located) -> cst.SimpleStatementLine:
    """Parse one simple statement in the module's formatting."""
    statement = cst.parse_statement(code + located.module.default_newline,
                                    config=located.module.config_for_parsing)
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        raise ValueError(f"not one simple statement: {code!r}")
    return statement


def parse_expression(code: str, located: Located) -> cst.BaseExpression:
    """Parse one expression in the module's formatting."""
    return cst.parse_expression(code, config=located.module.config_for_parsing)


def unit_of(node: cst.CSTNode, located: Located) -> Unit | None:
    """The statement unit holding a node; None when it is not inside a simple statement."""
    small = node if isinstance(node, cst.BaseSmallStatement) else located.ancestor(
        node, (cst.BaseSmallStatement, cst.BaseCompoundStatement))
    if not isinstance(small, cst.BaseSmallStatement):
        return None
    holder = located.parent(small)
    if isinstance(holder, cst.SimpleStatementSuite):
        return Unit(node=small, small=small, in_suite=True)
    if isinstance(holder, cst.SimpleStatementLine):
        return Unit(node=holder, small=small, in_suite=False)
    return None


def enclosing_function(node: cst.CSTNode, located: Located) -> cst.FunctionDef | None:
    """The innermost function around a node."""
    return located.ancestor(node, cst.FunctionDef)


def first_param(function: cst.FunctionDef) -> str | None:
    """The name of a function's first positional parameter."""
    params = [*function.params.posonly_params, *function.params.params]
    return params[0].name.value if params else None


def body_statements(owner: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements of a module or block (small statements for a one-line suite)."""
    body = getattr(owner, "body", None)
    if isinstance(body, cst.BaseSuite):
        body = body.body
    return list(body) if isinstance(body, (list, tuple)) else []


def already_there(unit: Unit, code: str, located: Located) -> bool:
    """Whether a statement with exactly this code already sits in the unit's block (idempotence)."""
    holder = located.parent(unit.node)
    wanted = code.strip()
    for statement in body_statements(holder) if holder is not None else []:
        if isinstance(statement, cst.SimpleStatementLine):
            smalls = list(statement.body)
        elif isinstance(statement, cst.BaseSmallStatement):
            smalls = [statement]
        else:
            continue
        for small in smalls:
            if located.module.code_for_node(small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)).strip() \
                    == wanted:
                return True
    return False
