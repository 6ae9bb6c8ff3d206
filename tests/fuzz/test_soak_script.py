"""bench/soak.py works: its typist returns the buffer to the file's text, and a short soak runs end to end."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "soak.py"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "resource_release" / "sec301_patch_not_stopped.py"


def soak_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("soak", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def apply(text: str, change: dict) -> str:
    """Apply an LSP incremental change (ASCII text, so UTF-16 columns are code points)."""
    lines = text.split("\n")

    def offset(position: dict) -> int:
        return sum(len(line) + 1 for line in lines[:position["line"]]) + position["character"]

    start, end = offset(change["range"]["start"]), offset(change["range"]["end"])
    return text[:start] + change["text"] + text[end:]


def test_typist_changes_match_its_text_and_return_to_the_file() -> None:
    soak = soak_module()
    text = FIXTURE.read_text(encoding="utf-8")
    typist = soak.Typist(text, random.Random(3))
    mirror, back_to_start = text, 0
    for _ in range(600):
        mirror = apply(mirror, typist.next_change())
        assert mirror == typist.text
        back_to_start += not typist.pending and mirror == text
    assert back_to_start >= 3  # whole statements typed and deleted again


def test_short_soak_through_the_server() -> None:
    result = soak_module().soak(FIXTURE, FIXTURE.parent, edits=40, rate=0, window=10)
    assert result["first"]["edits"] == result["last"]["edits"] == 10
    assert result["all"]["edits"] == 40 and result["requests"] == 0
    assert result["first"]["rss_end_mb"] > 10
