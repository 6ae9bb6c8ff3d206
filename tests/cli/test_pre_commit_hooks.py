"""`.pre-commit-hooks.yaml`: the hooks pre-commit reads, and their entries parse as secls commands."""

from __future__ import annotations

import shlex

import pytest

from secls.cli import build_parser
from tests.cli.conftest import REPO

yaml = pytest.importorskip("yaml")


def test_hooks_run_secls_check_on_python_files() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"secls", "secls-fix"}
    for hook in hooks.values():
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python" and hook["types"] == ["python"]
        command = shlex.split(hook["entry"])
        assert command[0] == "secls"
        args = build_parser().parse_args([*command[1:], "staged_file.py"])  # pre-commit appends the files
        assert args.command == "check" and args.paths == ["staged_file.py"]
    assert "--fix" in hooks["secls-fix"]["entry"] and "--fix" not in hooks["secls"]["entry"]
