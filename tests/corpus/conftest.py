"""Real corpora, fetched from PyPI at test time into a cache folder (never committed)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

CACHE = Path(os.environ.get("SECLS_CORPUS_DIR", Path(__file__).resolve().parents[2] / ".corpus"))
NOVA = "nova==34.0.0"
BANDIT = "bandit==1.9.4"


def _download(requirement: str, pattern: str, *options: str) -> Path:
    """Download one distribution (no dependencies) into the cache, once; fail in CI, skip elsewhere."""
    found = sorted(CACHE.glob(pattern))
    if found:
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *options, "-d", str(CACHE),
               requirement]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    found = sorted(CACHE.glob(pattern))
    if done.returncode or not found:
        message = f"cannot download {requirement}: {done.stderr.strip()[-400:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found[0]


def fetch_wheel(requirement: str) -> Path:
    """Download one wheel (no dependencies) into the cache, once."""
    name, version = requirement.split("==")
    return _download(requirement, f"{name}-{version}-*.whl", "--only-binary", ":all:")


def fetch_sdist(requirement: str) -> Path:
    """Download one source distribution (no dependencies, no wheels) into the cache, once."""
    name, version = requirement.split("==")
    return _download(requirement, f"{name}-{version}.tar.gz", "--no-binary", ":all:")
    CACHE.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
               "-d", str(CACHE), requirement]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    found = sorted(CACHE.glob(f"{name}-{version}.tar.gz"))
    if done.returncode or not found:
        message = f"cannot download {requirement}: {done.stderr.strip()[-400:]}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found[0]


def unpack_sdist(sdist: Path, folder: str) -> Path:
    """Unpack one folder of an sdist (`examples/`) into the cache; returns the sdist's root folder."""
    top = sdist.name.removesuffix(".tar.gz")
    root = CACHE / top
    marker = root / f".complete-{folder.strip('/')}"
    if not marker.exists():
        with tarfile.open(sdist) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith(f"{top}/{folder}")]
            archive.extractall(CACHE, members=members, filter="data")
        marker.touch()
    return root


def unpack(wheel: Path, prefix: str) -> Path:
    """Unpack the members under `prefix` of a wheel into the cache; returns the unpack root."""
    root = CACHE / wheel.stem
    marker = root / ".complete"
    if not marker.exists():
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(root, [m for m in archive.namelist() if m.startswith(prefix)])
        marker.touch()
    return root


@pytest.fixture(scope="session")
def nova_root() -> Path:
    """nova 34.0.0's wheel, unpacked (its `nova/tests` tree: 844 files)."""
    return unpack(fetch_wheel(NOVA), "nova/")


@pytest.fixture(scope="session")
def bandit_examples() -> Path:
    """bandit 1.9.4's `examples/` folder, from its sdist (the bandit-parity corpus)."""
    return unpack_sdist(fetch_sdist(BANDIT), "examples/") / "examples"
