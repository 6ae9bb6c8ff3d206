"""SEC304 environment: set the variable through `mock.patch.dict(os.environ, ...)`, which restores it."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.imports import add_import, imported_name, module_spelling
from secls.fixes.locate import Located
from secls.fixes.names import free_name
from secls.fixes.statements import Unit, enclosing_function, first_param, parse_line, unit_of
from secls.fixes.transform import Edits


def _patch_spelling(located: Located, edits: Edits) -> str:
    """`mock.patch` as this module spells it; adds `from unittest import mock` when nothing is imported."""
    mock = module_spelling(located, "unittest.mock")
    if mock is not None:
        return f"{mock}.patch"
    patch = imported_name(located, "unittest.mock.patch")
    if patch is not None:
        return patch
    add_import(located, edits, "from unittest import mock")
    return "mock.patch"


def _environ_arguments(located: Located, small: cst.BaseSmallStatement, node: cst.CSTNode) -> str | None:
    """`os.environ, {k: v}` for `os.environ[k] = v`, `os.environ, X` for `os.environ.update(X)`."""
    if isinstance(small, cst.Assign) and small is node and len(small.targets) == 1:
        target = small.targets[0].target
        if isinstance(target, cst.Subscript) and len(target.slice) == 1 \
                and isinstance(target.slice[0].slice, cst.Index):
            environ = located.code(target.value)
            key = located.code(target.slice[0].slice.value)
            return f"{environ}, {{{key}: {located.code(small.value)}}}"
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "update" \
            and isinstance(small, cst.Expr) and small.value is node and node.args:
        environ = located.code(node.func.value)
        args = ", ".join(located.code(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in node.args)
        return f"{environ}, {args}"
    return None


def environment_not_restored(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """`os.environ[k] = v` -> `self.enterContext(mock.patch.dict(os.environ, {k: v}))` (3.11+) or a patcher."""
    node: cst.CSTNode | None = located.at(finding, cst.Assign) or located.at(finding, cst.Call)
    unit = unit_of(node, located) if node is not None else None
    function = enclosing_function(node, located) if node is not None else None
    if unit is None or function is None or first_param(function) != "self" or node is None:
        return None
    arguments = _environ_arguments(located, unit.small, node)
    if arguments is None or "\n" in arguments or "\r" in arguments:
        return None
    edits = Edits()
    patch = _patch_spelling(located, edits)
    target = config.target_version if config is not None else None
    if target is not None and target >= (3, 11):
        edits.replace_node(unit.small, parse_line(f"self.enterContext({patch}.dict({arguments}))", located).body[0])
        return edits
    name = free_name("patcher", function)
    codes = [f"{name} = {patch}.dict({arguments})", f"{name}.start()", f"self.addCleanup({name}.stop)"]
    _replace_with(located, edits, unit, codes)
    return edits


def _replace_with(located: Located, edits: Edits, unit: Unit, codes: list[str]) -> None:
    """Put statements where the unit's small statement is (one per line when it is alone on its line)."""
    if unit.in_suite or len(unit.node.body) > 1:  # type: ignore[union-attr]
        smalls = [unit.build(c, located) for c in codes]
        small_smalls = [s.body[0] if isinstance(s, cst.SimpleStatementLine) else s for s in smalls]
        edits.replace_statement(unit.small, small_smalls)
        return
    lines = [unit.build(c, located) for c in codes]
    lines[-1] = lines[-1].with_changes(trailing_whitespace=unit.node.trailing_whitespace)  # type: ignore[union-attr]
    edits.replace_statement(unit.node, lines)
