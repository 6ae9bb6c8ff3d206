"""Real corpora for the benchmarks: the corpus tests' download-and-unpack logic (tests/corpus/conftest.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NOVA = "nova==34.0.0"


def _corpus_helpers() -> Any:
    spec = importlib.util.spec_from_file_location("secls_corpus", REPO / "tests" / "corpus" / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fetch(requirement: str) -> Path:
    """A wheel from PyPI (once), unpacked into the corpus cache .corpus/; returns the unpack root."""
    helpers = _corpus_helpers()
    package = requirement.split("==")[0]
    try:
        return helpers.unpack(helpers.fetch_wheel(requirement), f"{package}/")
    except BaseException as exc:  # pytest.skip/fail are BaseExceptions
        raise SystemExit(f"bench: cannot fetch {requirement}: {exc}") from None


def nova_root() -> Path:
    """nova 34.0.0's wheel, unpacked: the folder that holds `nova/` (its tests: 844 files)."""
    return fetch(NOVA)
