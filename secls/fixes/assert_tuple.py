"""SEC604: `assert (cond, msg)` -> `assert cond, msg`."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.transform import Edits


def assert_tuple(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Unpack the parenthesised pair of the assert at the finding into condition and message."""
    statement = located.at(finding, cst.Assert)
    if statement is None or statement.msg is not None or not isinstance(statement.test, cst.Tuple):
        return None
    elements = statement.test.elements
    if len(elements) != 2 or any(isinstance(e, cst.StarredElement) for e in elements):
        return None
    edits = Edits()
    edits.replace_node(statement, statement.with_changes(
        test=elements[0].value, msg=elements[1].value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        whitespace_after_assert=cst.SimpleWhitespace(" ")))
    return edits
