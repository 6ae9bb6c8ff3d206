"""Inline suppressions: `# secls: ignore[...]`, `# nosec [B...]`, `# noqa: S...`."""

from __future__ import annotations

import ast

import pytest

from secls.analysis import analyze
from secls.analysis.findings import Finding, Severity
from secls.analysis.source import SourceLines
from secls.config import Config
from secls.analysis.suppressions import ALL, apply_suppressions, line_suppressions

HEADER = '''\
import tempfile
import unittest


class T(unittest.TestCase):
    def setUp(self):
'''
"""A test class whose setUp body follows (8-space indent); SEC302 fires on each bare mkdtemp()."""


NO_SEC001 = Config(ignore=("SEC001",))
"""What suppressions drop, without the hints about unused ones (tests/rules/test_unused_suppressions.py)."""


def findings(body: str) -> list[tuple[str, int]]:
    """(code, line) of what secls reports for HEADER + body in a test file."""
    result = analyze(HEADER + body, "test_demo.py", NO_SEC001)
    assert result.syntax_error is None and result.errors == []
    return [(f.code, f.line) for f in result.findings]


def suppressed(body: str) -> int:
    """How many findings the suppressions dropped."""
    return analyze(HEADER + body, "test_demo.py").suppressed


def test_unsuppressed_baseline() -> None:
    assert findings("        self.d = tempfile.mkdtemp()\n") == [("SEC302", 7)]


@pytest.mark.parametrize("comment", [
    "# secls: ignore",
    "# secls: ignore[SEC302]",
    "# secls:ignore[SEC302]",
    "# secls: ignore[sec302]",
    "# secls: ignore[SEC301, SEC302]",
    "# secls: ignore[SEC301,SEC302]",
    "# SECLS: IGNORE[SEC302]",
    "# secls: ignore[SEC302] -- removed by the session fixture",
    "# nosec",
    "# NOSEC",
    "# nosec -- reviewed",
    "# noqa: E501  # secls: ignore[SEC302]",
])
def test_suppressed(comment: str) -> None:
    body = f"        self.d = tempfile.mkdtemp()  {comment}\n"
    assert findings(body) == []
    assert suppressed(body) == 1


@pytest.mark.parametrize("comment", [
    "# secls: ignore[SEC301]",
    "# secls: ignore[SEC30]",   # codes are exact, not prefixes
    "# nosec B602",             # a bandit ID that SEC302 does not answer to
    "# noqa",                   # a bare noqa is flake8's business, not a security suppression
    "# noqa: E501",
    "# noqa: S108",             # ruff code that SEC302 does not answer to
    "# secls ignore",
    "# this is not secls: ignore-able",
])
def test_not_suppressed(comment: str) -> None:
    assert findings(f"        self.d = tempfile.mkdtemp()  {comment}\n") == [("SEC302", 7)]


def test_only_its_own_line() -> None:
    body = ("        self.d = tempfile.mkdtemp()  # secls: ignore[SEC302]\n"
            "        self.e = tempfile.mkdtemp()\n")
    assert findings(body) == [("SEC302", 8)]


def test_comment_on_first_line_of_a_multiline_statement() -> None:
    body = ("        self.d = (  # secls: ignore[SEC302]\n"
            "            tempfile.mkdtemp())\n")
    assert findings(body) == []


def test_comment_on_a_later_line_of_a_statement_does_not_reach_back() -> None:
    body = ("        self.d = tempfile.mkdtemp(\n"
            "            prefix='x')  # secls: ignore[SEC302]\n")
    assert findings(body) == [("SEC302", 7)]


def test_comment_on_a_block_header_covers_the_header_only() -> None:
    body = ("        if True:  # secls: ignore\n"
            "            self.d = tempfile.mkdtemp()\n")
    assert findings(body) == [("SEC302", 8)]


