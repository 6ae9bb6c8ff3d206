"""A rule that recurses too deeply costs the user one note, not the other findings or an internal error."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.engine import analyze
from secls.analysis.findings import Finding, Severity
from secls.rules import rule_by_code
from secls.rules.base import Rule


def _recurse(node: ast.AST, depth: int = 0) -> int:
    return _recurse(node, depth + 1)


def _deep_check(node: ast.AST, ctx: object) -> Iterator[Finding]:
    _recurse(node)
    yield from ()


DEEP = Rule(code="SEC999", name="too-deep", category="input-validation", severity=Severity.WARNING,
            docs="# SEC999 too-deep\n", nodes=(ast.Call,), check=_deep_check)


def test_recursion_error_in_a_rule_is_an_information_note() -> None:
    shell = rule_by_code("SEC102")
    assert shell is not None
    text = "import os\n\ndef run(cmd):\n    os.system(cmd)\n    os.system('ls ' + cmd)\n"
    result = analyze(text, "app.py", rules=[DEEP, shell])
    assert not result.errors
    assert [f.code for f in result.findings if f.code == "SEC102"] == ["SEC102", "SEC102"]
    notes = [f for f in result.findings if f.code == "I901"]
    assert len(notes) == 1 and notes[0].severity is Severity.INFO and "RecursionError" in notes[0].message
    assert "SEC999" in notes[0].message
