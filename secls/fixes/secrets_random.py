"""SEC606: `random.choice(...)` -> `secrets.choice(...)` (and friends), adding `import secrets`."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.imports import ensure_module
from secls.fixes.locate import Located
from secls.fixes.statements import parse_expression
from secls.fixes.transform import Edits


def secrets_random(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Call the `secrets` function the finding names instead of the `random` one."""
    call = located.at(finding, cst.Call)
    spelled, replacement = finding.get("spelled"), finding.get("replacement")
    if call is None or not spelled or not replacement or located.code(call.func) != spelled:
        return None  # not the random call any more (already fixed)
    edits = Edits()
    module = ensure_module(located, edits, "secrets")
    edits.replace_node(call.func, parse_expression(f"{module}.{replacement}", located))
    return edits
