"""SEC803: rename a missing patch target to the suggested existing name."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def patch_target_missing(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Replace the target string (`"a.b.typo"`, or the attribute of patch.object) with the suggestion."""
    literal = located.at(finding, cst.SimpleString)
    target, suggestion = finding.get("target") or "", finding.get("suggestion") or ""
    if literal is None or not suggestion:
        return None
    value = literal.evaluated_value
    if not isinstance(value, str):
        return None
    if value == target:
        new_value = suggestion
    elif target.endswith("." + value):  # patch.object(module, "attr"): only the attribute is written
        new_value = suggestion.rsplit(".", 1)[-1]
    else:
        return None
    quote = literal.quote
    edits = Edits()
    edits.replace_node(literal, literal.with_changes(value=f"{literal.prefix}{quote}{new_value}{quote}"))
    return edits
