"""`secls check` on bad input: every case is a clear message or a correct finding, never a traceback or a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from secls.analysis.source import SourceLines
from tests.cli.conftest import LEAKY, run_subprocess


def findings(run) -> list[tuple[int, int, str]]:
    return [(f["line"], f["column"], f["code"]) for f in run.json()["findings"]]


def test_nul_byte_is_a_syntax_error_where_it_is(project: Path, secls) -> None:
    (project / "a.py").write_bytes(b"import os\nx = 1\x00\n")
    run = secls("check", "--format", "json", "a.py")
    [error] = run.json()["errors"]
    assert (error["line"], error["column"], error["code"]) == (2, 6, "E999") and "NUL" in error["message"]
    assert run.code == 1


@pytest.mark.parametrize("data, what", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "a PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
    (b"\x7fELF\x02\x01\x01\x00", "an ELF executable"),
    ("x = 1\n".encode("utf-16"), "UTF-16 text"),
    (b"\x00\x01\x02\xfa\xfb", "binary data (a NUL byte at offset 0)"),
])
def test_binary_file_named_explicitly(project: Path, secls, data: bytes, what: str) -> None:
    (project / "picture.png").write_bytes(data)
    run = secls("check", "--format", "json", "picture.png")
    assert [e["message"] for e in run.json()["errors"]] == [f"not a Python source file: {what}"]
    assert run.code == 1 and "Traceback" not in run.out + run.err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_fifo_named_explicitly_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.py")
    run = run_subprocess("check", "--no-resolve", "--format", "json", str(tmp_path / "pipe.py"), cwd=tmp_path)
    [error] = run.json()["errors"]
    assert "not a regular file" in error["message"] and run.code == 1


def test_latin1_cookie_and_undecodable_bytes(project: Path, secls) -> None:
    (project / "ok.py").write_bytes(b"# vim: set fileencoding=latin-1 :\nimport os\nos.system('\xe9' + x)\n")
    (project / "bad.py").write_bytes(b"# coding: ascii\nx = '\xe9'\n")
    run = secls("check", "--format", "json", "ok.py", "bad.py")
    assert findings(run) == [(3, 1, "SEC102")]
    [error] = run.json()["errors"]
    assert error["path"] == "bad.py" and "cannot decode as ascii" in error["message"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings_form_feeds_and_tabs(project: Path, secls, newline: str) -> None:
    lines = ["import subprocess", "\x0c", "if True:", "\tsubprocess.call(x, shell=True)  # é",
             "\x0cx = 1", "\tsubprocess.call(y, shell=True)" if False else "subprocess.call(y, shell=True)"]
    text = newline.join(lines) + newline
    (project / "m.py").write_bytes(text.encode())
    run = secls("check", "--format", "json", "m.py")
    got = [(f["line"], f["column"], f["end_column"]) for f in run.json()["findings"] if f["code"] == "SEC102"]
    source = SourceLines(text)
    assert [source.line(line)[column - 1:end - 1] for line, column, end in got] == [
        "subprocess.call(x, shell=True)", "subprocess.call(y, shell=True)"]
    assert [line for line, _, _ in got] == [4, 6]


def test_bom_does_not_shift_columns(project: Path, secls) -> None:
    (project / "m.py").write_bytes(b"\xef\xbb\xbfimport os; os.system(x)\n")
    assert findings(secls("check", "--format", "json", "m.py")) == [(1, 12, "SEC102")]


def test_empty_files(project: Path, secls) -> None:
    (project / "empty.py").write_bytes(b"")
    (project / "blank.py").write_bytes(b"\n\n\r\n")
    run = secls("check", "--format", "json", ".")
    assert run.json() == {"findings": [], "errors": []} and run.code == 0


def test_size_limit_default_configured_and_off(project: Path, secls) -> None:
    (project / "big.py").write_text("import os\nos.system(x)\n" + "x = 1\n" * 50_000)
    (project / "small.py").write_text(LEAKY)
    run = secls("check", "--format", "json", "big.py", "small.py")
    assert findings(run) == [(1, 1, "I900"), (7, 18, "SEC302")]
    assert "over the max-lines limit of 50,000" in run.json()["findings"][0]["message"]
    assert run.json()["findings"][0]["severity"] == "info"

    (project / "pyproject.toml").write_text("[tool.secls]\nmax-lines = 5\n")
    assert [code for _, _, code in findings(secls("check", "--format", "json", "small.py"))] == ["I900"]
    (project / "pyproject.toml").write_text("[tool.secls]\nmax-lines = 0\n")
    assert (2, 1, "SEC102") in findings(secls("check", "--format", "json", "big.py"))
    (project / "pyproject.toml").write_text("[tool.secls]\nmax-lines = \"many\"\n")
    run = secls("check", "big.py")
    assert run.code == 2 and "max-lines" in run.err


def test_only_too_large_files_exit_zero(project: Path, secls) -> None:
    (project / "pyproject.toml").write_text("[tool.secls]\nmax-lines = 3\n")
    (project / "a.py").write_text("import os\nos.system(x)\n\n\n")
    run = secls("check", "a.py")
    assert run.code == 0 and "I900 [info]" in run.out


def test_deep_nesting(project: Path, secls) -> None:
    (project / "deep.py").write_text("x = " + "-" * 5000 + "1\n")
    (project / "chain.py").write_text("import subprocess\nsubprocess.call(" + "'a' + " * 1500 + "x, shell=True)\n")
    run = secls("check", "--format", "json", "deep.py", "chain.py")
    [error] = run.json()["errors"]
    assert error["path"] == "deep.py" and "nested too deeply" in error["message"] and error["code"] == "E999"
    # The rules walk a 1,500-term `+` chain without recursing: the finding, no internal error.
    assert [(f["path"], f["code"]) for f in run.json()["findings"]] == [("chain.py", "SEC102")]
    assert run.code == 1  # the file that did not parse, not an internal error (2)


def test_broken_links_in_folders_are_skipped(project: Path, secls) -> None:
    (project / "pkg").mkdir()
    (project / "pkg" / "test_a.py").write_text(LEAKY)
    (project / "pkg" / "dangling.py").symlink_to(project / "missing.py")
    (project / "pkg" / "loop.py").symlink_to(project / "pkg" / "loop.py")
    (project / "pkg" / "up").symlink_to(project)
    run = secls("check", "--format", "json", "pkg")
    assert run.json()["errors"] == [] and findings(run) == [(7, 18, "SEC302")]
    run = secls("check", "--format", "json", "pkg/loop.py")
    assert [e["message"] for e in run.json()["errors"]] == ["broken symbolic link"] and run.code == 2


def test_unlistable_folder(project: Path, secls, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "locked").mkdir()
    (project / "locked" / "a.py").write_text("x = 1\n")
    real_scandir = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    run = secls("check", "--format", "json", ".")
    [error] = run.json()["errors"]
    assert error["path"].endswith("locked") and error["message"] == "cannot list folder: Permission denied"
    assert run.code == 1
