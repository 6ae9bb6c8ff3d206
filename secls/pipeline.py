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
import pickle
import stat
import sys
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
from secls.workers import TaskFailure, WorkerCode, WorkerPool

DEFAULT_TIMEOUT = 120.0
ContentKey = tuple[str, tuple[float, int]]  # a file's content hash, and the (mtime, size) it had before reading
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
    hash_content: bool = False  # the worker hashes it for the result cache (no result kept to compare with)


class _Recorder:
    """Hands `check_file` the resolver's answers and keeps the files they depended on."""

    def __init__(self, resolver: Any) -> None:
        self.resolver = resolver
        self.deps: Deps = []

    def kept_tree(self, path: str, text: str) -> Any:
        kept = getattr(self.resolver, "kept_tree", None)
        return kept(path, text) if kept is not None else None

    def offer_tree(self, path: str, text: str, tree: Any) -> None:
        offer = getattr(self.resolver, "offer_tree", None)
        if offer is not None:
            offer(path, text, tree)

    def resolve(self, text: str, path: str, questions: Any = None) -> Any:
        if not hasattr(self.resolver, "resolve_with_deps"):  # a resolver that cannot say where it looked
            return self.resolver.resolve(text, path, questions)
        resolution, self.deps = self.resolver.resolve_with_deps(text, path, questions)
        return resolution


@dataclass
class _WorkerState:
    spec: ResolveSpec | None
    resolver: Any = None
    kept_trees: list[object] = dataclasses.field(default_factory=list)  # never freed (see KEPT_TREES_MEMORY)
    keep_below: int = 0  # trees are kept while the process's peak memory (bytes) is below this (0: never)


# Young objects collected every 50,000 allocations instead of 700: parsing allocates a tree's nodes by
# the hundred thousand, and each collection that promotes them makes the next full collection walk
# the whole heap again (the resolver's kept modules included). Measured on nova's tests, --jobs 1, in
# one process: 27.5 CPU seconds with the default thresholds, 15 with these; the peak RSS is the same.
# Freezing after each file (`_analyse`) took 14.4 to 12.8 more.
GC_THRESHOLD = (50_000, 20, 100)

# A worker keeps the trees it analysed instead of freeing them node by node: it ends with os._exit, which
# hands all its memory back at once (as compilers skip freeing their trees). Freeing them took 0.38 of 9
# CPU seconds on nova's tests. Trees are kept while a worker's peak memory is below its share of this.
KEPT_TREES_MEMORY = 1 << 30


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


