"""Keyword-argument fixes: remove `verify=False` (SEC703), add `usedforsecurity=False` (SEC705), add or set
`timeout=` (SEC707)."""

from __future__ import annotations

import libcst as cst

from secls.analysis.findings import Finding
from secls.config import Config
from secls.fixes.locate import Located
from secls.fixes.statements import parse_expression
from secls.fixes.transform import Edits
from secls.rules.access_control.sec707_no_timeout import timeout_text


def _keyword_at(located: Located, finding: Finding, name: str) -> tuple[cst.Call, cst.Arg] | None:
    """The call and its `name=` argument whose keyword starts at the finding."""
    keyword = located.at(finding, cst.Name)
    call = located.parent(keyword) if keyword is not None else None
    if keyword is None or keyword.value != name or not isinstance(call, cst.Call):
        return None
    arg = next((a for a in call.args if a.keyword is keyword), None)
    return (call, arg) if arg is not None else None


def _has_keyword(call: cst.Call, name: str) -> bool:
    return any(a.keyword is not None and a.keyword.value == name for a in call.args)


def _separator(args: list[cst.Arg]) -> cst.Comma:
    """The comma between the last two arguments (without its comment), else `, `: the call's own layout."""
    comma = args[-2].comma if len(args) > 1 else None
    if not isinstance(comma, cst.Comma):
        return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):  # `a,  # note\n    b`: the note stays with `a`
        after = after.with_changes(first_line=cst.TrailingWhitespace(newline=after.first_line.newline),
                                   empty_lines=[])
    return comma.with_changes(whitespace_after=after)


def append_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """The call with `name=value` added last, in the call's comma style (one line or one per line)."""
    new = cst.Arg(keyword=cst.Name(name), value=value,
                  equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                        whitespace_after=cst.SimpleWhitespace("")))
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # a trailing comma: the new argument takes it
        args[-1] = last.with_changes(comma=_separator(args))
        new = new.with_changes(comma=last.comma)
    else:
        # `f(a,\n  b\n)`: the new argument follows the last one and takes the whitespace before `)` along,
        # so the closing line stays as it was.
        args[-1] = last.with_changes(comma=_separator(args), whitespace_after_arg=cst.SimpleWhitespace(""))
        new = new.with_changes(whitespace_after_arg=last.whitespace_after_arg)
    return call.with_changes(args=[*args, new])


def remove_verify_false(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC703: drop the `verify=False` argument."""
    found = _keyword_at(located, finding, "verify")
    if found is None:
        return None
    call, arg = found
    if not (isinstance(arg.value, cst.Name) and arg.value.value == "False"):
        return None
    args = list(call.args)
    index = args.index(arg)
    if index == len(args) - 1 and index > 0:
        args[index - 1] = args[index - 1].with_changes(comma=arg.comma)  # keep the call's trailing-comma style
    del args[index]
    edits = Edits()
    edits.replace_node(call, call.with_changes(args=args))
    return edits


def not_for_security(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC705: add `usedforsecurity=False` to the hash call."""
    call = located.at(finding, cst.Call)
    func = call.func if call is not None else None
    called = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
    if call is None or called != finding.get("function") or _has_keyword(call, "usedforsecurity") \
            or any(a.star for a in call.args):
        return None  # `hashlib.md5(x).hexdigest()`: the finding is the inner call
    edits = Edits()
    edits.replace_node(call, append_keyword(call, "usedforsecurity", cst.Name("False")))
    return edits


def add_timeout(located: Located, finding: Finding, config: Config | None) -> Edits | None:
    """SEC707: add `timeout=` to the request, or replace `timeout=None`."""
    edits = Edits()
    value = parse_expression(timeout_text(config), located)
    if finding.get("kind") == "none":
        found = _keyword_at(located, finding, "timeout")
        if found is None or not (isinstance(found[1].value, cst.Name) and found[1].value.value == "None"):
            return None
        edits.replace_node(found[1].value, value)
        return edits
    call = located.at(finding, cst.Call)
    if call is None or _has_keyword(call, "timeout") or any(a.star == "**" for a in call.args):
        return None
    edits.replace_node(call, append_keyword(call, "timeout", value))
    return edits
