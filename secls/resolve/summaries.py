"""A class defined in another file, summarised with our own `ast` model as the facts a subclass inherits."""

from __future__ import annotations

import ast
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from secls.analysis.classes import class_facts, does_work, may_register
from secls.analysis.engine import parse
from secls.analysis.frameworks import LIFECYCLE_METHODS, BaseFacts
from secls.analysis.imports import ImportMap
from secls.analysis.resolution import TargetVerdict
from secls.analysis.scope import iter_statements, methods

if TYPE_CHECKING:
    from secls.resolve.questions import BaseQuestion

# Given (file, base expression, the question about it), the facts of that base.
BaseLookup = Callable[[str, str, "BaseQuestion"], "BaseFacts | None"]
MAX_DEPTH = 12
# Characters of source whose trees, parsed and analysed elsewhere (test modules), are held in case another
# module names them as a base: in nova's tests a 680 kB module is a base of one analysed a few files later.
OFFERED_BUDGET = 2_000_000


@dataclass
class ParsedFile:
    """One file's tree, imports and classes, valid while its (mtime, size) holds."""

    stamp: tuple[float, int]
    text: str
    tree: ast.Module
    base_questions: dict[str, BaseQuestion] | None = None  # the bases of its classes, made on first use

    # Made on first use: most files are read for their names only (patch targets), never for a class.
    @cached_property
    def _statements(self) -> list[ast.stmt]:
        return list(iter_statements(self.tree))

    @cached_property
    def imports(self) -> ImportMap:
        """The file's import statements, of every block (function bodies too)."""
        return ImportMap.from_statements(n for n in self._statements if isinstance(n, (ast.Import, ast.ImportFrom)))

    @cached_property
    def classes(self) -> dict[str, ast.ClassDef]:
        """Its classes by name, of every block (nested ones too; the last of a name wins)."""
        return {n.name: n for n in self._statements if isinstance(n, ast.ClassDef)}


