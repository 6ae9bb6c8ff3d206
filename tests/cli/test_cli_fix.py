"""`secls check --fix / --unsafe-fixes / --diff`: what is written, what is printed, exit status, encodings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

# SEC308 (safe fix: stop the patcher, not the mock) and SEC402 (fix changes behaviour).
SOURCE = '''\
import unittest
from unittest import mock


class T(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.m = mock.patch("os.getcwd").start()
        self.addCleanup(self.m.stop)

    def test_x(self):
        try:
            pass
        except:
            pass
'''


def write(path: Path, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def test_fix_applies_safe_fixes_only(project: Path, secls) -> None:
    target = write(project / "test_a.py", SOURCE)
    run = secls("check", "--no-resolve", "--fix", "test_a.py")
    fixed = target.read_text()
    assert "self.addCleanup(self.m.stop)" not in fixed
    assert "except:" in fixed
    assert "Applied 1 fix in 1 file. 1 more with --unsafe-fixes" in run.out
    assert "SEC308" not in run.out and "SEC402" in run.out
    assert run.code == 1  # the bare except is still a warning


def test_unsafe_fixes_and_a_second_run_changes_nothing(project: Path, secls) -> None:
    target = write(project / "test_a.py", SOURCE)
    first = secls("check", "--no-resolve", "--fix", "--unsafe-fixes", "test_a.py")
    fixed = target.read_bytes()
    assert b"except Exception:" in fixed
    assert "Applied 2 fixes in 1 file." in first.out
    second = secls("check", "--no-resolve", "--fix", "--unsafe-fixes", "test_a.py")
    assert target.read_bytes() == fixed
    assert "Applied 0 fixes in 0 files." in second.out


def test_diff_writes_nothing_and_exits_one(project: Path, secls) -> None:
    target = write(project / "test_a.py", SOURCE)
    run = secls("check", "--no-resolve", "--diff", "test_a.py")
    assert run.code == 1
    assert target.read_text() == SOURCE
    assert run.out.startswith("--- a/test_a.py\n+++ b/test_a.py\n")
    assert "-        self.addCleanup(self.m.stop)\n" in run.out
    assert "Would apply 1 fix in 1 file." in run.err
    clean = secls("check", "--no-resolve", "--diff", "--select", "SEC308", "test_a.py")
    assert clean.code == 1  # still the same fix
    nothing = secls("check", "--no-resolve", "--diff", "--select", "SEC5", "test_a.py")
    assert (nothing.code, nothing.out) == (0, "")


@pytest.mark.parametrize(("encoding", "newline", "head"), [
    ("utf-8-sig", "\r\n", ""),
    ("latin-1", "\n", "# -*- coding: latin-1 -*-\n# caf\xe9\n"),
])
def test_encoding_bom_and_line_endings_are_kept(project: Path, secls, encoding: str, newline: str, head: str) -> None:
    target = write(project / "test_a.py", head + SOURCE, encoding, newline)
    secls("check", "--no-resolve", "--fix", "test_a.py")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    text = data.decode(encoding)
    assert "self.addCleanup(self.m.stop)" not in text
    other = {"\r\n", "\r", "\n"} - {newline}
    assert not any(kind in text.replace(newline, "") for kind in other)
    ast.parse(text)


def test_lone_cr_files_are_left_alone(project: Path, secls) -> None:
    """libcst drops a final lone CR, so no edit it makes is safe there: the fix is declined, nothing is written."""
    target = write(project / "test_a.py", SOURCE, "utf-8", "\r")
    before = target.read_bytes()
    run = secls("check", "--no-resolve", "--fix", "test_a.py")
    assert target.read_bytes() == before
    assert "SEC308" in run.out  # still reported


def test_a_file_that_does_not_parse_is_left_alone(project: Path, secls) -> None:
    target = write(project / "test_a.py", SOURCE + "def broken(:\n")
    run = secls("check", "--no-resolve", "--fix", "test_a.py")
    assert target.read_text() == SOURCE + "def broken(:\n"
    assert "Applied 0 fixes" in run.out and "E999" in run.out


def test_fixes_whose_result_does_not_parse_are_never_written(project: Path, secls,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import secls.fixes.batch as batch

    target = write(project / "test_a.py", SOURCE)
    monkeypatch.setattr(batch, "build_fix", lambda text, finding, config: text + "def broken(:\n")
    run = secls("check", "--no-resolve", "--fix", "--unsafe-fixes", "test_a.py")
    assert target.read_text() == SOURCE
    assert "Applied 0 fixes" in run.out


def test_symlinked_file_is_fixed_through_the_link(project: Path, secls) -> None:
    real = write(project / "real_test.py", SOURCE)
    (project / "test_link.py").symlink_to(real)
    secls("check", "--no-resolve", "--fix", "test_link.py")
    assert (project / "test_link.py").is_symlink()
    assert "self.addCleanup(self.m.stop)" not in real.read_text()


def test_diff_of_a_missing_path_is_a_usage_error(project: Path, secls) -> None:
    write(project / "test_a.py", SOURCE)
    run = secls("check", "--no-resolve", "--diff", "test_a.py", "nowhere.py")
    assert run.code == 2
    assert "nowhere.py: no such file or directory" in run.err
    assert run.out.startswith("--- a/test_a.py")
