"""Where the shared advisory database is: `shared/` beside the repository (also in CI's clean clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_DB = REPO.parent / "shared" / "advisory-db" / "PyPI-all.zip"


def shared_db_path() -> str:
    """The path of PyPI-all.zip; skips the test when it is really absent."""
    if not SHARED_DB.is_file():
        pytest.skip(f"the shared advisory database is absent: {SHARED_DB} "
                    "(a copy of shared/ beside the repository provides it)")
    return str(SHARED_DB)
