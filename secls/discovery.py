"""Finding the Python files to check under the paths given on the command line, and reading them."""

from __future__ import annotations

import errno
import io
import os
import stat
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from secls.deps.kinds import discovered_in_folders
from secls.sniff import binary_description, signature_of


@dataclass(frozen=True)
class SourceFile:
    """A file to check: its path for display (as the user spelled it) and its real path."""

    display: str
    real: str


@dataclass(frozen=True)
class DiscoveryError:
    """A path that could not be listed or does not exist."""

    path: str
    message: str
    missing: bool = False


class DecodeError(Exception):
    """A file whose bytes cannot be turned into text; the message says why."""


def discover(root: str, is_excluded: Callable[[PurePath], bool]) -> Iterator[SourceFile | DiscoveryError]:
    """Yield the file `root` names, or the `*.py` and requirement files under the folder it names, sorted."""
    if not os.path.lexists(root):
        yield DiscoveryError(root, "no such file or directory", missing=True)
        return
    if not os.path.isdir(root):
        # A file named explicitly is checked whatever its name or the exclude globs say (as ruff does).
        if not os.path.exists(root):
            yield DiscoveryError(root, "broken symbolic link", missing=True)
        else:
            yield SourceFile(root, os.path.realpath(root))
        return
    visited: set[str] = set()
    yield from _walk(root, PurePath(), is_excluded, visited)


def _walk(folder: str, relative: PurePath, is_excluded: Callable[[PurePath], bool],
          visited: set[str]) -> Iterator[SourceFile | DiscoveryError]:
    real = os.path.realpath(folder)
    if real in visited:  # a symlink loop, or a second way into a folder already checked
        return
    visited.add(real)
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        yield DiscoveryError(folder, f"cannot list folder: {exc.strerror or exc}")
        return
    for entry in entries:
        rel = relative / entry.name
        # Excludes match the path below the folder given, so a checkout living under a folder
        # called `build/` is not excluded wholesale.
        if is_excluded(rel):
            continue
        path = os.path.join(folder, entry.name)
        try:
            is_dir = entry.is_dir()  # follows symlinks
            is_file = not is_dir and entry.is_file()
        except OSError as exc:
            if exc.errno != errno.ELOOP:  # a link looping to itself is skipped like a dangling one
                yield DiscoveryError(path, f"cannot stat: {exc.strerror or exc}")
            continue
        if is_dir:
            yield from _walk(path, rel, is_excluded, visited)
        elif is_file and (entry.name.endswith(".py") or discovered_in_folders(entry.name)):
            # In a folder whose real path is known, only a link needs resolving (a realpath costs a
            # stat per path component: most of the listing's time on a large tree).
            yield SourceFile(path, os.path.realpath(path) if entry.is_symlink() else os.path.join(real, entry.name))


def read_source(path: str) -> str:
    """Read a Python file as text, honouring a BOM or a PEP 263 coding cookie; raises DecodeError or OSError."""
    if not stat.S_ISREG(os.stat(path).st_mode):  # reading a FIFO or a device could block, or never end
        raise DecodeError("not a regular file (a folder, device, FIFO or socket): not checked")
    with open(path, "rb") as handle:
        data = handle.read()
    return decode_source(data)


def decode_source(data: bytes) -> str:
    """Decode a Python file's bytes the way the interpreter does (BOM, PEP 263 cookie, else UTF-8)."""
    signature = signature_of(data)  # some (ELF) decode as text, with NUL bytes
    if signature is not None:
        raise DecodeError(f"not a Python source file: {signature}")
    try:
        return _decode(data)
    except DecodeError:
        binary = binary_description(data)
        if binary is not None:
            raise DecodeError(f"not a Python source file: {binary}") from None
        raise


def _decode(data: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # An unknown codec in the cookie, a cookie contradicting a BOM, or (without a cookie)
        # bytes in the first two lines that are not UTF-8: report the latter like any bad byte.
        if "invalid or missing encoding declaration" not in str(exc):
            raise DecodeError(f"cannot decode: {exc}") from None
        encoding = "utf-8"
    try:
        # Line endings are kept as they are: findings count lines the way the editor does.
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"cannot decode as {encoding}: invalid byte {data[exc.start:exc.start + 1]!r} "
                          f"at offset {exc.start} (declare the encoding with a PEP 263 coding comment)") from None
    except LookupError as exc:
        raise DecodeError(f"cannot decode: {exc}") from None
