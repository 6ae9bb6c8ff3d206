"""`secls check --fix` / `--diff`: fix the Python files under the paths, then write them or print a diff."""

from __future__ import annotations

import difflib
import io
import os
import tempfile
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from secls.analysis import analyze
from secls.analysis.findings import AnalysisResult
from secls.check import analysis_path, load_config
from secls.deps.kinds import requirement_kind
from secls.discovery import DecodeError, DiscoveryError, SourceFile, decode_source, discover
from secls.fixes.batch import fix_all, parses

if TYPE_CHECKING:
    from secls.config import Config
    from secls.resolve.jedi_resolver import JediResolver


@dataclass
class FileFix:
    """One file's fixes: its old and new text, the encoding to write it in, counts, or why it was left alone."""

    path: str
    old: str = ""
    new: str = ""
    encoding: str = "utf-8"
    applied: int = 0
    remaining: int = 0
    unsafe_remaining: int = 0
    problem: str | None = None

    @property
    def changed(self) -> bool:
        """Whether the fixes changed the text."""
        return self.problem is None and self.new != self.old


@dataclass
class FixRun:
    """Every file's fixes in one run."""

    files: list[FileFix] = field(default_factory=list)
    write: bool = True
    missing: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[FileFix]:
        """Files whose fixes could not be made or written."""
        return [f for f in self.files if f.problem is not None]

    def summary(self) -> str:
        """One line: fixes applied (or that would be) in how many files, and how many fixable findings remain."""
        changed = [f for f in self.files if f.changed]
        applied = sum(f.applied for f in changed)
        verb = "Applied" if self.write else "Would apply"
        text = f"{verb} {_count(applied, 'fix', 'fixes')} in {_count(len(changed), 'file')}."
        remaining = sum(f.remaining for f in self.files)
        unsafe = sum(f.unsafe_remaining for f in self.files)
        if remaining:
            text += f" {_count(remaining, 'fixable finding')} left."
        if unsafe:
            text += f" {unsafe} more with --unsafe-fixes (they change behaviour)."
        return text

    def diff(self) -> str:
        """A unified diff of every changed file (a/ and b/ prefixes, as git and `patch -p1` read them)."""
        return "".join(unified_diff(f.path, f.old, f.new) for f in self.files if f.changed)

    def report_problems(self, stream: TextIO) -> None:
        """One line per file left alone, on `stream`."""
        for fix in self.problems:
            print(f"secls: {fix.path}: fixes not applied: {fix.problem}", file=stream)
        if not self.write:  # with --diff nothing else reports them
            for message in self.missing:
                print(f"secls: {message}", file=stream)


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def unified_diff(path: str, old: str, new: str) -> str:
    """The diff of one file, with git's marker for a last line that has no line break."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"a/{path}", f"b/{path}")
    out = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def fix_paths(paths: Sequence[str], settings: dict[str, Any], config_file: str | None,
              resolver: JediResolver | None, unsafe: bool, write: bool) -> FixRun:
    """Fix every Python file named or found under `paths` (requirement files are left alone); write when asked."""
    run = FixRun(write=write)
    seen: set[str] = set()
    for path in paths:
        config, root = load_config(path, config_file, settings)
        for item in discover(path, config.is_excluded):
            if isinstance(item, DiscoveryError) and item.missing:
                run.missing.append(f"{item.path}: {item.message}")
            if not isinstance(item, SourceFile) or item.real in seen or requirement_kind(item.display):
                continue  # check_paths reports these errors again and checks requirement files
            seen.add(item.real)
            fix = fix_file(item, config, root, resolver, unsafe)
            if write and fix.changed:
                fix.problem = write_atomically(item.real, fix.new, fix.encoding)
            run.files.append(fix)
    return run


def fix_file(source: SourceFile, config: Config, root: Path | None, resolver: JediResolver | None,
             unsafe: bool) -> FileFix:
    """Read one file with its encoding and fix it in rounds (nothing is written here)."""
    fix = FileFix(source.display)
    try:
        with open(source.display, "rb") as handle:
            data = handle.read()
        fix.old = decode_source(data)
        fix.encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except (OSError, DecodeError, SyntaxError):
        return fix  # check_paths reports unreadable and undecodable files
    path = analysis_path(source.display, root)
    absolute = os.path.abspath(source.display)

    def analyse(text: str) -> AnalysisResult:
        resolution = resolver.resolve(text, absolute) if resolver is not None else None
        return analyze(text, path, config, resolver=resolution)

    outcome = fix_all(fix.old, analyse, config, unsafe)
    fix.new, fix.applied = outcome.text, outcome.applied
    fix.remaining, fix.unsafe_remaining = outcome.remaining(unsafe)
    if fix.new != fix.old and not parses(fix.new):
        fix.problem = "the fixed text would not parse; the file is unchanged"
        fix.new, fix.applied = fix.old, 0
    return fix


def write_atomically(path: str, text: str, encoding: str) -> str | None:
    """Write text in the file's encoding (a BOM stays) through a temporary file renamed over it; None or why not."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        return f"the fixed text cannot be written as {encoding}: {exc.reason}"
    temporary: str | None = None
    try:
        mode = os.stat(path).st_mode & 0o7777
        with tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path) or ".", prefix=".secls-", suffix=".tmp",
                                         delete=False) as handle:
            temporary = handle.name
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        return f"cannot write: {exc.strerror or exc}"
    return None
