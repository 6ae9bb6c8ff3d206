"""SEC107: turn on jinja2's autoescaping."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.keywords import find_keyword, with_keyword
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def add_autoescape(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC107: add `autoescape=True`, or turn `autoescape=False` into `True`."""
    call = located.at(finding, cst.Call)
    if call is None:
        return None
    edits = Edits()
    given = find_keyword(call, "autoescape")
    if given is None:
        edits.replace_node(call, with_keyword(call, "autoescape", "True", located))
    elif isinstance(given.value, cst.Name) and given.value.value == "False":
        edits.replace_node(given.value, cst.Name("True"))
    else:
        return None
    return edits
