"""`secls check` over many files: kept results first, the rest in worker processes, the report in path order.

Requirement files are checked in this process while the paths are listed (their `-r` includes decide
which files are seen); Python files are looked up in the result cache by content, and the others are
analysed in `jobs` worker processes (or here, with one job). The report is assembled in the order the
files were found, so the output does not depend on the number of jobs or on the cache.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secls.check import _check_with_includes, check_file, load_config
from secls.deps.kinds import requirement_kind
from secls.discovery import DiscoveryError, SourceFile, discover
from secls.exclude import exclusion_matcher
from secls.output.report import FileError, Report
from secls.progress import Progress, wanted
from secls.result_cache import Deps, ResultCache, content_hash, variant_key
from secls.workers import TaskFailure, WorkerCode, run_tasks

DEFAULT_TIMEOUT = 120.0
# A file this small may wait in a busy worker's queue: it then starts as soon as the running one ends
# (each round trip through us cost ~0.7 ms, 4% of nova's cold check), and a worker that runs out of work
# while it waits there is kept idle for a short time only.
SHORT_FILE_BYTES = 50_000


@dataclass(frozen=True)
class ResolveSpec:
    """How to resolve across files: the workspace root, its interpreter, and whether answers are kept."""

    root: Path
    python: str | None
    keep_answers: bool = True
    share: str | None = None  # the run's folder where workers leave each other summaries (secls.resolve.run_share)


@dataclass(frozen=True)
class RunOptions:
    """How to run: worker processes, the result cache, progress, the per-file time limit, resolution."""

    jobs: int = 1
    cache: bool = True
    progress: bool = True
    timeout: float = DEFAULT_TIMEOUT
    resolve: ResolveSpec | None = None
    cache_dir: Path | None = None


@dataclass(frozen=True)
class FileTask:
    """One Python file to analyse, with its configuration and project root."""

    source: SourceFile
    config: Any
    root: Path | None


class _Recorder:
    """Hands `check_file` the resolver's answers and keeps the files they depended on."""

    def __init__(self, resolver: Any) -> None:
        self.resolver = resolver
        self.deps: Deps = []

    def kept_tree(self, path: str, text: str) -> Any:
        kept = getattr(self.resolver, "kept_tree", None)
        return kept(path, text) if kept is not None else None

    def resolve(self, text: str, path: str, questions: Any = None) -> Any:
        if not hasattr(self.resolver, "resolve_with_deps"):  # a resolver that cannot say where it looked
            return self.resolver.resolve(text, path, questions)
        resolution, self.deps = self.resolver.resolve_with_deps(text, path, questions)
        return resolution


@dataclass
class _WorkerState:
    spec: ResolveSpec | None
    resolver: Any = None


# Young objects collected every 50,000 allocations instead of 700: parsing allocates a tree's nodes by
# the hundred thousand, and each collection that promotes them makes the next full collection walk
# the whole heap again (the resolver's kept modules included). Measured on nova's tests, --jobs 1, in
# one process: 27.5 CPU seconds with the default thresholds, 15 with these; the peak RSS is the same.
# Freezing after each file (`_analyse`) took 14.4 to 12.8 more.
GC_THRESHOLD = (50_000, 20, 100)


def _collect_less() -> tuple[int, int, int]:
    """Freeze what exists now (never collected: the loaded code) and raise the thresholds; returns the old."""
    old = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    return old


@contextlib.contextmanager
def _collecting_less() -> Iterator[None]:
    """`_collect_less` for a run in this process, undone after it (objects our caller had frozen stay frozen:
    `gc` cannot unfreeze only ours, so ours stay too)."""
    frozen_before = gc.get_freeze_count()
    old = _collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*old)
        if not frozen_before:
            gc.unfreeze()


def _start(spec: ResolveSpec | None) -> _WorkerState:
    """A worker's state; the resolver (and its kept answers) is made on first use."""
    _collect_less()  # the worker process is ours: for its whole life
    return _WorkerState(spec)


