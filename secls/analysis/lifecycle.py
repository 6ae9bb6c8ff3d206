"""The unittest lifecycle of a class: what its methods acquire, and where each thing is released.

See shared TEST-SEMANTICS.md: cleanups registered with addCleanup run even when setUp fails,
tearDown does not; stopall in a base class stops every started patcher; useFixture,
enterContext and `with` release what they take.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from secls.analysis.classes import CLEANUP_REGISTRARS, STOPALL, ClassFacts
from secls.analysis.frameworks import CLASS_SETUP_METHODS, SETUP_METHODS, TEARDOWN_METHODS
from secls.analysis.scope import (FunctionNode, dotted, first_param, methods, nodes_of, parents_within,
                                 statement_of)

if TYPE_CHECKING:
    from secls.analysis.context import ModuleContext

PATCHERS = frozenset({"unittest.mock.patch", "unittest.mock.patch.object", "unittest.mock.patch.dict",
                      "unittest.mock.patch.multiple"})

# Acquiring calls by qualified name -> kind.
ACQUIRERS: dict[str, str] = {
    "tempfile.mkdtemp": "tempdir",
    "tempfile.mkstemp": "mkstemp",
    "tempfile.NamedTemporaryFile": "tempfile",
    "tempfile.TemporaryDirectory": "tempdir_obj",
    "tempfile.TemporaryFile": "handle",
    "tempfile.SpooledTemporaryFile": "handle",
    "open": "handle", "builtins.open": "handle", "io.open": "handle", "codecs.open": "handle",
    "socket.socket": "handle", "socket.create_connection": "handle", "socket.socketpair": "handle",
    "sqlite3.connect": "handle",
    "http.client.HTTPConnection": "connection", "http.client.HTTPSConnection": "connection",
    "urllib.request.urlopen": "handle", "zipfile.ZipFile": "handle", "tarfile.open": "handle",
    "tarfile.TarFile": "handle", "mmap.mmap": "handle", "selectors.DefaultSelector": "handle",
    "selectors.SelectSelector": "handle", "selectors.PollSelector": "handle",
    "selectors.EpollSelector": "handle", "logging.FileHandler": "handle",
    "subprocess.Popen": "process",
    "threading.Thread": "thread",
    "concurrent.futures.ThreadPoolExecutor": "executor",
    "concurrent.futures.ProcessPoolExecutor": "executor",
    "concurrent.futures.thread.ThreadPoolExecutor": "executor",
    "multiprocessing.Pool": "pool", "multiprocessing.pool.Pool": "pool",
    "multiprocessing.pool.ThreadPool": "pool",
    "asyncio.new_event_loop": "loop",
}

_ACQUIRER_NAMES = frozenset(name.rpartition(".")[2] for name in ACQUIRERS)
# Every call `_Builder._may_acquire` accepts has one of these own names (`ImportMap.called_name`).
_MAY_ACQUIRE_NAMES = _ACQUIRER_NAMES | {"start"}

RELEASE_METHODS: dict[str, frozenset[str]] = {
    "patcher": frozenset({"stop", "__exit__"}),
    "tempdir_obj": frozenset({"cleanup", "__exit__"}),
    "tempfile": frozenset({"close", "__exit__"}),
    "handle": frozenset({"close", "__exit__", "aclose", "detach"}),
    "connection": frozenset({"close", "__exit__"}),
    "process": frozenset({"wait", "communicate", "kill", "terminate", "__exit__"}),
    "thread": frozenset({"join"}),
    "executor": frozenset({"shutdown", "__exit__"}),
    "pool": frozenset({"close", "terminate", "join", "__exit__"}),
    "loop": frozenset({"close"}),
    "tempdir": frozenset(),
    "mkstemp": frozenset(),
}
REMOVERS = frozenset({"shutil.rmtree", "os.rmdir", "os.removedirs", "os.unlink", "os.remove",
                      "pathlib.Path.unlink", "fixtures.TempDir", "helper"})
# A helper whose name says it releases (`fileutils.delete_if_exists(p)`, `join_thread(t)`) releases
# what it is given first.
_NOT_RELEASES = frozenset({"os.path.join", "posixpath.join", "ntpath.join", "shlex.join", "os.waitpid",
                           "os.waitstatus_to_exitcode", "asyncio.wait", "asyncio.wait_for", "select.select"})

# Objects that hold nothing until a method is called on them.
ACTIVATION: dict[str, frozenset[str]] = {
    "thread": frozenset({"start"}),
    "connection": frozenset({"connect", "request", "putrequest", "send", "endheaders"}),
}
# Method calls worth recording: releases, activations, and `stop` (SEC308 looks for it on mocks).
_RECORDED_VERBS = frozenset().union(*RELEASE_METHODS.values(), *ACTIVATION.values(), {"stop", "start"})
_RELEASE_WORDS = ("remove", "unlink", "delete", "rmtree", "rmdir", "clean", "close", "join",
                  "shutdown", "kill", "terminate", "wait", "stop", "release", "dispose", "destroy")
_RELEASE_WORD = re.compile("|".join(map(re.escape, _RELEASE_WORDS)))  # one search, not one test a word
FD_CLOSERS = frozenset({"os.close", "os.fdopen", "open", "builtins.open", "io.open"})
# The own names of the calls `_release_callable` knows by qualified name.
_RELEASER_NAMES = frozenset(q.rsplit(".", 1)[-1] for q in (*REMOVERS, *FD_CLOSERS, STOPALL, "setattr"))
TAKES_OWNERSHIP = frozenset({"enterContext", "enterClassContext", "enterAsyncContext",
                             "enterModuleContext", "useFixture", "enter_context", "enter_async_context",
                             "closing", "aclosing"})


@dataclass
class Acquisition:
    """Something acquired in a lifecycle method that has to be released."""

    kind: str
    node: ast.AST
    description: str
    method: FunctionNode | None
    role: str
    statement: ast.stmt
    keys: tuple[str, ...] = ()
    spelled: str | None = None
    patcher: str | None = None
    result: str | None = None
    has_dir: bool = False
    released_by: str | None = None
    needs: tuple[str, ...] = ()
    escaped: bool = False


@dataclass
class ReleaseSite:
    """A place that releases something: a registered cleanup, or a direct call."""

    key: str
    verb: str
    node: ast.AST
    method: FunctionNode | None
    registered: bool


@dataclass
class ClassLifecycle:
    """Acquisitions and releases of one class (or of a module's pytest functions)."""

    facts: ClassFacts | None
    receiver_is_class: dict[int, bool] = field(default_factory=dict)
    acquisitions: list[Acquisition] = field(default_factory=list)
    releases: list[ReleaseSite] = field(default_factory=list)
    start_results: dict[str, Acquisition] = field(default_factory=dict)
    teardown_methods: set[str] = field(default_factory=set)

    def unreleased(self, kinds: frozenset[str] | set[str]) -> Iterator[Acquisition]:
        """Acquisitions of these kinds that nothing releases."""
        return (a for a in self.acquisitions if a.kind in kinds and a.released_by is None and not a.escaped)


def method_role(function: FunctionNode) -> str:
    """setUp, setUpClass, tearDown, test or helper."""
    name = function.name
    if name in CLASS_SETUP_METHODS or name == "setUpModule":
        return "setUpClass" if name != "setUpModule" else "setUpModule"
    if name in SETUP_METHODS:
        return "setUp"
    if name in TEARDOWN_METHODS or name == "tearDownModule":
        return "tearDown"
    if name.startswith("test"):
        return "test"
    return "helper"


class _Keys:
    """Turns spellings into keys: `self.x`/`cls.x` -> `@.x` (class-wide), locals -> `<id>:x`."""

    def __init__(self, function: FunctionNode | None) -> None:
        self.function = function
        self.receiver = first_param(function) if function is not None else None
        self.scope = id(function)

    def key(self, node: ast.AST) -> str | None:
        spelled = dotted(node)
        if spelled is None:
            if isinstance(node, ast.Subscript):  # fd_and_path[1]
                return self.key(node.value)
            return None
        head, _, rest = spelled.partition(".")
        if self.receiver and head == self.receiver and rest:
            return "@." + rest
        if head in ("self", "cls") and rest:
            return "@." + rest
        return f"{self.scope}:{spelled}"


def _is_patcher_call(node: ast.AST, ctx: "ModuleContext") -> bool:
    return isinstance(node, ast.Call) and ctx.qualname(node.func) in PATCHERS


def _patch_description(node: ast.Call, ctx: "ModuleContext") -> str:
    text = ast.unparse(node)
    return text if len(text) <= 70 else text[:67] + "..."


class _Builder:
    def __init__(self, ctx: "ModuleContext", facts: ClassFacts | None) -> None:
        self.ctx = ctx
        self.life = ClassLifecycle(facts=facts)
        self.patcher_keys: set[str] = set()
        self._sites: list[ReleaseSite] = []  # where `_add` records, while `collect_releases` reads a function

    # ---------------------------------------------------------------- collection passes
    def collect_patcher_bindings(self, functions: list[FunctionNode]) -> None:
        """Every name or attribute bound to a patch(...) call (or a list of them)."""
        for function in functions:
            keys = _Keys(function)
            for node in nodes_of(function, ast.Assign):
                value = node.value
                is_patch = _is_patcher_call(value, self.ctx) or (
                    isinstance(value, (ast.List, ast.Tuple, ast.Set)) and value.elts
                    and all(_is_patcher_call(e, self.ctx) for e in value.elts))
                if is_patch:
                    for target in node.targets:
                        k = keys.key(target)
                        if k:
                            self.patcher_keys.add(k)
            for node in nodes_of(function, ast.For, ast.AsyncFor, ast.comprehension, ast.Call):
                if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                    it = node.iter
                    k_it = keys.key(it)
                    elts = it.elts if isinstance(it, (ast.List, ast.Tuple)) else []
                    if (k_it and k_it in self.patcher_keys) or (
                            elts and all(_is_patcher_call(e, self.ctx) for e in elts)):
                        k = keys.key(node.target)
                        if k:
                            self.patcher_keys.add(k)
                elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr in ("append", "extend", "add") and node.args \
                        and _is_patcher_call(node.args[0], self.ctx):
                    k = keys.key(node.func.value)
                    if k:
                        self.patcher_keys.add(k)

    def collect_releases(self, functions: list[FunctionNode]) -> None:
        """Every registered cleanup and direct release call; `_counts` decides later which apply."""
        memo = self.ctx.memo
        for function in functions:
            # What a method releases depends on the method alone: a base class's methods, part of every
            # subclass's lifecycle, are read once per module.
            key = ("lifecycle.releases", id(function))
            sites: list[ReleaseSite] | None = memo.get(key)  # type: ignore[assignment]
            if sites is None:
                sites = self._sites = []
                self._releases_of(function)
                memo[key] = sites  # only once complete: a failure fails again for the next class
            self.life.releases.extend(sites)

    def _releases_of(self, function: FunctionNode) -> None:
        """Record (`_add`) what one function releases."""
        keys = _Keys(function)
        for node in nodes_of(function, ast.Call, ast.With, ast.AsyncWith):
            if isinstance(node, ast.Call):
                self._release_from_call(node, function, keys)
            else:
                for item in node.items:
                    # `with x:`, `with closing(x):`, `with ctx.wrap_socket(x) as s:` all end x's life
                    expr = item.context_expr
                    for candidate in [expr, *(expr.args if isinstance(expr, ast.Call) else [])]:
                        k = keys.key(candidate)
                        if k:
                            self._add(k, "__exit__", node, function, registered=False)

    def _add(self, key: str, verb: str, node: ast.AST, function: FunctionNode | None, registered: bool) -> None:
        self._sites.append(ReleaseSite(key, verb, node, function, registered))

    def _release_callable(self, func: ast.AST, args: list[ast.AST], function: FunctionNode, keys: _Keys,
                          node: ast.AST, registered: bool) -> None:
        """Record what calling `func(*args)` releases."""
        if isinstance(func, ast.Call) and (dotted(func.func) or "").endswith("partial") and func.args:
            self._release_callable(func.args[0], list(func.args[1:]) + args, function, keys, node, registered)
            return
        if isinstance(func, ast.Lambda):
            for inner in ast.walk(func.body):
                if isinstance(inner, ast.Call):
                    self._release_callable(inner.func, list(inner.args), function, keys, node, registered)
            return
        qual = self.ctx.qualname(func)
        if qual == STOPALL:
            self._add("*stopall*", "stopall", node, function, registered)
            return
        if qual in REMOVERS or qual in FD_CLOSERS or qual in ("setattr", "builtins.setattr"):
            if args:
                k = keys.key(args[0].value if isinstance(args[0], ast.Attribute) and args[0].attr == "name"
                             else args[0])
                if k:
                    self._add(k, qual, node, function, registered)
            return
        name = (qual or "").rsplit(".", 1)[-1].lower()
        if registered:
            # addCleanup(cleanup, handler, path): a cleanup handed the resource is taken to release it
            for arg in args:
                k = keys.key(arg)
                if k:
                    self._add(k, "helper", node, function, registered)
        elif args and _RELEASE_WORD.search(name) and qual not in _NOT_RELEASES:
            k = keys.key(args[0])
            if k:
                self._add(k, "helper", node, function, registered)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in (
                "self", "cls") and not func.attr.startswith(("assert", "fail", "skip")):
            # self.set_event_loop(loop): a method of the class or of an unresolved base may register
            # the release; unknown is not missing
            for arg in args:
                k = keys.key(arg)
                if k:
                    self._add(k, "helper", node, function, registered=True)
        if isinstance(func, ast.Attribute) and (registered or func.attr in _RECORDED_VERBS):
            k = keys.key(func.value)
            if k:
                self._add(k, func.attr, node, function, registered)

    def _release_from_call(self, node: ast.Call, function: FunctionNode, keys: _Keys) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else "")
        if name in CLEANUP_REGISTRARS and node.args:
            self._release_callable(node.args[0], list(node.args[1:]), function, keys, node, registered=True)
            return
        if name in TAKES_OWNERSHIP and node.args:
            k = keys.key(node.args[0])
            if k:
                self._add(k, "__exit__", node, function, registered=True)
            return
        # A direct release: counted when in a teardown-like method, or in the acquiring function.
        if name and not _may_release_directly(node, func, self.ctx):
            return
        self._release_callable(func, list(node.args), function, keys, node, registered=False)

    # ---------------------------------------------------------------- acquisitions
    def collect_acquisitions(self, function: FunctionNode, role: str) -> None:
        keys = _Keys(function)
        calls = [node for node in nodes_of(function, ast.Call) if self._may_acquire(node)]
        if not calls:
            return
        skip: set[int] = set()
        for node in nodes_of(function, ast.With, ast.AsyncWith, ast.Call, ast.Return, ast.Yield, ast.YieldFrom,
                             ast.Await):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    skip.add(id(item.context_expr))
                    if isinstance(item.context_expr, ast.Call):
                        for arg in item.context_expr.args:
                            skip.add(id(arg))
                    if "raises" in (dotted(getattr(item.context_expr, "func", item.context_expr)) or "").lower():
                        # expected to fail: what the block "acquires" is never created
                        for inner in node.body:
                            if isinstance(inner, ast.Expr):
                                skip.add(id(inner.value))
            elif isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else (
                    node.func.id if isinstance(node.func, ast.Name) else "")
                if name in TAKES_OWNERSHIP or name in CLEANUP_REGISTRARS:
                    for arg in node.args:
                        skip.add(id(arg))
            elif isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom, ast.Await)) and node.value is not None:
                skip.add(id(node.value))
        for node in calls:
            if id(node) in skip:
                continue
            acquisition = self._acquisition(node, function, role, keys)
            if acquisition is not None:
                self.life.acquisitions.append(acquisition)

    def _may_acquire(self, node: ast.Call) -> bool:
        """Cheap filter: `x.start()` or a call of a known acquirer (by its last name, then qualified)."""
        func = node.func
        if isinstance(func, ast.Attribute):
            if func.attr == "start" and not node.args:
                return True
            if func.attr not in _ACQUIRER_NAMES:
                return False
        elif isinstance(func, ast.Name):
            if self.ctx.imports.aliases.get(func.id, func.id).rpartition(".")[2] not in _ACQUIRER_NAMES:
                return False
        return (self.ctx.qualname(func) or "") in ACQUIRERS

    def _binding(self, node: ast.AST, function: FunctionNode) -> ast.AST | None:
        """The target a call's value is assigned to (`x = call`, `self.x = call`), if any."""
        parent = parents_within(function).get(id(node))
        if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
            return parent.targets[0]
        if isinstance(parent, (ast.AnnAssign, ast.NamedExpr)) and parent.value is node:
            return parent.target
        return None

    def _acquisition(self, node: ast.Call, function: FunctionNode, role: str,
                     keys: _Keys) -> Acquisition | None:
        func = node.func
        # Cheap filters first: most calls acquire nothing.
        is_start = isinstance(func, ast.Attribute) and func.attr == "start" and not node.args
        qual = None if is_start else self.ctx.qualname(func)
        if not is_start and (qual or "") not in ACQUIRERS:
            return None
        statement = statement_of(node, parents_within(function))
        if statement is None:
            return None
        # Patchers: X.start()
        if is_start:
            assert isinstance(func, ast.Attribute)
            receiver = func.value
            chained = _is_patcher_call(receiver, self.ctx)
            rkey = keys.key(receiver)
            spelled = dotted(receiver)
            looks_patch = spelled is not None and "patch" in spelled.rsplit(".", 1)[-1].lower()
            if chained or (rkey and rkey in self.patcher_keys) or looks_patch:
                target = self._binding(node, function)
                result = dotted(target) if target is not None else None
                acq = Acquisition(
                    kind="patcher", node=node, method=function, role=role, statement=statement,
                    description=_patch_description(receiver, self.ctx) if chained else f"patcher `{spelled}`",
                    keys=(rkey,) if rkey and not chained else (), spelled=None if chained else spelled,
                    patcher=None if chained else spelled, result=result)
                if target is not None:
                    tkey = keys.key(target)
                    if tkey:
                        self.life.start_results[tkey] = acq
                return acq
            qual = self.ctx.qualname(receiver.func) if isinstance(receiver, ast.Call) else None
            if qual is not None and ACQUIRERS.get(qual) == "thread":
                return Acquisition(kind="thread", node=node, method=function, role=role, statement=statement,
                                   description=f"{ast.unparse(receiver.func)}(...).start()")
            return None
        kind = ACQUIRERS[qual or ""]
        if kind == "tempfile":
            delete = next((k.value for k in node.keywords if k.arg in ("delete", "delete_on_close")), None)
            if not (isinstance(delete, ast.Constant) and delete.value is False):
                kind = "handle"
        target = self._binding(node, function)
        has_dir = any(k.arg == "dir" for k in node.keywords) or (
            qual in ("tempfile.mkdtemp", "tempfile.mkstemp") and len(node.args) >= 3)
        description = f"{ast.unparse(func)}()"
        if target is None:
            parent = parents_within(function).get(id(node))
            discarded = isinstance(parent, ast.Expr)
            if not discarded or kind in ("handle", "tempdir_obj", "tempfile", "loop", "executor", "pool"):
                return None  # chained or passed on: ownership is elsewhere (or refcounting closes it)
            return Acquisition(kind=kind, node=node, method=function, role=role, statement=statement,
                               description=description, has_dir=has_dir)
        if isinstance(target, (ast.Tuple, ast.List)):
            tkeys = tuple(k for k in (keys.key(e) for e in target.elts) if k)
            spelled = ", ".join(dotted(e) or "_" for e in target.elts)
            if kind == "mkstemp" and len(target.elts) == 2:
                fd_key, path_key = (keys.key(e) for e in target.elts)
                needs = ("fd:" + (fd_key or ""), "path:" + (path_key or ""))
            else:
                needs = ()
            return Acquisition(kind=kind, node=node, method=function, role=role, statement=statement,
                               description=description, keys=tkeys, spelled=spelled, has_dir=has_dir,
                               needs=needs)
        tkey = keys.key(target)
        if kind in ACTIVATION and not self._activated(tkey, ACTIVATION[kind]):
            return None  # a Thread never started, an HTTPConnection never connected: nothing to release
        return Acquisition(kind=kind, node=node, method=function, role=role, statement=statement,
                           description=description, keys=(tkey,) if tkey else (), spelled=dotted(target),
                           has_dir=has_dir)

    def _activated(self, key: str | None, verbs: frozenset[str]) -> bool:
        return key is not None and any(r.key == key and r.verb in verbs for r in self.life.releases)

    # ---------------------------------------------------------------- verdicts
    def resolve(self, functions: list[FunctionNode]) -> None:
        by_key: dict[str, list[ReleaseSite]] = {}
        for site in self.life.releases:
            by_key.setdefault(site.key, []).append(site)
        stopall_here = any(s.verb == "stopall" for s in self.life.releases
                           if s.registered or (s.method is not None and s.method.name in self.life.teardown_methods))
        facts = self.life.facts
        for acq in self.life.acquisitions:
            acq.escaped = self._escapes(acq, functions)
            if acq.kind == "patcher":
                acq.released_by = self._verdict(acq, by_key, RELEASE_METHODS["patcher"])
                if acq.released_by is None:
                    local_stopall = any(s.verb == "stopall" and s.method is acq.method
                                        for s in self.life.releases)
                    if stopall_here or local_stopall or (facts is not None and facts.stopall is True):
                        acq.released_by = "mock.patch.stopall"
                continue
            if acq.kind in ("tempdir", "mkstemp", "tempfile") and not acq.has_dir \
                    and facts is not None and facts.nested_tempfile is True and acq.kind == "tempdir":
                acq.released_by = "fixtures.NestedTempfile"
                continue
            if acq.has_dir and acq.kind in ("tempdir", "tempfile"):
                acq.released_by = "its dir="
                continue
            if acq.kind == "tempdir":
                acq.released_by = self._verdict(acq, by_key, frozenset(REMOVERS))
            elif acq.kind == "mkstemp":
                acq.released_by = self._mkstemp_verdict(acq, by_key)
            elif acq.kind == "tempfile":
                acq.released_by = self._verdict(acq, by_key, frozenset(REMOVERS))
            else:
                acq.released_by = self._verdict(acq, by_key, RELEASE_METHODS.get(acq.kind, frozenset()))

    def _counts(self, site: ReleaseSite, acq: Acquisition) -> bool:
        if site.method is not None and site.method is not acq.method and method_role(site.method) == "test":
            return False  # a cleanup registered in another test runs after that test only
        if site.method is not None and site.method is acq.method and self._rebound(site, acq):
            return False
        if site.registered and site.method is not None and acq.method is not None \
                and method_role(site.method) == "setUp" and method_role(acq.method) == "test" \
                and not _late(site):
            return False  # setUp's `addCleanup(self.conn.close)` closes setUp's object, not one the test binds
        if site.registered:
            return True
        if site.method is not None and site.method.name in self.life.teardown_methods:
            return True
        return site.method is acq.method

    def _rebound(self, site: ReleaseSite, acq: Acquisition) -> bool:
        """Whether the release in the acquiring method reaches another object bound to the same name.

        `conn = A(); self.addCleanup(conn.close); conn = B()` closes A only, and `conn = A(); conn = B();
        conn.close()` closes B only (unless the two bindings are alternatives: if/else, except clauses).
        A lambda reads the name when the cleanup runs, so it releases the last binding, never an earlier one.
        """
        line = getattr(site.node, "lineno", None)
        if line is None or site.method is None:
            return False
        if acq.method is not None and _alternatives(acq.statement, site.node, acq.method):  # type: ignore[arg-type]
            return True  # `if a: x = A() else: x = B(); addCleanup(x.close)`: the cleanup is for B only
        late = _late(site)
        if not late and acq.kind == "patcher":
            # A patcher's name holds the patcher of its last patch(...) assignment (`m = patch(a); m.start();
            # m = patch(b); addCleanup(m.stop)` stops b's patcher only, wherever the starts are).
            assignments = self._patcher_assignments(site.key, site.method)
            acquired_from = _last_before(assignments, acq.statement.lineno)
            released_from = _last_before(assignments, line)
            if acquired_from is not None and released_from is not None:
                return acquired_from is not released_from \
                    and not _alternatives(acquired_from, released_from, site.method)
        for other in self.life.acquisitions:
            if other is acq or other.method is not acq.method or site.key not in other.keys:
                continue
            if not late and other.statement.lineno <= line < acq.statement.lineno:
                return True  # the release came before this binding
            if acq.statement.lineno < other.statement.lineno <= line \
                    and not _alternatives(acq.statement, other.statement, site.method):
                return True  # rebound before the release
        return False

    def _patcher_assignments(self, key: str, function: FunctionNode) -> list[ast.Assign]:
        """The assignments of a patch(...) call in a function that bind `key`, in source order (read once)."""
        memo_key = ("lifecycle.patcher_assignments", id(function))
        by_key: dict[str, list[ast.Assign]] | None = self.ctx.memo.get(memo_key)  # type: ignore[assignment]
        if by_key is None:
            keys = _Keys(function)
            by_key = {}
            patches = [n for n in nodes_of(function, ast.Assign)
                       if _is_patcher_call(n.value, self.ctx)]  # type: ignore[attr-defined]
            for node in sorted(patches, key=lambda n: n.lineno):
                for target in node.targets:  # type: ignore[attr-defined]
                    k = keys.key(target)
                    if k:
                        by_key.setdefault(k, []).append(node)  # type: ignore[arg-type]
            self.ctx.memo[memo_key] = by_key
        return by_key.get(key, [])

    def _verdict(self, acq: Acquisition, by_key: dict[str, list[ReleaseSite]], verbs: frozenset[str]) -> str | None:
        """How the acquisition is released, or None. A patcher's release in the acquiring method serves one
        start there, the last before it (a patcher started twice needs two stops)."""
        one_each = acq.kind == "patcher"
        best: str | None = None
        for key in acq.keys:
            for site in by_key.get(key, ()):
                if (site.verb in verbs or site.verb in ("__exit__", "helper")) and self._counts(site, acq) \
                        and not (one_each and self._serves_another_start(site, acq)):
                    if site.registered:
                        return "cleanup"
                    best = best or ("tearDown" if site.method is not acq.method else "same function")
        return best

    def _serves_another_start(self, site: ReleaseSite, acq: Acquisition) -> bool:
        """Whether a release in the acquiring method belongs to another start there of the same patcher: the
        last start before it (the first after it when none is before), unless the two are alternatives."""
        method, line = acq.method, getattr(site.node, "lineno", None)
        if method is None or site.method is not method or line is None:
            return False
        starts = sorted((a for a in self.life.acquisitions if a.kind == "patcher" and a.method is method
                         and site.key in a.keys and not self._rebound(site, a)),
                        key=lambda a: a.statement.lineno)
        before = [a for a in starts if a.statement.lineno <= line]
        owner = before[-1] if before else starts[0] if starts else acq
        return owner is not acq and not _alternatives(owner.statement, acq.statement, method)

    def _mkstemp_verdict(self, acq: Acquisition, by_key: dict[str, list[ReleaseSite]]) -> str | None:
        if not acq.needs:
            return self._verdict(acq, by_key, frozenset(REMOVERS | FD_CLOSERS))
        fd_key, path_key = (n.split(":", 1)[1] for n in acq.needs)
        fd_ok = any(s.verb in FD_CLOSERS | {"helper"} and self._counts(s, acq) for s in by_key.get(fd_key, ()))
        path_ok = acq.has_dir or any(s.verb in REMOVERS and self._counts(s, acq)
                                     for s in by_key.get(path_key, ()))
        if fd_ok and path_ok:
            return "cleanup"
        acq.needs = tuple(n for n, ok in (("fd", fd_ok), ("path", path_ok)) if not ok)
        return None

    def _escapes(self, acq: Acquisition, functions: list[FunctionNode]) -> bool:
        """A local handed elsewhere (returned, yielded, stored, appended) is not this method's to release."""
        if not acq.keys or acq.method is None:
            return False
        local = [k for k in acq.keys if not k.startswith("@.")]
        names = {k.split(":", 1)[1] for k in local}
        receiver = first_param(acq.method)
        attrs = {f"{receiver}.{k[2:]}" for k in acq.keys if k.startswith("@.")}
        is_fixture = self.ctx.is_pytest_fixture(acq.method)
        acquired = {id(a.node) for a in self.life.acquisitions}  # `self.b = m.start()` is a start, not an alias

        def mentions(value: ast.AST) -> bool:
            return any((isinstance(n, ast.Name) and n.id in names)
                       or (isinstance(n, ast.Attribute) and dotted(n) in attrs) for n in ast.walk(value))

        for node in nodes_of(acq.method, ast.Return, ast.Yield, ast.YieldFrom, ast.Assign, ast.Call):
            values: list[ast.AST] = []
            if isinstance(node, ast.Return) and node.value is not None:
                values = [node.value]
            elif isinstance(node, (ast.Yield, ast.YieldFrom)) and node.value is not None and not is_fixture:
                values = [node.value]
            elif isinstance(node, ast.Assign) and id(node.value) not in acquired and (
                    isinstance(node.value, (ast.List, ast.Tuple, ast.Dict, ast.Set))
                    or (names and not all(isinstance(t, ast.Name) for t in node.targets))):
                values = [node.value]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("append", "extend", "add", "put", "insert", "setdefault"):
                values = list(node.args)
            for value in values:
                if mentions(value):
                    if isinstance(node, ast.Assign):
                        for target in node.targets:  # self.x = local: follow the alias
                            spelled = dotted(target)
                            if spelled and spelled.split(".", 1)[0] in ("self", "cls") and "." in spelled:
                                acq.keys = acq.keys + ("@." + spelled.split(".", 1)[1],)
                                return False
                    return True
        return False


