"""SEC402: `except:` -> `except Exception:`."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def bare_except(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Name `Exception` in the bare handler on the finding's line."""
    for node in located.nodes:
        if not isinstance(node, (cst.Try, cst.TryStar)):
            continue
        for handler in node.handlers:
            body = located.range(handler.body)
            if handler.type is None and body is not None and body[0] == finding.line:
                edits = Edits()
                edits.replace_node(handler, handler.with_changes(
                    type=cst.Name("Exception"), whitespace_after_except=cst.SimpleWhitespace(" ")))
                return edits
    return None
