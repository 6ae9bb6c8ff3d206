"""The invariant checker's shortcuts answer as the whole computations do: the line diff with the shared
start and end matched first is difflib's diff of the whole texts, and the walk that skips subtrees away
from a line meets the same nodes around it, in ast.walk's order."""

from __future__ import annotations

import ast
import difflib

import pytest

from secls.analysis import analyze
from secls.fixes import build_fix
from secls.fixes.invariants import _LINE_BREAK, _line_opcodes, _walk_at
from tests.fixes.test_reparse import CASES


def whole_opcodes(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


@pytest.mark.parametrize("old, new", [
    ("a\nb\nc\n", "a\nb\nc\n"),
    ("a\nb\nc\n", "a\nx\nb\nc\n"),
    ("a\nb\nc\n", "import os\na\nb\nc\n"),
    ("a\nb\nc\n", "a\nb\nc\nd\n"),
    ("a\nb\nc\n", "a\nc\n"),
    ("a\nb\nc\nd\ne\n", "a\nB\nc\nd\nE\n"),
    ("", "x\n"),
    ("a\nb\n", ""),
], ids=["same", "insert", "insert_first", "insert_last", "delete", "two_changes", "from_empty", "to_empty"])
def test_line_opcodes_are_difflib_s(old: str, new: str) -> None:
    old_lines, new_lines = _LINE_BREAK.split(old), _LINE_BREAK.split(new)
    assert _line_opcodes(old_lines, new_lines) == whole_opcodes(old_lines, new_lines)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_line_opcodes_and_walk_for_every_fix(case: int) -> None:
    text, path, config = CASES[case]
    tree = ast.parse(text)
    for finding in analyze(text, path, config).findings:
        around = [n for n in ast.walk(tree) if isinstance(n, ast.stmt) and n.lineno <= finding.line <= n.end_lineno]
        assert [n for n in _walk_at(tree, finding.line) if n in around] == around
        new = build_fix(text, finding, config) if finding.fix is not None else None
        if new is not None:
            old_lines, new_lines = _LINE_BREAK.split(text), _LINE_BREAK.split(new)
            assert _line_opcodes(old_lines, new_lines) == whole_opcodes(old_lines, new_lines)
