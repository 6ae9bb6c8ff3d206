"""A resolver with a budget keeps the trees of the files it used last, and answers as one without."""

from __future__ import annotations

from pathlib import Path

from secls.resolve.jedi_resolver import JediResolver
from secls.resolve.summaries import FileCache
from secls.server import resolution

WORKSPACE = Path(__file__).resolve().parents[1] / "workspace"

MODULE = '''from unittest import mock
from pkg import bases
from pkg.reexport import ProjectTestCase


class TestThing(bases.StopallTestCase):
    def setUp(self):
        super().setUp()
        mock.patch("pkg.clock.now").start()
        mock.patch("pkg.clock.nwo").start()
        mock.patch("pkg.bases.StopallTestCase.setUp").start()


class TestOther(ProjectTestCase):
    pass
'''


def _files(tmp_path: Path, sizes: dict[str, int]) -> dict[str, str]:
    paths = {}
    for name, size in sizes.items():
        path = tmp_path / f"{name}.py"
        path.write_text("x = 1\n" + "#" * (size - 7) + "\n", encoding="utf-8")
        paths[name] = str(path)
    return paths


def test_the_least_recently_used_trees_go_beyond_the_budget(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a": 100, "b": 100, "c": 100})
    files = FileCache(budget=250)
    a, b = files.get(paths["a"]), files.get(paths["b"])
    assert files.get(paths["a"]) is a  # used again: now the most recent
    files.get(paths["c"])  # 300 characters: b, the least recently used, goes
    assert files.get(paths["a"]) is a
    again = files.get(paths["b"])
    assert again is not None and again is not b and again.text == b.text  # parsed again


def test_a_file_larger_than_the_budget_is_kept_until_the_next(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"big": 500, "small": 10})
    files = FileCache(budget=100)
    big = files.get(paths["big"])
    assert files.get(paths["big"]) is big
    files.get(paths["small"])
    assert files.get(paths["big"]) is not big


def test_without_a_budget_every_tree_is_kept(tmp_path: Path) -> None:
    paths = _files(tmp_path, {"a": 5000, "b": 5000})
    files = FileCache()
    a = files.get(paths["a"])
    files.get(paths["b"])
    assert files.get(paths["a"]) is a


def test_answers_with_no_room_for_trees_are_the_answers_with_all() -> None:
    path = str(WORKSPACE / "test_mod.py")
    kept = JediResolver(WORKSPACE).resolve_with_deps(MODULE, path)
    tight = JediResolver(WORKSPACE, file_budget=0)
    assert tight.resolve_with_deps(MODULE, path) == kept
    assert tight.resolve_with_deps(MODULE.replace("nwo", "nwo2"), path)[0].targets["pkg.clock.nwo2"].exists is False
    assert kept[0].targets["pkg.clock.nwo"].exists is False and kept[0].bases


def test_the_server_worker_resolves_within_its_budget() -> None:
    resolution._RESOLVERS.clear()
    try:
        resolution.resolve_in_worker(MODULE, str(WORKSPACE / "test_mod.py"), str(WORKSPACE), None)
        (resolver,) = resolution._RESOLVERS.values()
        assert resolver.files._budget == resolution.FILE_BUDGET
    finally:
        resolution._RESOLVERS.clear()
