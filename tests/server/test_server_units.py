"""Unit tests of the server's pure helpers: column conversion, suppression edits, action selection."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from secls.analysis import Finding, FixRef, Severity
from secls.server.actions import findings_for_request, suppression_edit, wants_quickfix
from secls.server.convert import Columns, to_diagnostic
from secls.server.settings import Settings
from secls.config import Config

TEXT = 'x = "😀😀"; p = start()\n'  # `p = ` ends at code point 14


def finding(line: int = 1, column: int = 14, end: int = 21, code: str = "SEC301") -> Finding:
    return Finding(code=code, category="resource-release", severity=Severity.WARNING, message="m",
                   line=line, column=column, end_line=line, end_column=end, fix=FixRef("Fix it"))


@pytest.mark.parametrize(("encoding", "expected"), [("utf-32", 14), ("utf-16", 16), ("utf-8", 20)])
def test_columns_round_trip(encoding: str, expected: int) -> None:
    columns = Columns(TEXT, PositionCodec(encoding))
    position = columns.to_client(0, 14)
    assert position.character == expected
    assert columns.from_client(position) == (0, 14)


def test_ascii_text_is_never_split() -> None:
    columns = Columns("a = 1\n" * 3, PositionCodec("utf-16"))
    assert columns.to_client(2, 4) == types.Position(line=2, character=4)
    assert "lines" not in columns.__dict__


def test_diagnostic_shape() -> None:
    diag = to_diagnostic(finding(), "file:///t.py", Columns(TEXT, PositionCodec("utf-16")),
                         Config(docs_url="https://e.org/rules/"))
    assert diag.message == "m [resource-release]"
    assert diag.code_description is not None and diag.code_description.href == "https://e.org/rules/SEC301"
    assert diag.data == {"category": "resource-release", "fix": "Fix it", "safe": True}
    assert (diag.range.start.character, diag.range.end.character) == (16, 23)


def test_suppression_appends_or_extends() -> None:
    assert suppression_edit(["p.start()   "], finding()) == (0, 9, 0, 12, "  # secls: ignore[SEC301]")
    lines = ["p.start()  # secls: ignore[SEC302]"]
    start, col, _, end, text = suppression_edit(lines, finding())
    assert lines[0][:col] + text + lines[0][end:] == "p.start()  # secls: ignore[SEC302, SEC301]"
    assert suppression_edit(["p.start()  # secls: ignore[SEC301]"], finding()) is None
    assert suppression_edit(["x = p.start() + \\"], finding()) is None


def test_findings_matched_by_line_and_code_not_client_columns() -> None:
    found = [finding(line=3), finding(line=7, code="SEC302")]
    # A Neovim 0.7 diagnostic with byte columns: only its code and line count.
    diag = types.Diagnostic(range=types.Range(start=types.Position(6, 99), end=types.Position(6, 120)),
                            message="", code="SEC302", source="secls")
    assert findings_for_request(found, 2, 2, []) == [found[0]]
    assert findings_for_request(found, 0, 0, [diag]) == [found[1]]
    assert wants_quickfix(None) and wants_quickfix(["quickfix"]) and not wants_quickfix(["source"])


def test_bad_settings_keep_the_previous_ones() -> None:
    settings = Settings()
    assert settings.set_workspace({"secls": {"ignore": ["SEC301"]}}) is None
    error = settings.set_workspace({"select": 5})
    assert error is not None and "select" in error
    assert settings.config(None, None).ignore == ("SEC301",)
