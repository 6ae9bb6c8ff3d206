"""`secls check`: output formats, exit codes, paths, selection, excludes, unreadable files."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from secls.analysis.findings import CATEGORIES
from tests.cli.conftest import EXAMPLES, LEAKY, REPO, run_subprocess

FINDING_KEYS = {"path", "line", "column", "end_line", "end_column", "code", "category", "severity",
                "message", "fix"}


# --- the examples -------------------------------------------------------------------------------

def test_examples_text_reports_the_leaky_file_only() -> None:
    run = run_subprocess("check", "examples/")
    assert run.code == 1, run.err
    lines = run.out.splitlines()
    codes = {line.split(": ")[1].split()[0] for line in lines[:-1]}
    assert {"SEC301", "SEC302", "SEC303"} <= codes
    assert all(line.startswith("examples/leaky_test.py:") for line in lines[:-1])
    assert lines[-1].startswith("Found ")
    assert "2 files" in lines[-1]


def test_clean_example_has_nothing_at_warning_or_above(secls) -> None:
    run = secls("check", "--format", "json", str(EXAMPLES / "clean_test.py"))
    data = run.json()
    assert [f for f in data["findings"] if f["severity"] in ("error", "warning")] == []
    assert data["errors"] == []
    assert run.code == 0


def test_text_line_format(secls) -> None:
    run = secls("check", str(EXAMPLES / "leaky_test.py"))
    first = run.out.splitlines()[0]
    path, line, col, rest = first.split(":", 3)
    assert path == str(EXAMPLES / "leaky_test.py")
    assert int(line) >= 1 and int(col) >= 1
    code, severity = rest.split()[:2]
    assert code.startswith("SEC") and severity == "[warning]"
    assert rest.endswith("(resource-release)")


def test_json_shape(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(LEAKY)
    run = secls("check", "--format", "json", "test_leak.py")
    data = run.json()
    assert set(data) == {"findings", "errors"}
    assert run.code == 1
    [finding] = [f for f in data["findings"] if f["code"] == "SEC302"]
    assert set(finding) == FINDING_KEYS
    assert finding["path"] == "test_leak.py"
    assert finding["category"] in CATEGORIES
    assert finding["severity"] in ("error", "warning", "info", "hint")
    # `self.d = tempfile.mkdtemp()` on line 7: the call starts at 0-based column 17 -> 1-based 18.
    assert finding["line"] == 7
    line_text = LEAKY.splitlines()[6]
    assert finding["column"] == line_text.index("tempfile") + 1
    assert finding["end_column"] == len(line_text) + 1
    assert finding["fix"] is None or (set(finding["fix"]) == {"title", "safe"}
                                      and isinstance(finding["fix"]["safe"], bool))


def test_json_from_subprocess_is_one_object() -> None:
    run = run_subprocess("check", "--format", "json", "examples")
    assert run.code == 1
    data = run.json()
    assert {f["path"] for f in data["findings"]} == {os.path.join("examples", "leaky_test.py")}
    for f in data["findings"]:
        assert set(f) == FINDING_KEYS
        assert f["category"] in CATEGORIES


# --- paths ----------------------------------------------------------------------------------------

def test_relative_paths_stay_relative(project: Path, secls) -> None:
    (project / "pkg" / "tests").mkdir(parents=True)
    (project / "pkg" / "tests" / "test_a.py").write_text(LEAKY)
    for given, expected in [("pkg", "pkg/tests/test_a.py"), ("pkg/", "pkg/tests/test_a.py"),
                            ("./pkg", "./pkg/tests/test_a.py"), ("pkg/tests/test_a.py", "pkg/tests/test_a.py")]:
        data = secls("check", "--format", "json", given).json()
        assert {f["path"] for f in data["findings"]} == {expected}, given


def test_absolute_paths_stay_absolute(project: Path, secls) -> None:
    (project / "test_a.py").write_text(LEAKY)
    data = secls("check", "--format", "json", str(project)).json()
    assert {f["path"] for f in data["findings"]} == {str(project / "test_a.py")}


def test_nonexistent_path_exits_2(project: Path, secls) -> None:
    (project / "test_a.py").write_text(LEAKY)
    run = secls("check", "--format", "json", "missing.py", "test_a.py")
    assert run.code == 2
    data = run.json()
    assert data["errors"] == [{"path": "missing.py", "message": "no such file or directory"}]
    assert data["findings"], "the paths that exist are still checked"
    assert "missing.py" in run.err


def test_nonexistent_path_text(project: Path, secls) -> None:
    run = secls("check", "nope")
    assert run.code == 2
    assert "nope: error: no such file or directory" in run.out


def test_files_reached_twice_are_checked_once(project: Path, secls) -> None:
    (project / "test_a.py").write_text(LEAKY)
    data = secls("check", "--format", "json", ".", "test_a.py").json()
    assert len([f for f in data["findings"] if f["code"] == "SEC302"]) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loop_is_skipped(project: Path, secls) -> None:
    (project / "src").mkdir()
    (project / "src" / "test_a.py").write_text(LEAKY)
    (project / "src" / "loop").symlink_to(project / "src", target_is_directory=True)
    run = secls("check", "--format", "json", "src")
    paths = [f["path"] for f in run.json()["findings"]]
    assert paths and set(paths) == {"src/test_a.py"}


# --- excludes, non-Python files ---------------------------------------------------------------------

def test_default_excludes_and_non_python_files(project: Path, secls) -> None:
    for folder in (".venv", "build", "node_modules", "__pycache__"):
        (project / folder).mkdir()
        (project / folder / "test_a.py").write_text(LEAKY)
    (project / "notes.txt").write_text(LEAKY)
    run = secls("check", "--format", "json", ".")
    assert run.json() == {"findings": [], "errors": []}
    assert run.code == 0


def test_configured_exclude(project: Path, secls) -> None:
    (project / "pyproject.toml").write_text('[tool.secls]\nexclude = ["generated", "*_skip.py"]\n')
    (project / "generated").mkdir()
    (project / "generated" / "test_a.py").write_text(LEAKY)
    (project / "test_skip.py").write_text(LEAKY)
    (project / "test_keep.py").write_text(LEAKY)
    paths = {f["path"] for f in secls("check", "--format", "json", ".").json()["findings"]}
    assert paths == {"./test_keep.py"}


def test_explicit_file_is_checked_even_if_excluded(project: Path, secls) -> None:
    (project / "build").mkdir()
    (project / "build" / "test_a.py").write_text(LEAKY)
    assert secls("check", "--format", "json", "build/test_a.py").json()["findings"]


def test_exclude_matches_below_the_given_folder_only(tmp_path: Path, monkeypatch, secls) -> None:
    root = tmp_path / "build" / "proj"  # the checkout itself lives under a folder called build
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text("")
    (root / "test_a.py").write_text(LEAKY)
    monkeypatch.chdir(root)
    assert secls("check", "--format", "json", str(root)).json()["findings"]


# --- select / ignore / exit-zero --------------------------------------------------------------------

def test_select_and_ignore(secls) -> None:
    leaky = str(EXAMPLES / "leaky_test.py")
    codes = lambda *a: {f["code"] for f in secls("check", "--format", "json", leaky, *a).json()["findings"]}
    everything = codes()
    assert {"SEC301", "SEC302", "SEC303"} <= everything
    assert codes("--select", "SEC302") == {"SEC302"}
    assert codes("--select", "SEC301,SEC303") == {"SEC301", "SEC303"}
    assert codes("--ignore", "SEC301") == everything - {"SEC301"}
    assert codes("--select", "SEC3", "--ignore", "SEC302,SEC303") == everything - {"SEC302", "SEC303"}
    assert codes("--select", "sec302") == {"SEC302"}


def test_ignore_adds_to_configured_ignore(project: Path, secls) -> None:
    (project / "pyproject.toml").write_text('[tool.secls]\nignore = ["SEC301"]\n')
    (project / "test_a.py").write_text((EXAMPLES / "leaky_test.py").read_text())
    codes = {f["code"] for f in secls("check", "--format", "json", "--ignore", "SEC302", ".").json()["findings"]}
    assert "SEC301" not in codes and "SEC302" not in codes and "SEC303" in codes


def test_exit_zero(secls) -> None:
    run = secls("check", "--exit-zero", str(EXAMPLES / "leaky_test.py"))
    assert run.code == 0
    assert "SEC301" in run.out


def test_info_and_hint_do_not_fail(project: Path, secls) -> None:
    (project / "pyproject.toml").write_text('[tool.secls]\nseverity = { SEC302 = "info" }\n')
    (project / "test_a.py").write_text(LEAKY)
    run = secls("check", "--format", "json", "test_a.py")
    assert [f["severity"] for f in run.json()["findings"]] == ["info"]
    assert run.code == 0


def test_config_flag(project: Path, tmp_path: Path, secls) -> None:
    other = tmp_path / "other.toml"
    other.write_text('[tool.secls]\nselect = ["SEC303"]\n')
    (project / "test_a.py").write_text(LEAKY)
    run = secls("check", "--config", str(other), "test_a.py")
    assert run.code == 0 and "No findings in 1 file checked." in run.out


# --- errors: syntax, decoding, config, usage -------------------------------------------------------

def test_syntax_error_is_reported_and_exits_1(project: Path, secls) -> None:
    (project / "bad.py").write_text("def f(:\n    pass\n")
    run = secls("check", "--format", "json", "bad.py")
    assert run.code == 1
    [error] = run.json()["errors"]
    assert error["path"] == "bad.py" and error["line"] == 1 and error["column"] >= 1
    assert error["code"] == "E999" and "syntax error" in error["message"]
    text = secls("check", "bad.py")
    assert text.code == 1
    assert text.out.startswith("bad.py:1:") and "E999 [error] syntax error" in text.out


def test_syntax_error_exit_zero(project: Path, secls) -> None:
    (project / "bad.py").write_text("x = (\n")
    assert secls("check", "--exit-zero", "bad.py").code == 0


def test_undecodable_file(project: Path, secls) -> None:
    (project / "latin.py").write_bytes(b"x = '\xe9t\xe9'\n")
    run = secls("check", "--format", "json", "latin.py")
    assert run.code == 1
    [error] = run.json()["errors"]
    assert error["path"] == "latin.py"
    assert "cannot decode as utf-8" in error["message"]
    assert "Traceback" not in run.out + run.err


def test_unknown_coding_cookie(project: Path, secls) -> None:
    (project / "a.py").write_bytes(b"# -*- coding: klingon -*-\nx = 1\n")
    run = secls("check", "--format", "json", "a.py")
    [error] = run.json()["errors"]
    assert "cannot decode" in error["message"] and run.code == 1


def test_coding_cookie_and_bom_are_honoured(project: Path, secls) -> None:
    (project / "test_latin.py").write_bytes(b"# -*- coding: latin-1 -*-\n" + LEAKY.replace(
        "pass", "x = '\xe9t\xe9'").encode("latin-1"))
    (project / "test_bom.py").write_bytes(b"\xef\xbb\xbf" + LEAKY.encode())
    data = secls("check", "--format", "json", ".").json()
    assert data["errors"] == []
    assert {(f["path"], f["line"]) for f in data["findings"]} == {("./test_bom.py", 7), ("./test_latin.py", 8)}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_unreadable_file(project: Path, secls) -> None:
    target = project / "secret.py"
    target.write_text("x = 1\n")
    target.chmod(0)
    try:
        run = secls("check", "--format", "json", ".")
    finally:
        target.chmod(0o644)
    [error] = run.json()["errors"]
    assert error["path"] == "./secret.py" and "cannot read" in error["message"]
    assert run.code == 1


def test_bad_config_exits_2(project: Path, secls) -> None:
    (project / "pyproject.toml").write_text('[tool.secls]\nseverity = { SEC301 = "loud" }\n')
    (project / "a.py").write_text("x = 1\n")
    run = secls("check", "a.py")
    assert run.code == 2
    assert "configuration error" in run.err and "loud" in run.err
    assert run.out == ""


def test_missing_config_file_exits_2(project: Path, secls) -> None:
    run = secls("check", "--config", "nope.toml", ".")
    assert run.code == 2 and "nope.toml" in run.err


def test_usage_errors_exit_2() -> None:
    assert run_subprocess("check").code == 2
    assert run_subprocess("check", "--format", "xml", "examples").code == 2
    assert run_subprocess("frobnicate").code == 2
    assert run_subprocess().code == 2


def test_version() -> None:
    from secls import __version__

    run = run_subprocess("--version")
    assert run.code == 0 and run.out.strip() == f"secls {__version__}"


def test_console_script_entry_point() -> None:
    import secls.cli

    text = (REPO / "pyproject.toml").read_text()
    assert 'secls = "secls.cli:main"' in text
    assert callable(secls.cli.main)


def test_path_join_is_not_a_release(project: Path, secls) -> None:
    (project / "test_a.py").write_text(LEAKY.replace(
        "        self.d = tempfile.mkdtemp()\n",
        "        self.d = tempfile.mkdtemp()\n        self.f = os.path.join(self.d, 'x')\n").replace(
        "import tempfile", "import os\nimport tempfile"))
    codes = {f["code"] for f in secls("check", "--format", "json", "test_a.py").json()["findings"]}
    assert "SEC302" in codes


def test_rule_internal_error_exits_2(project: Path, secls, monkeypatch: pytest.MonkeyPatch) -> None:
    from secls import check as check_module
    from secls.analysis import AnalysisResult

    monkeypatch.setattr(check_module, "analyze", lambda *a, **k: AnalysisResult(
        errors=["internal error in SEC301 at line 1: KeyError: 'x'"]))
    (project / "a.py").write_text("x = 1\n")
    run = secls("check", "--format", "json", "--exit-zero", "a.py")
    assert run.code == 2
    assert run.json()["errors"] == [{"path": "a.py", "message": "internal error in SEC301 at line 1: KeyError: 'x'"}]


def test_unexpected_exception_is_a_message_not_a_traceback(secls, monkeypatch: pytest.MonkeyPatch) -> None:
    from secls import check as check_module

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(check_module, "check_paths", boom)
    run = secls("check", "examples")
    assert run.code == 2
    assert run.err.strip() == "secls: internal error: RuntimeError: disk on fire"


def test_read_error_is_reported(project: Path, secls, monkeypatch: pytest.MonkeyPatch) -> None:
    from secls import check as check_module

    def denied(path: str) -> str:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(check_module, "read_source", denied)
    (project / "a.py").write_text("x = 1\n")
    run = secls("check", "a.py")
    assert run.code == 1
    assert run.out.splitlines()[0] == "a.py: error: cannot read: Permission denied"


def test_unknown_select_code_is_a_usage_error(secls) -> None:
    run = secls("check", "--select", "SEC301,E501", "examples")
    assert run.code == 2
    assert "E501" in run.err and "secls rules" in run.err and run.out == ""
    assert secls("check", "--ignore", "SEC3012", "examples").code == 2
    assert secls("check", "--select", "SEC", "--ignore", "sec1", "examples/clean_test.py").code == 0