def stamp_of(path: str) -> tuple[float, int] | None:
    """(mtime, size) of a file, or None when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime, info.st_size


class FileCache:
    """Parsed files by path, re-parsed when their (mtime, size) changes.

    With a `budget` (characters of source), the trees of the files used least recently are dropped
    once the files kept hold more than that; one asked for again is parsed again. A module's tree
    takes about 25 times its text in memory, and the answers read from it are kept by the resolver.
    """

    def __init__(self, budget: int | None = None) -> None:
        self._files: dict[str, ParsedFile | None] = {}  # in the order of their last use
        self._stamps: dict[str, tuple[float, int] | None] = {}
        self._budget = budget
        self._kept = 0  # characters of the parsed files held
        self._offered: dict[str, tuple[str, ast.Module]] = {}  # path -> (text, its tree), oldest first
        self._offered_size = 0
        self.accessed: set[str] | None = None  # when a set, every path asked for is added (dependencies)

    def get(self, path: str) -> ParsedFile | None:
        """The parsed file, or None when it is unreadable or not Python."""
        if self.accessed is not None:
            self.accessed.add(path)
        stamp = stamp_of(path)
        if path in self._files and self._stamps.get(path) == stamp:
            cached = self._files.pop(path)
            self._files[path] = cached  # the most recently used last
            return cached
        self._forget(path)
        parsed = None
        if stamp is not None:
            try:
                with open(path, "rb") as handle:
                    raw = handle.read()
                import io
                import tokenize

                encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
                text = raw.decode(encoding)
                offered = self._take_offered(path)
                parsed = ParsedFile(stamp, text, offered[1] if offered and offered[0] == text else parse(text, path))
            except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError, LookupError):
                parsed = None
        self._files[path] = parsed
        self._stamps[path] = stamp
        if parsed is not None:
            self._kept += len(parsed.text)
            self._keep_within_budget()
        return parsed

    def offer(self, path: str, text: str, tree: ast.Module) -> None:
        """Hold the tree of a text read and parsed elsewhere: if the file at `path` is asked for while it holds
        that very text, the tree serves instead of a new parse. The oldest are dropped beyond OFFERED_BUDGET."""
        if path in self._files or len(text) > OFFERED_BUDGET:
            return
        self._take_offered(path)
        self._offered[path] = (text, tree)
        self._offered_size += len(text)
        while self._offered_size > OFFERED_BUDGET:
            self._take_offered(next(iter(self._offered)))

    def _take_offered(self, path: str) -> tuple[str, ast.Module] | None:
        offered = self._offered.pop(path, None)
        if offered is not None:
            self._offered_size -= len(offered[0])
        return offered

    def peek(self, path: str) -> ParsedFile | None:
        """The parsed file if it is kept and unchanged on disk; never reads or parses (nor counts as a use)."""
        parsed = self._files.get(path)
        return parsed if parsed is not None and self._stamps.get(path) == stamp_of(path) else None

    def _forget(self, path: str) -> None:
        parsed = self._files.pop(path, None)
        self._stamps.pop(path, None)
        if parsed is not None:
            self._kept -= len(parsed.text)

    def _keep_within_budget(self) -> None:
        """Drop the least recently used trees (never the last one) until the rest fit the budget."""
        if self._budget is None:
            return
        for path in list(self._files)[:-1]:
            if self._kept <= self._budget:
                return
            if self._files[path] is not None:
                self._forget(path)


def _class_at(parsed: ParsedFile, line: int, name: str) -> ast.ClassDef | None:
    for node in parsed.classes.values():
        if node.lineno == line or (node.name == name and any(d.lineno == line for d in node.decorator_list)):
            return node
    return parsed.classes.get(name)


class _FileResolver:
    """Lets `class_facts` of a class in another file ask for that file's own external bases."""

    def __init__(self, path: str, cls: ast.ClassDef, lookup: BaseLookup, parsed: ParsedFile) -> None:
        self.path = path
        self.lookup = lookup
        self.parsed = parsed

    @property
    def questions(self) -> dict[str, BaseQuestion]:
        """The questions about the bases of the file's classes (asked for once per file)."""
        parsed = self.parsed
        if parsed.base_questions is None:
            from secls.resolve.questions import base_question, column_source

            source = column_source(parsed.text)
            parsed.base_questions = {ast.unparse(base): base_question(base, parsed.imports, source)
                                     for klass in parsed.classes.values() for base in klass.bases}
        return parsed.base_questions

    def base_facts(self, module_path: str | None, base_expr: str) -> BaseFacts | None:
        question = self.questions.get(base_expr)
        return self.lookup(self.path, base_expr, question) if question else None

    def patch_target(self, target: str) -> TargetVerdict | None:
        return None


def summarize(path: str, line: int, name: str, files: FileCache, lookup: BaseLookup,
              full_name: str | None = None) -> BaseFacts | None:
    """The facts a subclass inherits from class `name` defined at `path:line` (None if not found)."""
    parsed = files.get(path)
    if parsed is None:
        return None
    cls = _class_at(parsed, line, name)
    if cls is None:
        return None
    facts = class_facts(cls, parsed.classes, parsed.imports, _FileResolver(path, cls, lookup, parsed), path,
                        may_register(parsed.text))
    needs = {m for m in LIFECYCLE_METHODS if any(does_work(methods(k).get(m)) for k in facts.local_mro)}
    for known in facts.known:
        needs |= known.needs_super
    looks_like_test = facts.is_testcase or "Test" in cls.name or any(
        name.startswith("test") for name in methods(cls))
    return BaseFacts(
        name=full_name or f"{_module_name(path)}.{cls.name}", framework="project",
        is_testcase=looks_like_test and not facts.is_fixture, is_fixture=facts.is_fixture,
        registers_stopall=facts.stopall is True, nested_tempfile=facts.nested_tempfile is True,
        enforces_super=facts.enforces_super, needs_super=frozenset(needs),
        unresolved=tuple(dict.fromkeys(facts.unresolved)))


def _module_name(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]
