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


@pytest.mark.parametrize("base", [
    "aliases.Base",                    # Base = bases.StopallTestCase
    "aliases.Local",                   # Local = _Stopall, a class of the module itself
    "aliases.b.StopallTestCase",       # import pkg.bases as b
])
def test_aliases_are_followed_through_files(workspace: Path, base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (workspace / "pkg" / "aliases.py").write_text(
        "from pkg import bases\nimport pkg.bases as b\n\nBase = bases.StopallTestCase\n\n\n"
        "class _Stopall(bases.StopallTestCase):\n    pass\n\n\nLocal = _Stopall\n")
    monkeypatch.setattr(JediResolver, "_goto", _no_jedi)
    text = PATCHER.format(imports="from pkg import aliases", base=base)
    assert codes(text, workspace) == []


def _no_jedi(*args: object, **kwargs: object) -> list[object]:
    raise AssertionError("jedi was asked")


@pytest.mark.parametrize("source", [
    "from not_installed_pkg.mod import Base\n",   # a package that is not installed
    "import not_installed_pkg\n\nBase = not_installed_pkg.Base\n",
    "from _io import StringIO as Base\n",        # a compiled module: jedi would only have a stub
])
def test_a_base_leading_out_of_the_source_files_is_unknown_without_jedi(
        workspace: Path, source: str, monkeypatch: pytest.MonkeyPatch) -> None:
    (workspace / "pkg" / "aliases.py").write_text(source)
    monkeypatch.setattr(JediResolver, "_goto", _no_jedi)
    resolution = JediResolver(workspace).resolve("from pkg import aliases\n\n\nclass T(aliases.Base):\n    pass\n",
                                                 str(workspace / "test_mod.py"))
    assert resolution.bases == {"aliases.Base": None}


def test_a_base_bound_twice_is_left_to_jedi(workspace: Path) -> None:
    (workspace / "pkg" / "aliases.py").write_text(
        "from pkg import bases\n\nBase = bases.PlainTestCase\nBase = bases.StopallTestCase\n")
    text = PATCHER.format(imports="from pkg import aliases", base="aliases.Base")
    assert codes(text, workspace) == []  # jedi follows the last assignment


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


def test_a_base_module_read_already_lends_its_tree_while_its_text_holds(workspace: Path) -> None:
    resolver = JediResolver(workspace)
    bases = workspace / "pkg" / "bases.py"
    text = bases.read_text()
    assert resolver.kept_tree(str(bases), text) is None  # never read: nothing to lend (and nothing is read now)
    resolver.resolve(PATCHER.format(imports="from pkg import bases", base="bases.PlainTestCase"),
                     str(workspace / "test_mod.py"))
    tree = resolver.kept_tree(str(bases), text)
    assert isinstance(tree, ast.Module) and tree is resolver.files.get(str(bases)).tree
    assert resolver.kept_tree(str(bases), text + "\n") is None  # another text (an unsaved buffer, say)
    bases.write_text(text + "\nX = 1\n")
    assert resolver.kept_tree(str(bases), text) is None  # changed on disk since


def test_checking_a_module_read_as_a_base_parses_it_once(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from secls import check
    from secls.resolve import questions

    (workspace / "test_mod.py").write_text(PATCHER.format(imports="from pkg import bases", base="bases.PlainTestCase"))
    parsed: list[int] = []
    real_parse = questions.parse_or_none
    monkeypatch.setattr(questions, "parse_or_none", lambda text: parsed.append(len(text)) or real_parse(text))
    monkeypatch.chdir(workspace)
    resolver = JediResolver(workspace)
    report = check.check_paths(["test_mod.py", "pkg/bases.py"], resolver=resolver)
    assert parsed == [len((workspace / "test_mod.py").read_text())]  # bases.py: the resolver's tree
    alone = check.check_paths(["pkg/bases.py"], resolver=JediResolver(workspace))
    assert [f.finding for f in report.findings if f.path == "pkg/bases.py"] == [f.finding for f in alone.findings]