def _analyse(state: _WorkerState, task: FileTask) -> tuple[Report, Deps]:
    """Check one Python file: its report fragment and the files its cross-file answers came from."""
    if state.spec is not None and state.resolver is None:
        from secls.resolve.jedi_resolver import JediResolver
        from secls.resolve.run_share import RunShare

        share = RunShare(state.spec.share) if state.spec.share else None
        state.resolver = JediResolver(state.spec.root, state.spec.python, share=share)
        if state.spec.keep_answers:
            state.resolver.load_cache()
    recorder = _Recorder(state.resolver) if state.resolver is not None else None
    fragment = Report()
    # The file's own tree is freed by reference counting: an analysis makes no reference cycles
    # (tests/pipeline/test_pipeline_gc.py), so the cyclic collector is paused while it runs (its young
    # collections walked each new tree's nodes: 0.27 of 8.2 CPU s on nova's tests in one process).
    collecting = gc.isenabled()
    gc.disable()
    try:
        check_file(task.source, task.config, task.root, fragment, resolver=recorder)  # type: ignore[arg-type]
    finally:
        # What outlives the file (the resolver's modules and answers) is never walked by the GC again.
        gc.freeze()
        if collecting:
            gc.enable()
    return fragment, recorder.deps if recorder is not None else []


def _finish(state: _WorkerState) -> Any:
    """The resolver answers a worker found, to be kept for the next run."""
    return state.resolver.answers() if state.resolver is not None else None