def _start(spec: ResolveSpec | None, jobs: int) -> _WorkerState:
    """A worker's state, ready for its first file: the rules loaded, the resolver made."""
    import secls.analysis.engine  # noqa: F401
    import secls.rules  # noqa: F401

    state = _WorkerState(spec, keep_below=KEPT_TREES_MEMORY // jobs if peak_memory() is not None else 0)
    _make_resolver(state)
    _collect_less()  # the worker process is ours: for its whole life
    return state


def _make_resolver(state: _WorkerState) -> None:
    """The state's resolver, with the answers kept by the last run, when it resolves and has none yet."""
    if state.spec is not None and state.resolver is None:
        from secls.resolve.jedi_resolver import JediResolver
        from secls.resolve.run_share import RunShare

        share = RunShare(state.spec.share) if state.spec.share else None
        state.resolver = JediResolver(state.spec.root, state.spec.python, share=share)
        if state.spec.keep_answers:
            state.resolver.load_cache()


def _analyse(state: _WorkerState, task: FileTask) -> tuple[Report, Deps, ContentKey | None]:
    """Check one Python file: its report fragment, the files its cross-file answers came from, and (when the
    task asks) its content key for the result cache."""
    _make_resolver(state)
    key = _read_key(task.source.display) if task.hash_content else None
    recorder = _Recorder(state.resolver) if state.resolver is not None else None
    fragment = Report()
    # The file's own tree is freed by reference counting: an analysis makes no reference cycles
    # (tests/pipeline/test_pipeline_gc.py), so the cyclic collector is paused while it runs (its young
    # collections walked each new tree's nodes: 0.27 of 8.2 CPU s on nova's tests in one process).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if state.keep_below and (peak_memory() or 0) >= state.keep_below:
            state.keep_below = 0  # past its share: from now on trees are freed as usual (the kept ones stay)
        check_file(task.source, task.config, task.root, fragment, resolver=recorder,  # type: ignore[arg-type]
                   keep=state.kept_trees if state.keep_below else None)
    finally:
        # What outlives the file (the resolver's modules and answers) is never walked by the GC again.
        gc.freeze()
        if collecting:
            gc.enable()
    return fragment, recorder.deps if recorder is not None else [], key


def _analyse_in_worker(state: _WorkerState, task: FileTask) -> tuple[bytes, Deps, ContentKey | None]:
    """`_analyse` in a worker process: the fragment is sent pickled, as the result cache keeps it."""
    fragment, deps, key = _analyse(state, task)
    return pickle.dumps(fragment, protocol=pickle.HIGHEST_PROTOCOL), deps, key


def peak_memory() -> int | None:
    """The most memory (resident, bytes) this process has held; None where the platform cannot tell."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, kilobytes elsewhere


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


def _read_key(path: str) -> ContentKey | None:
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
    scope = str(spec.root if spec else Path.cwd())
    # With no result kept, every file is analysed: the workers start now, and load the rules and the
    # resolver while the files are listed. Otherwise they start once the files not in the cache are known.
    early = options.jobs > 1 and resolver is None and not (
        options.cache and ResultCache.file_for(scope, options.cache_dir).exists())
    with _worker_pool(spec, options.jobs, _files_at_most(paths)) if early else contextlib.nullcontext() as pool:
        cache = ResultCache.open(scope, options.cache_dir) if options.cache else None
        slots, tasks = _plan(paths, settings or {}, config_file)
        progress = Progress(len(tasks)) if options.progress and wanted(len(tasks)) else None
        misses, keys = _look_up(tasks, slots, cache, spec, progress)

        def done(index: int, outcome: tuple[Report | bytes, Deps, ContentKey | None] | TaskFailure) -> None:
            slot, task = misses[index]
            if isinstance(outcome, TaskFailure):
                slots[slot] = _failure_report(task.source, outcome, options.timeout)
            else:
                fragment, deps, read = outcome
                pickled = None
                if isinstance(fragment, bytes):  # from a worker, pickled as the result cache keeps it
                    pickled, fragment = fragment, pickle.loads(fragment)  # noqa: S301 - our own worker's
                slots[slot] = fragment
                key = keys.get(slot)
                if isinstance(key, str):  # the variant of a file its worker hashed
                    key = (key, *read) if read is not None else None
                # A file edited while it was analysed is not kept: its hash may not be what was analysed.
                if cache is not None and key is not None and _unchanged(task.source.display, key[2]) and \
                        not any(e.kind == "internal" for e in fragment.errors):
                    cache.put(task.source.real, key[0], key[1], deps, fragment, pickled)
            if progress:
                progress.advance()

        try:
            answers = _run_misses(misses, spec, options, done, resolver, pool)
        finally:
            if progress:
                progress.close()
        # Written while the workers exit (the pool waits for them at the end of the block).
        if spec is not None and spec.keep_answers and answers:
            _keep_answers(spec.root, answers)
        if cache is not None:
            cache.save()
    report = Report()
    for fragment in slots:
        if fragment is not None:
            merge_into(report, fragment)
    return report


def _look_up(tasks: list[tuple[int, FileTask]], slots: list[Report | None], cache: ResultCache | None,
             spec: ResolveSpec | None, progress: Progress | None
             ) -> tuple[list[tuple[int, FileTask]], dict[int, tuple[str, str, tuple[float, int]] | str]]:
    """Fill the slots of the files whose results are kept; returns the other tasks, and for each slot the key
    to keep its result under: (variant, content hash, stamp), or the variant alone when its worker hashes it."""
    misses: list[tuple[int, FileTask]] = []
    keys: dict[int, tuple[str, str, tuple[float, int]] | str] = {}
    configs: dict[int, str] = {}
    for slot, task in tasks:
        if cache is not None:
            variant = _variant(task, spec, configs)
            if not cache.has(task.source.real, variant):  # a miss whatever the content: hashed as it is read
                keys[slot] = variant
                task = dataclasses.replace(task, hash_content=True)
            elif (key := _read_key(task.source.display)) is not None:
                keys[slot] = (variant, *key)
                kept = cache.get(task.source.real, variant, key[0])
                if isinstance(kept, Report):
                    slots[slot] = kept
                    if progress:
                        progress.advance()
                    continue
        misses.append((slot, task))
    return misses, keys


def _files_at_most(paths: Sequence[str]) -> int | None:
    """How many Python files the paths can hold at most when none is a folder (None: any number)."""
    return None if any(os.path.isdir(path) for path in paths) else len(paths)


@contextlib.contextmanager
def _worker_pool(spec: ResolveSpec | None, jobs: int, start: int | None = None
                 ) -> Iterator[WorkerPool[FileTask, Any]]:
    """Worker processes for the files of a run: `start` of them (all by default) started now, the rest as
    their files are given to them."""
    with contextlib.ExitStack() as stack:
        if spec is not None:
            # The workers read the same modules of the project: each summary is made once, by the first to
            # need it, and left in this folder for the others.
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="secls-run-"))
            spec = dataclasses.replace(spec, share=folder)
        code = WorkerCode(functools.partial(_start, spec, jobs), _analyse_in_worker, _finish)
        yield stack.enter_context(WorkerPool(code, jobs, start))


def _run_misses(misses: list[tuple[int, FileTask]], spec: ResolveSpec | None, options: RunOptions,
                done: Any, resolver: Any = None, pool: WorkerPool[FileTask, Any] | None = None) -> list[Any]:
    """Analyse the files not found in the cache: in the pool, else here with one job, else in a new pool."""
    tasks = [task for _, task in misses]
    short = [_size(task.source.display) <= SHORT_FILE_BYTES for task in tasks]
    if pool is not None:
        return pool.run(tasks, options.timeout, done, short.__getitem__)
    if not misses:
        return []
    jobs = max(1, min(options.jobs, len(misses)))
    if jobs == 1 or resolver is not None:
        state = _WorkerState(spec, resolver)
        with _collecting_less():
            for index, (_, task) in enumerate(misses):
                done(index, _analyse(state, task))
        return [_finish(state)]
    with _worker_pool(spec, jobs) as late:
        return late.run(tasks, options.timeout, done, short.__getitem__)


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