def test_marker_inside_a_string_is_not_a_suppression() -> None:
    body = "        self.d = tempfile.mkdtemp(prefix='# secls: ignore')\n"
    assert findings(body) == [("SEC302", 7)]
    body = "        self.d = tempfile.mkdtemp(prefix='x # nosec')\n"
    assert findings(body) == [("SEC302", 7)]


def test_marker_inside_a_multiline_string_is_not_a_suppression() -> None:
    body = ('        """Doc.\n'
            "        self.d = tempfile.mkdtemp()  # secls: ignore\n"
            '        """\n'
            "        self.d = tempfile.mkdtemp(prefix='''# nosec\n"
            "# secls: ignore\n"
            "''')\n")
    assert findings(body) == [("SEC302", 10)]


def test_string_then_real_comment_still_suppresses() -> None:
    body = "        self.d = tempfile.mkdtemp(prefix='#')  # secls: ignore[SEC302]\n"
    assert findings(body) == []


def test_non_ascii_before_the_comment() -> None:
    body = "        self.d = tempfile.mkdtemp(prefix='été')  # secls: ignore[SEC302]\n"
    assert findings(body) == []
    body = "        self.d = tempfile.mkdtemp(prefix='été # nosec')\n"
    assert findings(body) == [("SEC302", 7)]


def test_match_statement_header_does_not_cover_its_cases() -> None:
    body = ("        match 1:  # secls: ignore\n"
            "            case _:\n"
            "                self.d = tempfile.mkdtemp()\n")
    assert findings(body) == [("SEC302", 9)]


# --- line_suppressions and apply_suppressions directly, with cross-references ----------------------

@pytest.mark.parametrize("line, codes", [
    ("x = 1", set()),
    ("x = 1  # nosec", {ALL}),
    ("x = 1  # nosec B602", {"B602"}),
    ("x = 1  # nosec: B602, B603", {"B602", "B603"}),
    ("x = 1  # nosec B602 B603", {"B602", "B603"}),
    ("x = 1  # noqa: S602", {"S602"}),
    ("x = 1  # noqa:S602,S603", {"S602", "S603"}),
    ("x = 1  # NOQA: s602", {"S602"}),
    ("x = 1  # noqa", set()),
    ("x = 1  # secls: ignore[SEC101]  # nosec B307", {"SEC101", "B307"}),
    ("x = 1  # secls: ignore[]", {ALL}),
])
def test_line_suppressions(line: str, codes: set[str]) -> None:
    assert line_suppressions(line) == codes


def _finding(code: str, line: int) -> Finding:
    return Finding(code=code, category="input-validation", severity=Severity.WARNING, message="m",
                   line=line, column=0, end_line=line, end_column=1)


@pytest.mark.parametrize("comment, kept", [
    ("# nosec B307", []),
    ("# noqa: S307", []),
    ("# nosec B602", ["SEC101"]),
    ("# noqa: S602", ["SEC101"]),
    ("# secls: ignore[SEC101]", []),
])
def test_cross_references(comment: str, kept: list[str]) -> None:
    text = f"eval(x)  {comment}\n"
    aliases = {"SEC101": ("B307", "S307")}
    out, dropped = apply_suppressions([_finding("SEC101", 1)], SourceLines(text), ast.parse(text),
                                      lambda code: aliases.get(code, ()))
    assert [f.code for f in out] == kept
    assert dropped == 1 - len(kept)


def test_uppercase_marker_alone_in_the_file() -> None:
    text = "eval(x)  # NOSEC\n"
    out, dropped = apply_suppressions([_finding("SEC101", 1)], SourceLines(text), ast.parse(text),
                                      lambda code: ())
    assert out == [] and dropped == 1


def test_crlf_and_cr_line_endings() -> None:
    body = ("        self.d = tempfile.mkdtemp()  # secls: ignore[SEC302]\r\n"
            "        self.e = tempfile.mkdtemp()\r\n")
    text = (HEADER.replace("\n", "\r\n") + body)
    assert [(f.code, f.line) for f in analyze(text, "test_demo.py").findings] == [("SEC302", 8)]
