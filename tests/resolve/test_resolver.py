"""The cross-file resolver: bases through files and jedi, patch targets, the facts it summarises."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import oslotest.base
import pytest

from secls.analysis import analyze
from secls.analysis.frameworks import KNOWN_BASES
from secls.resolve.jedi_resolver import JediResolver
from secls.resolve.summaries import summarize

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    """A copy of tests/workspace that a test may change."""
    shutil.copytree(WORKSPACE, tmp_path / "ws")
    return tmp_path / "ws"


def codes(text: str, root: Path, resolve: bool = True) -> list[tuple[int, str, str]]:
    """(line, code, severity) of a module analysed as `root/test_mod.py`."""
    resolution = JediResolver(root).resolve(text, str(root / "test_mod.py")) if resolve else None
    result = analyze(text, "tests/test_mod.py", resolver=resolution)
    return [(f.line, f.code, f.severity.label) for f in result.findings if f.code.startswith(("SEC3", "SEC80"))]


def test_installed_oslotest_source_matches_the_built_in_knowledge() -> None:
    path = oslotest.base.__file__
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    line = next(n.lineno for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "BaseTestCase")
    resolver = JediResolver(WORKSPACE)
    facts = summarize(path, line, "BaseTestCase", resolver.files, resolver.base_lookup)
    known = KNOWN_BASES["oslotest.base.BaseTestCase"]
    assert facts is not None
    assert (facts.registers_stopall, facts.nested_tempfile, facts.enforces_super) == (
        known.registers_stopall, known.nested_tempfile, known.enforces_super) == (True, True, True)
    assert known.needs_super <= facts.needs_super


PATCHER = '''from unittest import mock
{imports}


class TestThing({base}):
    def setUp(self):
        super().setUp()
        mock.patch("pkg.clock.now").start()
'''


@pytest.mark.parametrize(("imports", "base", "expected"), [
    ("from pkg import bases", "bases.StopallTestCase", []),  # released by the base's stopall
    ("from pkg.reexport import ProjectTestCase", "ProjectTestCase", []),  # through a re-export
    ("from pkg import bases", "bases.PlainTestCase", [(8, "SEC301", "warning")]),  # testtools: no stopall
    ("import pkg.bases", "pkg.bases.NestedTempTestCase", [(8, "SEC301", "warning")]),
])
def test_bases_in_other_files_decide_sec301(imports: str, base: str, expected: list) -> None:
    text = PATCHER.format(imports=imports, base=base)
    assert codes(text, WORKSPACE) == expected
    # without resolution the same code is only a hint: unknown is not missing
    assert [c for _, c, sev in codes(text, WORKSPACE, resolve=False) if sev != "hint"] == []


def test_base_bound_by_assignment_is_resolved_by_jedi(workspace: Path) -> None:
    (workspace / "pkg" / "aliases.py").write_text("from pkg import bases\n\nBase = bases.StopallTestCase\n")
    text = PATCHER.format(imports="from pkg import aliases", base="aliases.Base")
    assert codes(text, workspace) == []


def test_relative_import_in_a_package(workspace: Path) -> None:
    (workspace / "pkg" / "tests").mkdir()
    (workspace / "pkg" / "tests" / "__init__.py").write_text("")
    text = PATCHER.format(imports="from .. import bases", base="bases.PlainTestCase")
    resolution = JediResolver(workspace).resolve(text, str(workspace / "pkg" / "tests" / "test_mod.py"))
    assert resolution.bases["bases.PlainTestCase"] is not None
    assert resolution.bases["bases.PlainTestCase"].name == "pkg.bases.PlainTestCase"


def test_missing_super_call_to_a_project_base() -> None:
    text = "from pkg import bases\n\n\nclass T(bases.PlainTestCase):\n    def setUp(self):\n        self.x = 1\n"
    assert codes(text, WORKSPACE) == [(5, "SEC306", "warning")]


@pytest.mark.parametrize(("target", "exists"), [
    ("pkg.clock.now", True), ("pkg.clock.Clock.tick", True), ("pkg.clock.Clock.tick_rate", True),
    ("pkg.clock.nwo", False), ("pkg.clock.open", True), ("pkg.clock.__file__", None),
    ("pkg.clock", True), ("pkg.bases", True), ("notinstalled.thing", None), ("pkg.clock.Clock.missing", False),
])
def test_patch_targets(target: str, exists: bool | None) -> None:
    assert JediResolver(WORKSPACE).target_verdict(target).exists is exists


def test_attributes_set_at_run_time_are_unknown(workspace: Path) -> None:
    (workspace / "pkg" / "registry.py").write_text("from pkg import clock\n\nsetattr(clock, 'later', 1)\n")
    (workspace / "pkg" / "dynamic.py").write_text("def __getattr__(name):\n    return name\n")
    resolver = JediResolver(workspace)
    assert resolver.target_verdict("pkg.clock.later").exists is None
    assert resolver.target_verdict("pkg.dynamic.anything").exists is None


def test_an_edited_base_is_read_again(workspace: Path) -> None:
    resolver = JediResolver(workspace)
    text = PATCHER.format(imports="from pkg import bases", base="bases.PlainTestCase")
    first = resolver.resolve(text, str(workspace / "test_mod.py"))
    assert first.bases["bases.PlainTestCase"].registers_stopall is False
    bases = workspace / "pkg" / "bases.py"
    bases.write_text(bases.read_text().replace("        self.db = {}\n",
                                               "        self.db = {}\n        self.addCleanup(mock.patch.stopall)\n"))
    second = resolver.resolve(text, str(workspace / "test_mod.py"))
    assert second.bases["bases.PlainTestCase"].registers_stopall is True


def test_broken_files_and_bad_paths_are_unknown(workspace: Path) -> None:
    (workspace / "pkg" / "broken.py").write_text("class (:\n")
    text = PATCHER.format(imports="from pkg import broken", base="broken.Base")
    resolution = JediResolver(workspace).resolve(text, str(workspace / "test_mod.py"))
    assert resolution.bases == {"broken.Base": None}
    assert JediResolver(workspace / "does-not-exist").resolve("class A(x.B): pass\n", None).bases == {"x.B": None}
