"""SEC105: call the `defusedxml` equivalent of a standard-library XML parse function."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.imports import add_import, module_spelling
from secls.fixes.locate import Located
from secls.fixes.statements import parse_expression
from secls.fixes.transform import Edits


def use_defusedxml(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC105: replace the called function by `defusedxml.<module>.<function>`, adding the import."""
    safe = finding.get("safe") or ""
    call = located.at(finding, cst.Call)
    if not safe or call is None:
        return None
    module, _, function = safe.rpartition(".")
    if located.code(call.func) != finding.get("call"):
        return None  # stale: the range holds another call now
    edits = Edits()
    spelled = module_spelling(located, module)
    if spelled is None:
        add_import(located, edits, f"import {module}")
        spelled = module
    if located.code(call.func) == f"{spelled}.{function}":
        return None
    edits.replace_node(call.func, parse_expression(f"{spelled}.{function}", located))
    return edits
