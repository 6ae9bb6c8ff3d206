"""nova's tests through `secls check`: one job or two, cold or warm, the output is the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_jobs_and_cache_do_not_change_the_output(nova_root: Path, tmp_path: Path) -> None:
    files = sorted(p.relative_to(nova_root).as_posix() for p in (nova_root / "nova" / "tests").rglob("*.py"))
    sample = files[::10]  # 85 files from every corner of the tree
    env = {**os.environ, "SECLS_CACHE_DIR": str(tmp_path / "cache"), "XDG_CACHE_HOME": str(tmp_path / "xdg")}

    def check(*options: str) -> str:
        done = subprocess.run([sys.executable, "-m", "secls", "check", "--format", "json", "--exit-zero", *options,
                               *sample], cwd=nova_root, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
        return done.stdout

    reference = check("--jobs", "1", "--no-cache")
    assert '"findings": [\n    {' in reference
    assert check("--jobs", "2") == reference  # cold: workers, filling the caches
    assert list((tmp_path / "cache").glob("check-*.pickle"))
    assert check("--jobs", "2") == reference  # warm
    assert check("--jobs", "1") == reference  # warm, in process
