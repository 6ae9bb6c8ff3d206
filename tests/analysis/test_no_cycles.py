"""An analysis leaves no reference cycles: its tree is freed by reference counting when it ends.

A cycle through the tree (a cache on a node that points back to the context) would leave every
node of the module for the cyclic garbage collector, whose full passes were the server's latency
spikes.
"""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import pytest

from secls.analysis.context import ModuleContext
from secls.analysis.engine import analyze
from secls.config import Config
from secls.rules import ALL_RULES

FIXTURES = sorted((Path(__file__).resolve().parents[1] / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_analysis_leaves_no_garbage_cycles(fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds stays in gc.garbage, to be looked at
    try:
        analyze(text, fixture.name, Config(), rules=ALL_RULES)
        gc.collect()
        # (The stdlib's recursive closures, ast.dump's and literal_eval's, are small cycles of their own.)
        left = sorted({type(o).__name__ for o in gc.garbage if isinstance(o, (ast.AST, ModuleContext))})
        assert not left, f"the analysis left reference cycles through {left}"
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
