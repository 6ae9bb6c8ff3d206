"""Fix invariants on real corpora, a deterministic sample in CI; `python bench/fix_corpus.py` checks every file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.fuzz.corpora import folder_sources, stdlib_test_dir, wheel_sources
from tests.corpus.conftest import NOVA, fetch_wheel

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "fix_corpus.py"
EVERY = 12  # one file in twelve of those up to MOST_CHARS long: a sample within the CI budget
MOST_CHARS = 30_000


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fix_corpus", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fixes_on_nova_sample_keep_invariants() -> None:
    files, total, failures = bench().check_corpus(wheel_sources(fetch_wheel(NOVA), "nova/tests/"), EVERY,
                                                MOST_CHARS)
    assert files > 40
    assert total.fixes_checked > 0
    assert failures == []


def test_fixes_on_stdlib_tests_sample_keep_invariants() -> None:
    folder = stdlib_test_dir()
    if folder is None:
        pytest.skip(f"this Python ({sys.executable}) ships no `test` package (Lib/test)")
    files, total, failures = bench().check_corpus(folder_sources(folder, "Lib/test"), EVERY, MOST_CHARS)
    assert files > 30
    assert total.fixes_checked > 0
    assert failures == []
