"""Resolve a module's questions into a `Resolution`: read files first, ask jedi when that is not enough.

A qualified name such as `nova.test.NoDBTestCase` usually denotes a file on the search path and a
class in it; reading that file answers the question in microseconds. Everything the files alone do
not settle (re-exports through `*`, names bound by assignment, stubs, odd layouts) goes to jedi's
static inference. Nothing is imported or executed.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from secls.analysis.frameworks import BaseFacts, known_base
from secls.analysis.resolution import Resolution, TargetVerdict
from secls.resolve import disk_cache
from secls.resolve.disk_cache import Deps, still_valid
from secls.resolve.modules import ModuleLocator, absolute, find_class
from secls.resolve.questions import BaseQuestion, Questions, collect_questions
from secls.resolve.summaries import MAX_DEPTH, FileCache, stamp_of, summarize
from secls.resolve.run_share import RunShare
from secls.resolve.targets import BodyNames, attribute_verdict, body_names


def find_environment_python(root: Path | None, configured: str | None) -> str | None:
    """The Python whose packages to see: configured, else the workspace's .venv, else None (ours)."""
    if configured:
        return configured
    if root is not None:
        for name in (".venv", "venv"):
            candidate = root / name / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
            if candidate.exists():
                return str(candidate)
    return None


class JediResolver:
    """Answers base-class and patch-target questions across the workspace and the environment."""

    def __init__(self, root: Path | None = None, python: str | None = None, file_budget: int | None = None,
                 share: RunShare | None = None) -> None:
        """`file_budget`: characters of source whose trees are kept between questions (None: all); `share`:
        where the other processes of a run leave module summaries and base answers (see run_share)."""
        self.root = (root or Path.cwd()).resolve()
        self.share = share
        self.python = find_environment_python(self.root, python)
        self.files = FileCache(file_budget)
        self._project: Any = None
        self._locator: ModuleLocator | None = None
        self._lock = threading.RLock()
        self._bases: dict[tuple[str, str, int], tuple[BaseFacts | None, Deps]] = {}
        self._setattr_dirs: dict[str, tuple[str, list[str]]] = {}
        # Answers that mean the same from every file, with the files they were read from (see disk_cache).
        self._by_qualname: dict[str, tuple[BaseFacts | None, Deps]] = {}
        self._targets: dict[str, tuple[TargetVerdict, Deps]] = {}
        self._names: dict[str, tuple[tuple[float, int] | None, BodyNames | None]] = {}  # module file -> its names
        self._depth = 0

    # ----------------------------------------------------------------- search path and jedi
    def _jedi_project(self) -> Any:
        if self._project is None:
            import jedi

            # environment_path None: jedi uses the interpreter running secls
            self._project = jedi.Project(path=str(self.root), environment_path=self.python,
                                         load_unsafe_extensions=False, smart_sys_path=True)
        return self._project

    @property
    def locator(self) -> ModuleLocator:
        """Module files on the workspace root, then the environment's sys.path."""
        if self._locator is None:
            paths = [str(self.root)]
            if self.python:
                try:
                    paths += [p for p in self._jedi_project().get_environment().get_sys_path()
                              if "jedi" not in Path(p).parts]  # jedi's own helper folder
                except Exception:  # a broken configured interpreter: the workspace alone
                    pass
            else:
                paths += [p for p in sys.path if p]
            self._locator = ModuleLocator(paths)
        return self._locator

    def _goto(self, path: str, text: str, line: int, column: int, infer: bool = False) -> list[Any]:
        """jedi's definitions of the name at a position (`infer` also follows assignments)."""
        import jedi

        try:
            script = jedi.Script(code=text, path=path, project=self._jedi_project())
            if infer:
                return script.infer(line, column) or script.goto(line, column, follow_imports=True)
            return script.goto(line, column, follow_imports=True)
        except Exception:  # jedi failing on odd code is "unknown", never a crash
            return []

    # ----------------------------------------------------------------- bases
    def base_lookup(self, path: str, base_expr: str, question: BaseQuestion) -> BaseFacts | None:
        """Facts of the base spelled `base_expr` in the file at `path`."""
        parsed = self.files.get(path)
        if parsed is None:
            return None
        return self._base(path, parsed.text, base_expr, question)

    def _base(self, path: str, text: str, base_expr: str, question: BaseQuestion) -> BaseFacts | None:
        """A base's facts, cached with the files they were read from (re-read when one changes)."""
        key = (path, f"{base_expr}@{question.line}", hash(text))
        cached = self._bases.get(key)
        if cached is not None and still_valid(cached[1]):
            self._record(cached[1])
            return cached[0]
        if self._depth >= MAX_DEPTH:
            return None
        self._bases[key] = (None, [])  # cycle guard while resolving
        self._depth += 1
        outer, self.files.accessed = self.files.accessed, set()
        try:
            facts = self._base_from_files(path, question)
            if facts is None and self._jedi_may_know(path, question):
                facts = self._base_from_jedi(path, text, question)
            read = self.files.accessed
        finally:
            self._depth -= 1
            self.files.accessed = outer
        deps: Deps = [(file, stamp_of(file)) for file in sorted(read)]
        self._record(deps)
        self._bases[key] = (facts, deps)
        return facts

    def _base_from_files(self, path: str, question: BaseQuestion) -> BaseFacts | None:
        if not question.qualname:
            return None
        qualname = absolute(question.qualname, path, self.locator.search_path)
        if qualname is None:
            return None
        cached = self._by_qualname.get(qualname)  # absolute names mean the same thing from every file
        if cached is not None and still_valid(cached[1]):
            self._record(cached[1])
            return cached[0]
        shared = self.share.get(f"base\0{qualname}") if self.share is not None else None
        if shared is not None and still_valid(shared[1]):
            self._record(shared[1])
            self._by_qualname[qualname] = shared
            return shared[0]  # type: ignore[no-any-return]
        with self._reads() as read:
            facts = self._class_by_qualname(qualname)
        deps: Deps = [(path, stamp_of(path)) for path in sorted(read)]
        self._record(deps)
        self._by_qualname[qualname] = (facts, deps)
        if self.share is not None:
            self.share.put(f"base\0{qualname}", (facts, deps))
        return facts

    @contextlib.contextmanager
    def _reads(self) -> Iterator[set[str]]:
        """The files read inside the block (an answer's dependencies); outer blocks see them through `_record`."""
        outer, self.files.accessed = self.files.accessed, set()
        try:
            yield self.files.accessed
        finally:
            self.files.accessed = outer

    def _record(self, deps: Deps) -> None:
        """Tell an enclosing summary which files this answer came from."""
        if self.files.accessed is not None:
            self.files.accessed.update(path for path, _ in deps)

    def _class_by_qualname(self, qualname: str) -> BaseFacts | None:
        known = known_base(qualname)
        if known is not None:
            return known
        found = find_class(qualname, self.locator, self.files).found
        if found is None:
            return None
        file, line, name = found
        return summarize(file, line, name, self.files, self.base_lookup, qualname)

    def _jedi_may_know(self, path: str, question: BaseQuestion) -> bool:
        """jedi searches the same path: a name that leads out of its source files is unknown to it too."""
        if not question.qualname:
            return True  # bound by assignment or a star import here: jedi can follow that
        qualname = absolute(question.qualname, path, self.locator.search_path)
        return qualname is not None and not find_class(qualname, self.locator, self.files).left_files

    def _base_from_jedi(self, path: str, text: str, question: BaseQuestion) -> BaseFacts | None:
        for name in self._goto(path, text, question.line, question.column, infer=True):
            if name.type != "class" or name.module_path is None:
                continue
            full = name.full_name or ""
            facts = known_base(full) or summarize(str(name.module_path), name.line, name.name, self.files,
                                                  self.base_lookup, full or None)
            if facts is not None:
                return facts
        return None

    # ----------------------------------------------------------------- targets
    def _set_from_elsewhere(self, module_path: str) -> bool:
        """Whether files beside a module add attributes to it at run time (`setattr(objects, ...)`)."""
        folder = os.path.dirname(module_path)
        name = os.path.basename(folder) if module_path.endswith("__init__.py") else \
            os.path.splitext(os.path.basename(module_path))[0]
        if folder not in self._setattr_dirs:
            chunks: list[str] = []
            read: list[str] = []
            try:
                for entry in sorted(os.listdir(folder))[:400]:
                    if entry.endswith(".py"):
                        read.append(os.path.join(folder, entry))
                        with open(read[-1], encoding="utf-8", errors="replace") as handle:
                            text = handle.read()
                        if "setattr(" in text:
                            chunks.append(text)
            except OSError:
                pass
            self._setattr_dirs[folder] = ("\n".join(chunks), read)
        text, read = self._setattr_dirs[folder]
        if self.files.accessed is not None:  # the verdict depends on every file beside the module
            self.files.accessed.update(read)
        return re.search(rf"setattr\(\s*{re.escape(name)}\s*,", text) is not None

    def target_verdict(self, target: str) -> TargetVerdict:
        """Whether `pkg.mod.attr[.attr]` exists (cached while the module file is unchanged)."""
        cached = self._targets.get(target)
        if cached is not None and still_valid(cached[1]):
            self._record(cached[1])
            return cached[0]
        with self._reads() as read:
            verdict = self._target_verdict(target)
        if verdict.module_path:
            read.add(verdict.module_path)
        deps: Deps = [(path, stamp_of(path)) for path in sorted(read)]
        self._record(deps)
        self._targets[target] = (verdict, deps)
        return verdict

    # ----------------------------------------------------------------- between runs
    def load_cache(self) -> None:
        """Take the answers a previous run kept for this workspace (each checked against its files on use)."""
        bases, targets = disk_cache.load(disk_cache.cache_file(self.root))
        self._by_qualname.update(bases)
        self._targets.update(targets)

    def save_cache(self) -> None:
        """Keep this run's answers for the next one."""
        disk_cache.save(disk_cache.cache_file(self.root), *self.answers())

    def _target_verdict(self, target: str) -> TargetVerdict:
        """Find the longest module prefix of a target, then read that module's source."""
        parts = target.split(".")
        if self.locator.locate(target) is not None:
            return TargetVerdict(True)  # a submodule: mock reaches it once something imported it
        prefixes = [".".join(parts[:split]) for split in range(len(parts) - 1, 0, -1)]
        located = next(((p, f) for p in prefixes if (f := self.locator.locate(p)) is not None), None)
        if located is None:
            # Not a file on the search path. jedi searches the same path, so it could only find a compiled
            # module or a stub (typeshed's): their attributes are unknown to us either way.
            return TargetVerdict(None)
        module, module_path = located
        names = self._names_of(module_path) if module_path.endswith(".py") else None
        if names is None:
            return TargetVerdict(None, module_path=module_path)
        verdict = attribute_verdict(names, parts[module.count(".") + 1:], target, module_path)
        if verdict.exists is False and self._set_from_elsewhere(module_path):
            return TargetVerdict(None, module_path=module_path, module=module)
        return replace(verdict, module=module)

    def _names_of(self, module_path: str) -> BodyNames | None:
        """A module's names and its classes' (None when unreadable): kept, from another worker, or read now."""
        stamp = stamp_of(module_path)
        kept = self._names.get(module_path)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        key = f"names\0{module_path}\0{stamp}"
        names = self.share.get(key) if self.share is not None else None
        if names is None:
            parsed = self.files.get(module_path)
            names = body_names(parsed) if parsed is not None else None
            if self.share is not None and names is not None:
                self.share.put(key, names)
        self._names[module_path] = (stamp, names)
        return names

    # ----------------------------------------------------------------- a module
    def kept_tree(self, path: str, text: str) -> ast.Module | None:
        """The tree of this very text at `path`, when it was parsed already as another module's base."""
        parsed = self.files.peek(path)
        return parsed.tree if parsed is not None and parsed.text == text else None

    def offer_tree(self, path: str, text: str, tree: ast.Module) -> None:
        """The tree of a module just analysed, kept a while in case another module names it as a base."""
        self.files.offer(path, text, tree)

    def resolve(self, text: str, path: str | None, questions: Questions | None = None) -> Resolution:
        """Answer every question of a module's text (may be slow when cold: keep it off the keystroke path)."""
        return self.resolve_with_deps(text, path, questions)[0]

    def resolve_with_deps(self, text: str, path: str | None,
                          questions: Questions | None = None) -> tuple[Resolution, Deps]:
        """The answers of `resolve`, and the files they were read from with their (mtime, size)."""
        questions = collect_questions(text) if questions is None else questions
        resolution = Resolution()
        file_path = os.path.abspath(path) if path else str(self.root / "__secls_buffer__.py")
        with self._lock, self._reads() as read:
            for expr, question in questions.bases.items():
                resolution.bases[expr] = self._base(file_path, text, expr, question)
            for target in sorted(questions.targets):
                resolution.targets[target] = self.target_verdict(target)
        return resolution, [(file, stamp_of(file)) for file in sorted(read)]

    def answers(self) -> tuple[dict[str, tuple[BaseFacts | None, Deps]], dict[str, tuple[TargetVerdict, Deps]]]:
        """The answers worth keeping between runs (by qualified name, by patch target), with their files."""
        return self._by_qualname, self._targets


def default_root(path: str | None) -> Path:
    """The workspace root for a file: the nearest folder with pyproject.toml/setup.py/.git, else its folder."""
    start = Path(path).resolve().parent if path else Path.cwd()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in ("pyproject.toml", "setup.py", "setup.cfg", ".git")):
            return folder
    return start
