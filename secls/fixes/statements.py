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
    return any(_code_of(small, located) == wanted
               for statement in (body_statements(holder) if holder is not None else [])
               for small in _smalls(statement))


def _smalls(statement: cst.CSTNode) -> list[cst.BaseSmallStatement]:
    """The small statements of a block's statement (none for a compound statement)."""
    if isinstance(statement, cst.SimpleStatementLine):
        return list(statement.body)
    return [statement] if isinstance(statement, cst.BaseSmallStatement) else []


def _code_of(small: cst.BaseSmallStatement, located: Located) -> str:
    """A small statement's code without its semicolon."""
    return located.module.code_for_node(small.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)).strip()


def registered_after(unit: Unit, code: str, located: Located) -> bool:
    """Whether a statement with exactly this code follows the unit in its block, before the unit's target is
    bound again (idempotence of a cleanup inserted after an acquisition).

    A cleanup before the unit, or after a later `x = ...`, registers another object bound to the same name.
    """
    holder = located.parent(unit.node)
    statements = body_statements(holder) if holder is not None else []
    start = next((i for i, statement in enumerate(statements) if statement is unit.node), None)
    if start is None:
        return False
    wanted = code.strip()
    bound = _bound(unit.small, located)
    for index, statement in enumerate(statements[start:]):
        smalls = _smalls(statement)
        if index == 0:  # the unit's own line: what follows it after a semicolon
            smalls = smalls[next((i + 1 for i, small in enumerate(smalls) if small is unit.small), len(smalls)):]
        for small in smalls:
            if bound and _bound(small, located) & bound:
                return False
            if _code_of(small, located) == wanted:
                return True
    return False


def _bound(small: cst.CSTNode, located: Located) -> set[str]:
    """The targets a small statement assigns (their code without spaces)."""
    if isinstance(small, cst.Assign):
        targets = [t.target for t in small.targets]
    elif isinstance(small, cst.AnnAssign) and small.value is not None:
        targets = [small.target]
    else:
        return set()
    return {"".join(located.code(t).split()) for t in targets}
