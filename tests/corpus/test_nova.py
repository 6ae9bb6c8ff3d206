"""nova 34.0.0: the seed review's verdict on test_vpmem.py, and a crash-free pass over all its tests."""

from __future__ import annotations

import collections
import json
import subprocess
import sys
from pathlib import Path

from secls.analysis import Severity, analyze

VPMEM = "nova/tests/functional/libvirt/test_vpmem.py"


def test_vpmem_has_no_warnings_or_errors(nova_root: Path) -> None:
    text = (nova_root / VPMEM).read_text(encoding="utf-8")
    result = analyze(text, VPMEM)
    assert result.syntax_error is None and not result.errors
    loud = [f for f in result.findings if f.severity <= Severity.WARNING]
    assert loud == [], [f"{f.line}: {f.code} {f.message}" for f in loud]


def test_all_nova_tests_analyse_without_internal_errors(nova_root: Path) -> None:
    files = sorted((nova_root / "nova" / "tests").rglob("*.py"))
    assert len(files) == 844
    counts: collections.Counter[str] = collections.Counter()
    for path in files:
        relative = path.relative_to(nova_root).as_posix()
        result = analyze(path.read_text(encoding="utf-8"), relative)
        assert result.syntax_error is None, relative
        assert not result.errors, (relative, result.errors)
        counts.update(f.code for f in result.findings)
    # nova's own tests contain the `addCleanup(<mock>.stop)` mistake (TEST-SEMANTICS.md).
    assert counts["SEC308"] >= 1


def test_known_defects_are_found(nova_root: Path) -> None:
    relative = "nova/tests/unit/test_conf.py"
    result = analyze((nova_root / relative).read_text(encoding="utf-8"), relative)
    assert {(f.line, f.code) for f in result.findings if f.code == "SEC308"} == {(91, "SEC308"), (94, "SEC308")}


def test_cli_over_nova_tests(nova_root: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "secls", "check", "nova/tests", "--format", "json"],
                          cwd=nova_root, capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert not [e for e in report["errors"] if "internal" in e.get("message", "")]
    assert report["findings"], "nova's tests have known defects"
    assert all(f["path"].startswith("nova/tests/") for f in report["findings"])
