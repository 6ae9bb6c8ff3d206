"""The resolver's answers kept between `secls check` runs, each with the files it was read from."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from secls import __version__
from secls.analysis.frameworks import BaseFacts
from secls.analysis.resolution import TargetVerdict
from secls.resolve.summaries import stamp_of

FORMAT = 2  # 1: JSON


def _code_fingerprint() -> str:
    """A digest of the code that computes the answers: a changed resolver never trusts old answers."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent.parent
    for folder in ("resolve", "analysis"):
        for source in sorted((package / folder).glob("*.py")):
            digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


FINGERPRINT = _code_fingerprint()


def cache_file(root: Path) -> Path:
    """Where a workspace's answers live: $XDG_CACHE_HOME/secls (or ~/.cache/secls), one file per root."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "secls"
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return base / f"resolve-{digest}.pickle"


Deps = list[tuple[str, "tuple[float, int] | None"]]
Bases = dict[str, tuple["BaseFacts | None", Deps]]
Targets = dict[str, tuple[TargetVerdict, Deps]]


def still_valid(deps: Deps) -> bool:
    """Whether every file an answer was read from is unchanged (same mtime and size)."""
    return all(stamp_of(path) == (tuple(stamp) if stamp else None) for path, stamp in deps)


def load(path: Path) -> tuple[Bases, Targets]:
    """Read the answers (an unreadable, old, foreign or tampered cache is simply empty)."""
    from secls.result_cache import safe_load

    raw = safe_load(path)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or raw.get("version") != FINGERPRINT:
        return {}, {}
    bases, targets = raw.get("bases"), raw.get("targets")
    if not isinstance(bases, dict) or not isinstance(targets, dict):
        return {}, {}
    return bases, targets


def save(path: Path, bases: Bases, targets: Targets) -> None:
    """Write the answers atomically (pickled: a tenth of the time JSON took); a cache that cannot be written is
    skipped silently."""
    data = {"format": FORMAT, "version": FINGERPRINT, "bases": bases, "targets": targets}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError):
        pass
