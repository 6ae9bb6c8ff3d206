"""Keyword arguments of a call: add one, or find one, keeping the call's layout."""

from __future__ import annotations

import libcst as cst

from secls.fixes.locate import Located
from secls.fixes.statements import parse_expression

_NONE = cst.SimpleWhitespace("")


def find_keyword(call: cst.Call, name: str) -> cst.Arg | None:
    """The `name=` argument of a call, if given."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def with_keyword(call: cst.Call, name: str, value_code: str, located: Located) -> cst.Call:
    """The call with `name=value` appended after its arguments (a trailing comma stays trailing)."""
    new = cst.Arg(value=parse_expression(value_code, located), keyword=cst.Name(name),
                  equal=cst.AssignEqual(whitespace_before=_NONE, whitespace_after=_NONE))
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):
        # A trailing comma (usually one argument per line): the new argument takes it over, and the old
        # last argument gets the separator the others use.
        between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else \
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=between)
        args.append(new.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(new)
    return call.with_changes(args=args)
