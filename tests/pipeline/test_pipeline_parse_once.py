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
