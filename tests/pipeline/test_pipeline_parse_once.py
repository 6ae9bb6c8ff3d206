"""A checked file is parsed and indexed once: the resolver's questions and the analysis share both."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import secls.analysis.context as context
import secls.analysis.engine as engine
from secls.analysis import analyze
from secls.check import check_file
from secls.config import Config
from secls.discovery import SourceFile
from secls.output.report import Report
from secls.analysis.scope import index_tree
from secls.resolve.jedi_resolver import JediResolver
from secls.resolve.questions import collect_questions, parse_or_none

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"

MODULE = '''from unittest import mock
from pkg import bases


class TestThing(bases.StopallTestCase):
    def setUp(self):
        super().setUp()
        mock.patch("pkg.clock.now").start()
        mock.patch("pkg.clock.nwo").start()
'''


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(WORKSPACE, tmp_path / "ws")
    return tmp_path / "ws"


def test_questions_from_a_given_tree_are_the_questions_from_the_text() -> None:
    tree = parse_or_none(MODULE)
    assert tree is not None
    assert collect_questions(MODULE, tree) == collect_questions(MODULE)
    assert collect_questions(MODULE, tree, index_tree(tree)) == collect_questions(MODULE)


def test_parse_or_none_is_none_for_what_does_not_parse() -> None:
    assert parse_or_none("def f(:\n") is None
    assert parse_or_none("\ufeffx = 1\n") is None  # a BOM in a str: the analysis handles it


@pytest.mark.parametrize("text", [MODULE, "def f(:\n", "\ufeffimport os\nos.system('x')\n", ""])
def test_analysis_of_a_given_tree_is_the_analysis_of_the_text(text: str) -> None:
    tree = parse_or_none(text)
    index = index_tree(tree) if tree is not None else None
    if tree is not None:
        collect_questions(text, tree, index)  # walks the tree and the index before the analysis does
    assert analyze(text, "tests/test_mod.py", tree=tree, index=index) == analyze(text, "tests/test_mod.py")


def test_check_file_parses_a_resolved_file_once(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = workspace / "test_once.py"
    path.write_text(MODULE, encoding="utf-8")
    resolver = JediResolver(workspace)
    resolver.resolve("", str(workspace / "warm.py"))  # nothing to ask: only makes the resolver
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source: str, *args: object, **kwargs: object) -> ast.AST:
        if source == MODULE:
            parsed.append(source)
        return real_parse(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.ast, "parse", counting_parse)
    indexed: list[object] = []

    def counting_index(tree: ast.Module) -> object:
        indexed.append(tree)
        return index_tree(tree)

    monkeypatch.setattr(context, "index_tree", counting_index)
    monkeypatch.setattr("secls.analysis.scope.index_tree", counting_index)
    monkeypatch.setattr("secls.resolve.questions.index_tree", counting_index)
    report = Report()
    check_file(SourceFile(str(path), str(path)), Config(), workspace, report, resolver=resolver)
    assert len(parsed) == 1
    assert len(indexed) == 1
    monkeypatch.undo()
    expected = analyze(MODULE, "test_once.py", resolver=JediResolver(workspace).resolve(MODULE, str(path)))
    assert [f.finding for f in report.findings] == expected.findings
    assert any(f.code == "SEC803" for f in expected.findings)  # the missing target was answered


BASE_MODULE = '''import unittest
from unittest import mock


class StopsPatchers(unittest.TestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(mock.patch.stopall)
'''

SUBCLASS_MODULE = '''import unittest
from unittest import mock

import test_base_module


class TestThing(test_base_module.StopsPatchers):
    def setUp(self):
        super().setUp()
        mock.patch("pkg.clock.now").start()


class TestPlain(unittest.TestCase):
    def setUp(self):
        super().setUp()
        mock.patch("pkg.clock.now").start()
'''


def test_a_checked_module_named_later_as_a_base_is_not_parsed_again(workspace: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    base, subclass = workspace / "test_base_module.py", workspace / "test_subclass.py"
    base.write_text(BASE_MODULE, encoding="utf-8")
    subclass.write_text(SUBCLASS_MODULE, encoding="utf-8")
    resolver = JediResolver(workspace)
    parsed: list[str] = []
    real_parse = ast.parse

    def counting_parse(source: str, *args: object, **kwargs: object) -> ast.AST:
        parsed.append(source)
        return real_parse(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.ast, "parse", counting_parse)
    report = Report()
    for path in (base, subclass):
        check_file(SourceFile(str(path), str(path)), Config(), workspace, report, resolver=resolver)
    assert parsed.count(BASE_MODULE) == 1
    monkeypatch.undo()
    fresh = JediResolver(workspace).resolve(SUBCLASS_MODULE, str(subclass))
    expected = analyze(SUBCLASS_MODULE, "test_subclass.py", resolver=fresh).findings
    assert [f.finding for f in report.findings if f.path == str(subclass)] == expected
    assert fresh.bases["test_base_module.StopsPatchers"] is not None  # the base was read
    assert [f.line for f in expected if f.code == "SEC301"] == [16]  # the base stops TestThing's patchers


def test_an_offered_tree_serves_only_its_own_text(tmp_path: Path) -> None:
    from secls.resolve.summaries import OFFERED_BUDGET, FileCache

    path = tmp_path / "mod.py"
    path.write_text("x = 1\n", encoding="utf-8")
    files = FileCache()
    offered = ast.parse("x = 1\n")
    files.offer(str(path), "x = 1\n", offered)
    files.offer(str(tmp_path / "other.py"), "y = 2\n", ast.parse("y = 2\n"))
    parsed = files.get(str(path))
    assert parsed is not None and parsed.tree is offered
    changed = tmp_path / "changed.py"
    changed.write_text("x = 2\n", encoding="utf-8")
    files.offer(str(changed), "x = 1\n", offered)  # the file no longer holds the offered text
    again = files.get(str(changed))
    assert again is not None and again.tree is not offered and ast.dump(again.tree) == ast.dump(ast.parse("x = 2\n"))
    big = "#" * (OFFERED_BUDGET // 2 - 10) + "\n"
    trees = {}
    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(big, encoding="utf-8")
        trees[name] = ast.parse(big)
        files.offer(str(tmp_path / name), big, trees[name])
    assert files.get(str(tmp_path / "a.py")).tree is not trees["a.py"]  # type: ignore[union-attr]
    assert files.get(str(tmp_path / "b.py")).tree is trees["b.py"]  # type: ignore[union-attr]
