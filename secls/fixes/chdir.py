"""SEC304 working directory: register `os.chdir(os.getcwd())` as a cleanup before changing directory."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.imports import ensure_module, module_spelling
from secls.fixes.locate import Located
from secls.fixes.statements import already_there, enclosing_function, first_param, unit_of
from secls.fixes.transform import Edits


def directory_not_restored(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """`os.chdir(d)` -> `self.addCleanup(os.chdir, os.getcwd())` inserted before it."""
    call = located.at(finding, cst.Call)
    if call is None:
        return None
    unit = unit_of(call, located)
    function = enclosing_function(call, located)
    if unit is None or function is None or first_param(function) != "self":
        return None
    chdir = located.code(call.func)
    if not chdir.endswith("chdir"):
        return None
    edits = Edits()
    if isinstance(call.func, cst.Attribute):
        getcwd = f"{located.code(call.func.value)}.getcwd"
    else:
        getcwd = f"{module_spelling(located, 'os') or 'os'}.getcwd"
    code = f"self.addCleanup({chdir}, {getcwd}())"
    if already_there(unit, code, located):
        return None
    if not isinstance(call.func, cst.Attribute):
        ensure_module(located, edits, "os")
    edits.insert_before(unit.node, [unit.build(code, located)])
    return edits
