"""The name filters give the answers the full scans give: `called_names`, and `state_changes` with them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from secls.analysis.context import ModuleContext
from secls.analysis.global_state import state_changes
from secls.config import Config

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").rglob("*.py"))


def _context(text: str) -> ModuleContext:
    return ModuleContext(text, ast.parse(text), None, Config())


def test_called_names_are_the_own_names_of_every_call() -> None:
    ctx = _context("from tempfile import mkdtemp as md\nimport os\nmd()\nos.path.join(a)(b)\nf = lambda: g()\n")
    assert ctx.called_names == {"mkdtemp", "join", "g"}
    assert ctx.called_names is ctx.called_names


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_state_changes_with_the_module_names_match_without(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    try:
        ctx = _context(text)
    except SyntaxError:
        pytest.skip("does not parse")
    for node in ast.walk(ctx.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            full = list(state_changes(node, ctx.imports))
            filtered = list(state_changes(node, ctx.imports, ctx.called_names))
            assert [(c.key, c.node, c.description, c.restores) for c in filtered] == \
                [(c.key, c.node, c.description, c.restores) for c in full]
