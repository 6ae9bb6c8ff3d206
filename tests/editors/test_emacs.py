"""secls in real Emacs (Debian's emacs-nox and elpa-eglot), through editors/emacs/secls.el."""

from __future__ import annotations

from pathlib import Path

from tests.editors.conftest import (COLUMNS, EDITORS, HERE, LINE, SECLS, EditorRun, check_fails_fast, check_report,
                                    run_editor, system_tool, tool)


def run_emacs(secls: Path, module: Path, tmp_path: Path) -> EditorRun:
    emacs = tool(system_tool("emacs"), "Debian's emacs-nox")
    if not any(Path("/usr/share/emacs/site-lisp/elpa").glob("eglot-*")):
        tool(None, "Debian's elpa-eglot")
    argv = [emacs, "-Q", "--batch", "-l", str(HERE / "emacs_e2e.el")]
    env = {"SECLS_EXE": str(secls), "SECLS_EDITOR_DIR": str(EDITORS / "emacs"), "SECLS_FILE": str(module)}
    return run_editor(argv, env, tmp_path / "report.json", tmp_path / "home")


def test_diagnostic_and_quick_fix(module: Path, tmp_path: Path) -> None:
    run = run_emacs(SECLS, module, tmp_path)
    eglot = run.report["version"].split("eglot-")[1] if run.report else "0"
    # eglot 1.9 (Debian 12) offers no positionEncodings, so UTF-16; 1.17 offers and gets UTF-32.
    expected = "utf-32" if tuple(int(p) for p in eglot.split(".")[:2]) >= (1, 17) else "utf-16"
    report = check_report(run, expected)
    assert report["encoding"] == expected
    assert report["shown"].startswith("secls [SEC301]: ")
    # Emacs' own diagnostic columns are characters.
    assert (report["line"], report["col"], report["end_col"]) == (LINE, *COLUMNS["utf-32"])


def test_broken_server_fails_fast(module: Path, broken_secls: Path, tmp_path: Path) -> None:
    run = run_emacs(broken_secls, module, tmp_path)
    check_fails_fast(run, "emacs e2e: ")
    assert "secls server" in run.output, run.output