def _last_before(statements: list[ast.Assign], line: int) -> ast.Assign | None:
    """The last of some statements (in source order) that starts at or before `line`."""
    found = None
    for statement in statements:
        if statement.lineno > line:
            break
        found = statement
    return found


def _late(site: ReleaseSite) -> bool:
    """A cleanup that reads the name when it runs (a lambda), not when it is registered."""
    return isinstance(site.node, ast.Call) and any(isinstance(a, ast.Lambda) for a in site.node.args)


def _alternatives(first: ast.stmt, second: ast.stmt, function: FunctionNode) -> bool:
    """Whether two statements of a function sit in different branches of one if/try/match."""
    parents = parents_within(function)
    path: list[ast.AST] = [first]
    while id(path[-1]) in parents:
        path.append(parents[id(path[-1])])
    index = {id(node): i for i, node in enumerate(path)}
    below: ast.AST = second
    while id(below) not in index and id(below) in parents and id(parents[id(below)]) not in index:
        below = parents[id(below)]
    common = parents.get(id(below))
    if common is None or id(common) not in index or index[id(common)] == 0:
        return False
    mine = path[index[id(common)] - 1]

    def branch(child: ast.AST) -> tuple[str, int]:
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            items = getattr(common, name, None) or []
            for i, item in enumerate(items):
                if item is child:
                    return name, i if name in ("handlers", "cases") else 0
        return "", 0

    a, b = branch(mine), branch(below)
    if isinstance(common, ast.If):
        return a[0] != b[0]
    if isinstance(common, ast.Match):
        return a != b
    if isinstance(common, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        return a != b and (a[0] == b[0] == "handlers" or {a[0], b[0]} == {"handlers", "orelse"})
    return False


def _may_release_directly(call: ast.Call, func: ast.expr, ctx: "ModuleContext") -> bool:
    """Whether `_release_callable` can find a release in a direct call, judged without its qualified name: a
    known remover or closer, a name with a release word, a verb recorded on an object, or a method of the class."""
    own = ctx.imports.called_name(call) or ""
    if own in _RELEASER_NAMES or _RELEASE_WORD.search(own.lower()):
        return True
    return isinstance(func, ast.Attribute) and (func.attr in _RECORDED_VERBS or (
        isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")))


def _teardown_closure(cls_methods: dict[str, FunctionNode], ctx: "ModuleContext") -> set[str]:
    """Names of methods that run at teardown: tearDown & co, registered cleanups, and what they call."""
    names = {n for n in cls_methods if n in TEARDOWN_METHODS or "teardown" in n.lower() or "cleanup" in n.lower()}
    for function in cls_methods.values():
        for node in nodes_of(function, ast.Call):
            if isinstance(node.func, ast.Attribute) and node.func.attr in CLEANUP_REGISTRARS and node.args:
                target = node.args[0]
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id in ("self", "cls") and target.attr in cls_methods:
                    names.add(target.attr)
                elif isinstance(target, ast.Name) and target.id in cls_methods:
                    names.add(target.id)
    todo = list(names)
    while todo:
        function = cls_methods.get(todo.pop())
        if function is None:
            continue
        for node in nodes_of(function, ast.Call):
            callee = node.func
            name = None
            if isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name) \
                    and callee.value.id in ("self", "cls"):
                name = callee.attr
            elif isinstance(callee, ast.Name):
                name = callee.id
            if name in cls_methods and name not in names:
                names.add(name)
                todo.append(name)
    return names


def _build(functions: list[FunctionNode], acquiring: list[FunctionNode], ctx: "ModuleContext",
           facts: ClassFacts | None) -> ClassLifecycle:
    builder = _Builder(ctx, facts)
    by_name = {f.name: f for f in functions}
    builder.life.teardown_methods = _teardown_closure(by_name, ctx)
    # No call of the module has a name an acquisition could have: no need to look at each call.
    may_acquire = not ctx.called_names.isdisjoint(_MAY_ACQUIRE_NAMES)
    if not may_acquire or not any(builder._may_acquire(call) for function in acquiring  # type: ignore[arg-type]
                                  for call in nodes_of(function, ast.Call)):
        return builder.life  # nothing acquired: no need to look for releases
    builder.collect_patcher_bindings(functions)
    builder.collect_releases(functions)
    for function in acquiring:
        if function.name in builder.life.teardown_methods or function.name.startswith("__"):
            continue  # what __init__ and other dunders make belongs to the object, not to one test
        builder.collect_acquisitions(function, method_role(function))
    builder.resolve(functions)
    return builder.life


def build_class_lifecycle(cls: ast.ClassDef, ctx: "ModuleContext") -> ClassLifecycle:
    """Acquisitions and releases of a TestCase or Fixture class, through its bases in this file."""
    facts = ctx.class_facts(cls)
    all_functions = [f for klass in facts.local_mro for f in methods(klass).values()]
    own = list(methods(cls).values())
    return _build(all_functions, own, ctx, facts)


def build_module_lifecycle(ctx: "ModuleContext") -> ClassLifecycle:
    """Acquisitions of module-level test functions, pytest fixtures and setUpModule."""
    functions = [n for n in ctx.tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    acquiring = [f for f in functions if f.name.startswith("test") or f.name == "setUpModule"
                 or ctx.is_pytest_fixture(f)]
    return _build(functions, acquiring, ctx, None)
