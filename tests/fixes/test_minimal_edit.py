"""minimal_edit: one replacement, 0-based lines, code-point columns, the source's line breaks."""

from __future__ import annotations

import re

import pytest

from secls.fixes import minimal_edit


def apply(old: str, edit: tuple[int, int, int, int, str]) -> str:
    """Apply an edit the way an editor does (lines split on \\r\\n, \\r, \\n)."""
    start_line, start_col, end_line, end_col, replacement = edit
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", old)]
    return old[:starts[start_line] + start_col] + replacement + old[starts[end_line] + end_col:]


@pytest.mark.parametrize(("old", "new"), [
    ("a\nb\n", "a\nx\nb\n"),
    ("a\r\nb\r\n", "a\r\nx\r\nb\r\n"),
    ("a\rb\r", "a\rx\rb\r"),
    ("a\r\nb", "a\r\nb\r\nc"),
    ("same\n", "same\n"),
    ("", "new\n"),
    ("héllo wörld\n", "héllo wörld\nnext 🎉\n"),
    ("x = 1\ny = 2\n", "x = 1\n"),
    ("a\r\n", "a\r\n\r\n"),
])
def test_minimal_edit_round_trips(old: str, new: str) -> None:
    assert apply(old, minimal_edit(old, new)) == new


def test_minimal_edit_is_minimal() -> None:
    assert minimal_edit("a\nb\n", "a\nbc\n") == (1, 1, 1, 1, "c")
    assert minimal_edit("same", "same") == (0, 4, 0, 4, "")


def test_minimal_edit_counts_code_points_and_crlf() -> None:
    old = "é = 1\r\nx = 2\r\n"
    new = "é = 1\r\nx = 3\r\n"
    assert minimal_edit(old, new) == (1, 4, 1, 5, "3")
    assert minimal_edit("🎉x", "🎉y") == (0, 1, 0, 2, "y")


def test_minimal_edit_never_splits_crlf() -> None:
    start_line, start_col, end_line, end_col, text = minimal_edit("a\r\nb", "a\r\n\r\nb")
    assert not text.startswith("\n") and not text.endswith("\r")
