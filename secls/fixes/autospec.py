"""SEC804: add `autospec=True` to a patch call."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.transform import Edits

_SPEC = frozenset({"autospec", "spec", "spec_set", "new", "new_callable"})


def add_autospec(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """Append `autospec=True` to the call's arguments, following a trailing comma's layout."""
    call = located.at(finding, cst.Call)
    if call is None or not call.args:
        return None
    if any(arg.keyword is not None and arg.keyword.value in _SPEC for arg in call.args) \
            or any(arg.star == "**" for arg in call.args):
        return None
    args = list(call.args)
    last = args[-1]
    new = cst.Arg(keyword=cst.Name("autospec"), value=cst.Name("True"),
                  equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                        whitespace_after=cst.SimpleWhitespace("")))
    if isinstance(last.comma, cst.Comma):
        # A trailing comma (one argument per line): the new argument takes it, the old last one the
        # separator of the argument before it.
        separator = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else \
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=separator)
        new = new.with_changes(comma=last.comma)
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    edits = Edits()
    edits.replace_node(call, call.with_changes(args=[*args, new]))
    return edits
