"""The engine gives rules on literals that read only strings (`min_string`) no other literal."""

from __future__ import annotations

import ast
from collections.abc import Callable

from secls.analysis.engine import analyze
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule

TEXT = ('A = "short"\nB = "a string of twenty chars"\nC = 12345678901234567890\nD = b"bytes that are long enough"\n'
        'E = "medium str"\n')


def _recording(seen: list[object]) -> Callable[[ast.AST, object], tuple[()]]:
    def check(node: ast.AST, ctx: object) -> tuple[()]:
        assert isinstance(node, ast.Constant)
        seen.append(node.value)
        return ()
    return check


def _rule(code: str, seen: list[object], min_string: int | None) -> Rule:
    return Rule(code=code, name="literal", category="secrets", severity=Severity.INFO, docs=f"# {code}\n",
                nodes=(ast.Constant,), check=_recording(seen), min_string=min_string)


def test_rules_that_read_long_strings_get_only_those() -> None:
    long_only: list[object] = []
    shorter: list[object] = []
    analyze(TEXT, "m.py", rules=[_rule("SEC991", long_only, 20), _rule("SEC992", shorter, 6)])
    # The engine skips what no rule reads; a rule may still be handed what only another reads (its
    # own check filters that).
    assert shorter == ["a string of twenty chars", "medium str"]
    assert long_only == shorter


def test_a_rule_that_reads_every_literal_gets_every_literal() -> None:
    every: list[object] = []
    strings: list[object] = []
    analyze(TEXT, "m.py", rules=[_rule("SEC991", every, None), _rule("SEC992", strings, 20)])
    assert every == ["short", "a string of twenty chars", 12345678901234567890, b"bytes that are long enough",
                     "medium str"]
    assert strings == every  # handed what the other rule reads: its own check decides


def test_findings_of_a_long_string_rule_are_kept() -> None:
    def check(node: ast.AST, ctx: object) -> list[Finding]:
        return [Finding(code="SEC993", category="secrets", severity=Severity.INFO, message="long",
                        line=node.lineno, column=node.col_offset, end_line=node.lineno,  # type: ignore[attr-defined]
                        end_column=node.end_col_offset)]  # type: ignore[attr-defined]
    rule = Rule(code="SEC993", name="long", category="secrets", severity=Severity.INFO, docs="# SEC993\n",
                nodes=(ast.Constant,), check=check, min_string=20)
    assert [f.line for f in analyze(TEXT, "m.py", rules=[rule]).findings] == [2]
