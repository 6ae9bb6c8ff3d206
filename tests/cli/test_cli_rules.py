"""`secls rule CODE`, `secls rules`, `secls serve`."""

from __future__ import annotations

import sys

import pytest

from secls.rules import ALL_RULES, rule_by_code
from tests.cli.conftest import run_subprocess


def test_rule_prints_docs(secls) -> None:
    run = secls("rule", "SEC301")
    assert run.code == 0
    assert run.out.strip() == rule_by_code("SEC301").docs.strip()
    assert "## What it finds" in run.out


def test_rule_code_is_case_insensitive(secls) -> None:
    assert secls("rule", "sec302").out.strip() == rule_by_code("SEC302").docs.strip()


def test_unknown_rule_exits_2() -> None:
    run = run_subprocess("rule", "SEC999")
    assert run.code == 2
    assert "SEC999" in run.err and "secls rules" in run.err
    assert run.out == ""


def test_rules_lists_every_rule(secls) -> None:
    run = secls("rules")
    assert run.code == 0
    lines = run.out.splitlines()
    assert len(lines) == len(ALL_RULES)
    for line, rule in zip(lines, ALL_RULES):
        assert line.split()[:4] == [rule.code, rule.name, rule.category, rule.severity.label]
        assert rule.summary[:40] in line


def test_serve_calls_the_server_lazily(monkeypatch: pytest.MonkeyPatch, secls) -> None:
    import types

    called: list[bool] = []
    fake = types.ModuleType("secls.server")
    fake.serve = lambda: called.append(True)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "secls.server", fake)
    assert secls("serve", "--stdio").code == 0
    assert secls("serve").code == 0
    assert called == [True, True]


def test_check_does_not_import_the_server() -> None:
    code = ("import sys; from secls.cli import main; main(['check', 'examples/clean_test.py']);"
            "print('pygls' in sys.modules, 'secls.server' in sys.modules, 'libcst' in sys.modules)")
    import subprocess

    from tests.cli.conftest import REPO

    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True).stdout
    assert out.strip().splitlines()[-1] == "False False False"
