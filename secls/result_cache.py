"""`secls check` results kept between runs: per file, keyed by its content, configuration and secls's code.

A result also records the files its cross-file answers were read from, with their (mtime, size):
when one of them changed, the result is not used. Loading it imports no rule, jedi or libcst.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secls import __version__

FORMAT = 1
VARIANTS_PER_FILE = 4  # results kept per file for different configurations or spellings of its path
Deps = list[tuple[str, "tuple[float, int] | None"]]


def cache_dir() -> Path:
    """`$SECLS_CACHE_DIR`, else the platform's user cache folder for secls (`$XDG_CACHE_HOME/secls` on Linux)."""
    configured = os.environ.get("SECLS_CACHE_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("secls", appauthor=False))


def code_fingerprint() -> str:
    """A digest of secls's version and every module of the package: changed code never trusts old results."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def content_hash(data: bytes) -> str:
    """The key of a file's content."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def variant_key(*parts: Any) -> str:
    """A digest of everything besides the content that changes a file's result (configuration, paths, mode)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


class SafeUnpickler(pickle.Unpickler):
    """Rebuilds only secls's own types (and plain data): a tampered cache file cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "secls" or module.startswith("secls."):
            return super().find_class(module, name)
        if (module, name) in (("copyreg", "_reconstructor"), ("builtins", "object"), ("builtins", "set"),
                              ("builtins", "frozenset")):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a secls cache")


def safe_load(path: Path) -> Any:
    """What a cache file holds, rebuilt by SafeUnpickler; None when it is missing, damaged or tampered with."""
    try:
        with open(path, "rb") as handle:
            return SafeUnpickler(handle).load()
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, KeyError, AttributeError,
            ImportError, IndexError):
        return None


def _stamp(path: str, memo: dict[str, Any]) -> Any:
    if path not in memo:
        try:
            info = os.stat(path)
            memo[path] = (info.st_mtime, info.st_size)
        except OSError:
            memo[path] = None
    return memo[path]


@dataclass
class Entry:
    """One file's kept result: its content hash, the files its answers came from, the pickled result."""

    content: str
    deps: Deps
    result: bytes


@dataclass
class ResultCache:
    """The results of one workspace, read once at the start of a run and written once at its end."""

    path: Path
    fingerprint: str
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    _stamps: dict[str, Any] = field(default_factory=dict)
    _dirty: bool = False

    @staticmethod
    def file_for(scope: str, folder: Path | None = None) -> Path:
        """Where the cache of a scope (a workspace root and interpreter) is kept."""
        digest = hashlib.blake2b(scope.encode(), digest_size=8).hexdigest()
        return (folder or cache_dir()) / f"check-{digest}.pickle"

    @classmethod
    def open(cls, scope: str, folder: Path | None = None) -> "ResultCache":
        """The cache of a scope; an unreadable or old file is empty."""
        cache = cls(cls.file_for(scope, folder), code_fingerprint())
        raw = safe_load(cache.path)
        if isinstance(raw, dict) and raw.get("format") == FORMAT and raw.get("code") == cache.fingerprint:
            cache.entries = raw.get("entries", {})
        return cache

    def has(self, real: str, variant: str) -> bool:
        """Whether a result is kept for this file and variant (of some content: `get` compares it)."""
        return variant in self.entries.get(real, {})

    def get(self, real: str, variant: str, content: str) -> Any | None:
        """The kept result of a file with this content and variant, if every file its answers read is unchanged."""
        entry = self.entries.get(real, {}).get(variant)
        if entry is None or entry.content != content or not all(
                _stamp(path, self._stamps) == (tuple(stamp) if stamp else None) for path, stamp in entry.deps):
            self.misses += 1
            return None
        try:
            result = SafeUnpickler(io.BytesIO(entry.result)).load()
        except Exception:  # a damaged entry is a miss, never a failed run
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, real: str, variant: str, content: str, deps: Deps, result: Any,
            pickled: bytes | None = None) -> None:
        """Keep a file's result, or the `pickled` result when the caller has it (the newest variants of a file
        are kept, the oldest dropped)."""
        variants = self.entries.setdefault(real, {})
        variants.pop(variant, None)
        pickled = pickled or pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        variants[variant] = Entry(content, list(deps), pickled)
        while len(variants) > VARIANTS_PER_FILE:
            variants.pop(next(iter(variants)))
        self._dirty = True

    def save(self) -> None:
        """Write the results atomically when something changed; a cache that cannot be written is skipped."""
        if not self._dirty:
            return
        # Files deleted since: their results can never be used again.
        self.entries = {real: variants for real, variants in self.entries.items() if os.path.exists(real)}
        data = {"format": FORMAT, "code": self.fingerprint, "entries": self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
            with open(temporary, "wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError:
            pass
