"""Columns are code points, whatever the UTF-8 byte offsets ast reports."""

from __future__ import annotations

from secls.analysis import analyze
from secls.analysis.source import SourceLines

SOURCE = '''import unittest
from unittest import mock


class T(unittest.TestCase):
    def setUp(self):
        x = "😀é"; p = mock.patch("os.getcwd"); p.start()
'''


def test_finding_after_astral_characters_has_code_point_column() -> None:
    finding = next(f for f in analyze(SOURCE, "test_x.py").findings if f.code == "SEC301")
    line = SOURCE.splitlines()[finding.line - 1]
    assert line[finding.column:finding.end_column] == "p.start()"


def test_line_breaks_are_python_ones() -> None:
    src = SourceLines("a\r\nb\rc\nd\x0ce\u2028f")
    assert src.lines == ["a", "b", "c", "d\x0ce\u2028f"]
    assert src.column(4, len("d\x0ce\u2028".encode())) == 4


def test_syntax_error_is_a_finding_not_an_exception() -> None:
    result = analyze("def f(:\n    pass\n", "x.py")
    assert result.syntax_error is not None and result.syntax_error.line == 1
    assert result.findings == []


def test_bad_input_never_raises() -> None:
    for text in ("\x00", "(" * 5000, "1+" * 100000 + "1", "", "\ufeffimport os\n", "x = 1\r\n" * 3):
        analyze(text, "test_x.py")
