"""Chained `patch(...).start()`: bind the patcher to a name first, or hand it to enterContext (3.11+)."""

from __future__ import annotations

import libcst as cst

from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.names import free_name
from secls.fixes.statements import Unit, enclosing_function, parse_expression
from secls.fixes.transform import Edits

_ENTER = {"addCleanup": "enterContext", "addClassCleanup": "enterClassContext"}


def bind_patcher(located: Located, edits: Edits, unit: Unit, start_call: cst.Call) -> str:
    """Insert `patcher = patch(...)` before the unit and make the start use it; returns the name."""
    patch_call = start_call.func.value  # type: ignore[attr-defined]
    scope = enclosing_function(start_call, located) or located.module
    name = free_name("patcher", scope)
    assign = cst.Assign(targets=[cst.AssignTarget(target=cst.Name(name))],
                        value=patch_call.with_changes(lpar=(), rpar=()))
    edits.insert_before(unit.node, [assign if unit.in_suite else cst.SimpleStatementLine(body=[assign])])
    edits.replace_node(patch_call, cst.Name(name))
    return name


def _mock_is_stopped(located: Located, start_call: cst.Call, result: str) -> bool:
    """Whether the function calls `result.stop` (SEC308's mistake), which enterContext would hide."""
    function = enclosing_function(start_call, located)
    if not result or function is None:
        return False
    return any(isinstance(node, cst.Attribute) and node.attr.value == "stop" and located.code(node.value) == result
               and enclosing_function(node, located) is function for node in located.nodes)


def bind_chained_patcher(located: Located, edits: Edits, unit: Unit, start_call: cst.Call, registrar: str,
                         config: Config | None, result: str = "") -> Edits:
    """SEC301 for `patch(...).start()`: `self.enterContext(patch(...))` on 3.11+, else bind and stop."""
    receiver, _, method = registrar.rpartition(".")
    target = config.target_version if config is not None else None
    if target is not None and target >= (3, 11) and method in _ENTER and receiver \
            and not _mock_is_stopped(located, start_call, result):
        patch_call = start_call.func.value  # type: ignore[attr-defined]
        enter = cst.Call(func=parse_expression(f"{receiver}.{_ENTER[method]}", located),
                         args=[cst.Arg(value=patch_call.with_changes(lpar=(), rpar=()))],
                         lpar=start_call.lpar, rpar=start_call.rpar)
        edits.replace_node(start_call, enter)
        return edits
    name = bind_patcher(located, edits, unit, start_call)
    edits.insert_after(unit.node, [unit.build(f"{registrar}({name}.stop)", located)])
    return edits
