"""Real Python files to fuzz and to check fixes on, read straight from the cached wheels and sdists (nothing unpacked)."""

from __future__ import annotations

import sysconfig
import tarfile
import zipfile
from pathlib import Path

from secls.discovery import DecodeError, decode_source

NOVA = "nova==34.0.0"
NEUTRON = "neutron==29.0.0"
CINDER = "cinder==29.0.0"

Source = tuple[str, str]
"""(path inside its distribution, text)."""


def _decoded(name: str, data: bytes) -> Source | None:
    try:
        return name, decode_source(data)
    except DecodeError:
        return None  # a deliberately undecodable file (the stdlib's tests have some): not Python text


def wheel_sources(wheel: Path, prefix: str) -> list[Source]:
    """Every .py member of a wheel under `prefix` (e.g. `nova/tests/`), sorted by path."""
    with zipfile.ZipFile(wheel) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith(prefix) and n.endswith(".py"))
        found = [_decoded(n, archive.read(n)) for n in names]
    return [s for s in found if s is not None]


def sdist_sources(sdist: Path, folder: str) -> list[Source]:
    """Every .py member of an sdist under `folder` (e.g. `examples/`), with paths relative to the sdist's root."""
    top = sdist.name.removesuffix(".tar.gz") + "/"
    found: list[Source | None] = []
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix(top)
            if member.isfile() and name.startswith(folder) and name.endswith(".py"):
                handle = archive.extractfile(member)
                if handle is not None:
                    found.append(_decoded(name, handle.read()))
    return sorted(s for s in found if s is not None)


def stdlib_test_dir() -> Path | None:
    """The running interpreter's `test` package (CPython's Lib/test), when this installation ships it."""
    folder = Path(sysconfig.get_path("stdlib")) / "test"
    return folder if (folder / "__init__.py").is_file() else None


def folder_sources(folder: Path, label: str) -> list[Source]:
    """Every decodable .py file under a folder, with paths `label/relative`, sorted."""
    found = [_decoded(f"{label}/{p.relative_to(folder).as_posix()}", p.read_bytes())
             for p in sorted(folder.rglob("*.py")) if p.is_file()]
    return [s for s in found if s is not None]


def fixture_sources() -> list[Source]:
    """secls's own rule fixtures (dense with findings and fixes), at the paths their headers give."""
    from tests.fixes.test_fix_invariants import FIXTURES, fixture_path

    return [(fixture_path(p, text), text) for p in FIXTURES for text in [p.read_text(encoding="utf-8")]]


def fuzz_groups() -> dict[str, list[Source]]:
    """The fuzz corpus: nova's, neutron's and cinder's tests, bandit's examples and the rule fixtures.

    The distributions are downloaded into the corpus cache once (tests/corpus/conftest.py); outside CI a
    failed download skips the calling test.
    """
    from tests.corpus.conftest import BANDIT, fetch_sdist, fetch_wheel

    groups = {name.split("==")[0]: wheel_sources(fetch_wheel(name), f"{name.split('==')[0]}/tests/")
              for name in (NOVA, NEUTRON, CINDER)}
    groups["bandit"] = sdist_sources(fetch_sdist(BANDIT), "examples/")
    groups["fixtures"] = fixture_sources()
    return groups
