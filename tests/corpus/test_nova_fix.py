"""`secls check --fix/--diff` on copies of nova 34.0.0's tests: files parse, fixes stick, the diff is the fix."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

from secls.analysis import analyze
from secls.cli import main
from secls.fixes import build_fix

# The nova test files that have fixes when analysed alone (`--no-resolve`): SEC101, SEC304, SEC308,
# SEC707 and SEC805, safe and unsafe. A full run over all 844 files is in the README's figures.
NOVA_FILES = (
    "nova/tests/functional/api/client.py",
    "nova/tests/functional/libvirt/test_server_shares.py",
    "nova/tests/unit/api/openstack/compute/test_availability_zone.py",
    "nova/tests/unit/api/openstack/compute/test_server_actions.py",
    "nova/tests/unit/test_conf.py",
    "nova/tests/unit/test_exception.py",
    "nova/tests/unit/virt/disk/mount/test_nbd.py",
    "nova/tests/unit/virt/libvirt/test_driver.py",
)


def _copy(nova_root: Path, folder: Path) -> None:
    for relative in NOVA_FILES:
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(nova_root / relative, folder / relative)


def _fixable(folder: Path) -> dict[str, int]:
    """For each copied file, how many of its findings have a fix that can be built."""
    counts = {}
    for relative in NOVA_FILES:
        text = (folder / relative).read_text(encoding="utf-8")
        findings = analyze(text, relative).findings
        counts[relative] = sum(1 for f in findings if f.fix is not None and build_fix(text, f) is not None)
    return counts


def secls(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `secls ARGS...` in-process: (exit status, stdout, stderr)."""
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_fix_and_diff_on_nova_tests(nova_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    work, pristine = tmp_path / "work", tmp_path / "pristine"
    _copy(nova_root, work)
    _copy(nova_root, pristine)
    before = _fixable(work)
    assert all(before.values()), before
    monkeypatch.chdir(work)

    code, diff, _ = secls(capsys, "check", "--no-resolve", "--unsafe-fixes", "--diff", "nova")
    assert code == 1
    assert all((work / r).read_bytes() == (nova_root / r).read_bytes() for r in NOVA_FILES)  # nothing written

    _, _, err = secls(capsys, "check", "--no-resolve", "--unsafe-fixes", "--fix", "--format", "json", "nova")
    applied = int(err.split("Applied ")[1].split()[0])
    assert applied > 0  # fewer than `before`: one SEC308 fix also resolves its SEC301
    assert f"in {len(NOVA_FILES)} files." in err
    for relative in NOVA_FILES:
        text = (work / relative).read_text(encoding="utf-8")
        ast.parse(text)  # every file still parses
        assert text != (nova_root / relative).read_text(encoding="utf-8")
    assert sum(_fixable(work).values()) == 0  # the fixed findings are gone, none left to apply

    _, _, err = secls(capsys, "check", "--no-resolve", "--unsafe-fixes", "--fix", "--format", "json", "nova")
    assert "Applied 0 fixes in 0 files." in err
    snapshot = {r: (work / r).read_bytes() for r in NOVA_FILES}

    if shutil.which("patch") is None:
        pytest.skip("no `patch` to apply the diff with")
    done = subprocess.run(["patch", "-p1", "--quiet", "--batch"], input=diff, text=True, cwd=pristine,
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert {r: (pristine / r).read_bytes() for r in NOVA_FILES} == snapshot  # the diff is what --fix wrote