def merge_into(report: Report, fragment: Report) -> None:
    """Add a fragment's findings, errors and counts to a report (every list and number field)."""
    for item in dataclasses.fields(fragment):
        value = getattr(fragment, item.name)
        if isinstance(value, list):
            getattr(report, item.name).extend(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            setattr(report, item.name, getattr(report, item.name) + value)
        elif isinstance(value, (set, dict)):
            getattr(report, item.name).update(value)


def _failure_report(source: SourceFile, failure: TaskFailure, timeout: float) -> Report:
    if failure.kind == "timeout":
        error = FileError(source.display, f"not checked: the analysis took longer than {timeout:g} s "
                                          "(--file-timeout)", kind="file")
    else:
        error = FileError(source.display, f"internal error: {failure.message}", kind="internal")
    return Report(errors=[error])


def _plan(paths: Sequence[str], settings: dict[str, Any], config_file: str | None
          ) -> tuple[list[Report | None], list[tuple[int, FileTask]]]:
    """List the files in order: requirement files are checked now, Python files become tasks (slots)."""
    slots: list[Report | None] = []
    tasks: list[tuple[int, FileTask]] = []
    seen: set[str] = set()
    for path in paths:
        config, root = load_config(path, config_file, settings)
        for item in discover(path, exclusion_matcher(config.exclude)):
            if isinstance(item, DiscoveryError):
                slots.append(Report(errors=[FileError(item.path, item.message,
                                                      kind="missing" if item.missing else "file")]))
            elif item.real in seen:  # the same file reached twice (overlapping paths, symlinks)
                continue
            elif requirement_kind(item.display) is not None:
                fragment = Report()
                _check_with_includes(item, config, root, fragment, seen)
                slots.append(fragment)
            else:
                seen.add(item.real)
                tasks.append((len(slots), FileTask(item, config, root)))
                slots.append(None)
    return slots, tasks


def _variant(task: FileTask, spec: ResolveSpec | None, configs: dict[int, str]) -> str:
    """What besides the content decides a file's result; the path rules see follows from display, root and cwd."""
    config = configs.get(id(task.config))
    if config is None:
        config = configs[id(task.config)] = repr(task.config)
    resolve = (str(spec.root), spec.python) if spec is not None else None
    return variant_key(config, task.source.display, str(task.root), os.getcwd(), resolve)


def _read_key(path: str) -> tuple[str, tuple[float, int]] | None:
    """A file's content hash and the (mtime, size) it had before reading, or None when unreadable."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device: reading could block (the check says why)
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return content_hash(data), (info.st_mtime, info.st_size)


def _unchanged(path: str, stamp: tuple[float, int]) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    return (info.st_mtime, info.st_size) == stamp


def run_check(paths: Sequence[str], settings: dict[str, Any] | None = None, config_file: str | None = None,
              options: RunOptions | None = None, resolver: Any = None) -> Report:
    """Check every file named or found under `paths`; raises ConfigError for a bad configuration.

    `resolver` (a JediResolver made by the caller) serves a run of one job instead of `options.resolve`.
    """
    options = options or RunOptions()
    spec = options.resolve
    slots, tasks = _plan(paths, settings or {}, config_file)
    cache = ResultCache.open(str(spec.root if spec else Path.cwd()), options.cache_dir) if options.cache else None
    progress = Progress(len(tasks)) if options.progress and wanted(len(tasks)) else None
    keys: dict[int, tuple[str, str, tuple[float, int]]] = {}  # slot -> (variant, content hash, stamp)
    misses: list[tuple[int, FileTask]] = []
    configs: dict[int, str] = {}
    for slot, task in tasks:
        key = _read_key(task.source.display) if cache is not None else None
        if cache is not None and key is not None:
            variant = _variant(task, spec, configs)
            keys[slot] = (variant, *key)
            kept = cache.get(task.source.real, variant, key[0])
            if isinstance(kept, Report):
                slots[slot] = kept
                if progress:
                    progress.advance()
                continue
        misses.append((slot, task))

    def done(index: int, outcome: tuple[Report, Deps] | TaskFailure) -> None:
        slot, task = misses[index]
        if isinstance(outcome, TaskFailure):
            slots[slot] = _failure_report(task.source, outcome, options.timeout)
        else:
            fragment, deps = outcome
            slots[slot] = fragment
            key = keys.get(slot)
            # A file edited while it was analysed is not kept: its hash may not be what was analysed.
            if cache is not None and key is not None and _unchanged(task.source.display, key[2]) and \
                    not any(e.kind == "internal" for e in fragment.errors):
                cache.put(task.source.real, key[0], key[1], deps, fragment)
        if progress:
            progress.advance()

    try:
        answers = _run_misses(misses, spec, options, done, resolver)
    finally:
        if progress:
            progress.close()
    if spec is not None and spec.keep_answers and answers:
        _keep_answers(spec.root, answers)
    if cache is not None:
        cache.save()
    report = Report()
    for fragment in slots:
        if fragment is not None:
            merge_into(report, fragment)
    return report


def _run_misses(misses: list[tuple[int, FileTask]], spec: ResolveSpec | None, options: RunOptions,
                done: Any, resolver: Any = None) -> list[Any]:
    """Analyse the files not found in the cache: here with one job, else in worker processes."""
    if not misses:
        return []
    jobs = max(1, min(options.jobs, len(misses)))
    if jobs == 1 or resolver is not None:
        state = _WorkerState(spec, resolver)
        with _collecting_less():
            for index, (_, task) in enumerate(misses):
                done(index, _analyse(state, task))
        return [_finish(state)]
    # Workers are forked where possible: load the rules and the engine once, here, for all of them.
    import secls.analysis.engine  # noqa: F401
    import secls.rules  # noqa: F401

    tasks = [task for _, task in misses]
    short = [_size(task.source.display) <= SHORT_FILE_BYTES for task in tasks]
    if spec is None:
        return run_tasks(tasks, WorkerCode(functools.partial(_start, spec), _analyse, _finish),
                         jobs, options.timeout, done, short.__getitem__)
    # The workers read the same modules of the project: each summary is made once, by the first to need it.
    with tempfile.TemporaryDirectory(prefix="secls-run-") as folder:
        code = WorkerCode(functools.partial(_start, dataclasses.replace(spec, share=folder)), _analyse, _finish)
        return run_tasks(tasks, code, jobs, options.timeout, done, short.__getitem__)


def _size(path: str) -> int:
    """A file's size in bytes (0 when it cannot be read: its check ends at once)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _keep_answers(root: Path, answers: list[Any]) -> None:
    """Write the union of the workers' resolver answers for the next run."""
    from secls.resolve import disk_cache

    bases: dict[str, Any] = {}
    targets: dict[str, Any] = {}
    for found in answers:
        if found is not None:
            bases.update(found[0])
            targets.update(found[1])
    if bases or targets:
        disk_cache.save(disk_cache.cache_file(root.resolve()), bases, targets)
