"""The resolver's answers kept between `secls check` runs, each with the files it was read from."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from secls import __version__
from secls.analysis.frameworks import BaseFacts
from secls.analysis.resolution import TargetVerdict
from secls.resolve.summaries import stamp_of

FORMAT = 1


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
    return base / f"resolve-{digest}.json"


Deps = list[tuple[str, "tuple[float, int] | None"]]


def still_valid(deps: Deps) -> bool:
    """Whether every file an answer was read from is unchanged (same mtime and size)."""
    return all(stamp_of(path) == (tuple(stamp) if stamp else None) for path, stamp in deps)


def _fields(value: Any) -> dict[str, Any]:
    """A dataclass's fields by name, shallowly (`dataclasses.asdict` deep-copies each: 10x slower)."""
    return {item.name: getattr(value, item.name) for item in dataclasses.fields(value)}


def _facts_to_json(facts: BaseFacts | None) -> Any:
    if facts is None:
        return None
    data = _fields(facts)
    data["needs_super"] = sorted(facts.needs_super)
    data["unresolved"] = list(facts.unresolved)
    return data


def _facts_from_json(data: Any) -> BaseFacts | None:
    if data is None:
        return None
    data = dict(data)
    data["needs_super"] = frozenset(data["needs_super"])
    data["unresolved"] = tuple(data["unresolved"])
    return BaseFacts(**data)


def load(path: Path) -> tuple[dict[str, tuple[BaseFacts | None, Deps]], dict[str, tuple[TargetVerdict, Deps]]]:
    """Read the answers (an unreadable, old or foreign cache is simply empty)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("format") != FORMAT or raw.get("version") != FINGERPRINT:
            return {}, {}
        bases = {k: (_facts_from_json(v["facts"]), [tuple(d) for d in v["deps"]]) for k, v in raw["bases"].items()}
        targets = {k: (TargetVerdict(**v["verdict"]), [tuple(d) for d in v["deps"]])
                   for k, v in raw["targets"].items()}
        return bases, targets  # type: ignore[return-value]
    except (OSError, ValueError, KeyError, TypeError):
        return {}, {}


def save(path: Path, bases: dict[str, tuple[BaseFacts | None, Deps]],
         targets: dict[str, tuple[TargetVerdict, Deps]]) -> None:
    """Write the answers atomically; a cache that cannot be written is skipped silently."""
    data = {
        "format": FORMAT, "version": FINGERPRINT,
        "bases": {k: {"facts": _facts_to_json(f), "deps": d} for k, (f, d) in bases.items()},
        "targets": {k: {"verdict": _fields(v), "deps": d} for k, (v, d) in targets.items()},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
