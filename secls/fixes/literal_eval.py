"""SEC101: `eval(x)` -> `ast.literal_eval(x)`, importing `ast` when needed."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.imports import ensure_module, imported_name
from secls.fixes.locate import Located
from secls.fixes.statements import parse_expression
from secls.fixes.transform import Edits


def eval_to_literal_eval(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC101: call `ast.literal_eval` instead of `eval` (one argument, no keywords)."""
    call = located.at(finding, cst.Call)
    if call is None or not isinstance(call.func, cst.Name) or call.func.value != "eval" or len(call.args) != 1 \
            or call.args[0].keyword is not None or call.args[0].star:
        return None
    if located.code(call.args[0].value) != finding.get("argument"):
        return None  # stale: another eval is at this place now
    edits = Edits()
    name = imported_name(located, "ast.literal_eval")
    if name is None:
        name = f"{ensure_module(located, edits, 'ast')}.literal_eval"
    edits.replace_node(call.func, parse_expression(name, located))
    return edits
