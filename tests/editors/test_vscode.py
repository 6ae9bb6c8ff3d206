"""The VS Code extension: type-checked, bundled and packaged; its protocol test against `secls serve`.

No VS Code runs here (getting one needs the internet), so the client side is vscode-languageclient's
own protocol library driven by `node --test`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.editors.conftest import EDITORS, SECLS, system_tool, tool

VSCODE = EDITORS / "vscode"
TIMEOUT_S = 120
VSIX_FILES = {"extension.vsixmanifest", "[Content_Types].xml", "extension/package.json", "extension/readme.md",
              "extension/dist/extension.js", "extension/dist/terminateProcess.sh"}


def run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool of the extension's npm packages in editors/vscode."""
    node_bin = VSCODE / "node_modules" / ".bin"
    tool(node_bin / "tsc", "the extension's npm packages (`npm ci` in editors/vscode)")
    node = tool(system_tool("node"), "Node.js")
    path = f"{node_bin}{os.pathsep}{Path(node).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    try:
        return subprocess.run(argv, cwd=VSCODE, env={**os.environ, "PATH": path, **(env or {})},
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{argv} did not finish in {TIMEOUT_S} s: {exc.stdout}{exc.stderr}")


def check(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, f"{result.args} exited {result.returncode}:\n{result.stdout}{result.stderr}"


def test_typecheck_bundle_package(tmp_path: Path) -> None:
    check(run(["tsc", "--noEmit", "-p", "."]))
    check(run(["node", "scripts/bundle.mjs"]))
    vsix = tmp_path / "secls.vsix"
    check(run(["vsce", "package", "--no-dependencies", "--allow-missing-repository", "--skip-license",
               "-o", str(vsix)]))
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        assert names == VSIX_FILES
        assert b"secls.restart" in archive.read("extension/package.json")
    assert vsix.stat().st_size < 200_000


def test_types_not_newer_than_engine() -> None:
    package = json.loads((VSCODE / "package.json").read_text())
    engine = package["engines"]["vscode"].lstrip("^~>=")
    types = package["devDependencies"]["@types/vscode"].lstrip("^~>=")
    assert minor_version(types) <= minor_version(engine), (types, engine)


def minor_version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int(minor)


def test_protocol() -> None:
    check(run(["node", "--test", "test/"], env={"SECLS": str(SECLS)}))


def test_broken_server_fails_fast(broken_secls: Path) -> None:
    result = run(["node", "--test", "test/"], env={"SECLS": str(broken_secls)})
    assert result.returncode != 0, result.stdout
    assert "the secls server exited (code 3" in result.stdout, result.stdout


def test_contributed_commands_have_one_handler() -> None:
    """Each palette command is registered by the extension or, from executeCommandProvider, by the language
    client — never both (a second registerCommand of one id stops the client from starting)."""
    from secls.server.app import server

    contributed = {c["command"] for c in json.loads((VSCODE / "package.json").read_text())["contributes"]["commands"]}
    source = (VSCODE / "src" / "extension.ts").read_text()
    in_extension = set(re.findall(r"registerCommand\('([^']+)'", source))
    in_server = set(server.protocol.fm.commands)
    assert "secls.reviewWorkspace" in in_server & contributed
    assert not in_extension & in_server
    assert contributed <= in_extension | in_server
