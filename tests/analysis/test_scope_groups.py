"""The index walk's per-scope groups answer `nodes_of` exactly as a walk of the scope's own nodes would."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from secls.analysis.scope import _GROUPED, index_tree, iter_own_nodes, nodes_of

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").rglob("*.py"))


def test_the_fixtures_have_nested_scopes() -> None:
    assert sum(len(index_tree(ast.parse(p.read_text(encoding="utf-8"))).owners) > 1 for p in FIXTURES) > 40


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_grouped_nodes_match_a_walk_of_each_scope(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    index = index_tree(tree)
    scopes = [scope for scope, _ in index.owners.values()]
    for scope in scopes:
        own = list(iter_own_nodes(scope))
        for node_type in _GROUPED:
            assert nodes_of(scope, node_type) == [n for n in own if type(n) is node_type], (scope, node_type)
        both = (ast.Call, ast.Assign)
        assert nodes_of(scope, *both) == [n for t in both for n in own if type(n) is t]
        # a type the walk does not group is grouped on demand, from the same own nodes
        assert nodes_of(scope, ast.Name) == [n for n in own if type(n) is ast.Name]
