"""`methods()` answers from a cache on the class node, and nobody can change the shared answer."""

from __future__ import annotations

import ast

import pytest

from secls.analysis.scope import methods

SOURCE = """
class A:
    x = 1
    def setUp(self): pass
    async def test_a(self): pass
    def setUp(self): return 2
    class Inner:
        def hidden(self): pass
"""


def _class() -> ast.ClassDef:
    node = ast.parse(SOURCE).body[0]
    assert isinstance(node, ast.ClassDef)
    return node


def test_methods_by_name_last_definition_wins() -> None:
    cls = _class()
    found = methods(cls)
    assert list(found) == ["setUp", "test_a"]
    assert found["setUp"] is cls.body[3]
    assert found["test_a"] is cls.body[2]


def test_methods_is_cached_on_the_class() -> None:
    cls = _class()
    assert methods(cls) is methods(cls)
    assert methods(_class()) is not methods(cls)  # another node, another answer


def test_methods_cannot_be_changed_by_a_caller() -> None:
    cls = _class()
    found = methods(cls)
    with pytest.raises(TypeError):
        found["extra"] = cls.body[2]  # type: ignore[index]
    with pytest.raises(TypeError):
        del found["setUp"]  # type: ignore[attr-defined]
    assert list(methods(cls)) == ["setUp", "test_a"]
    copy = dict(found)
    copy.pop("setUp")
    assert "setUp" in methods(cls)
