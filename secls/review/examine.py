"""What the review examined in a module, per category, computed from the module's code."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from collections.abc import Callable, Iterable

from secls.analysis.context import ModuleContext
from secls.review.model import ClassLifecycleSummary
from secls.review.resources import Held
from secls.rules.error_handling.common import broad_name
from secls.rules.mocking.patches import has_spec, patch_call
from secls.rules.mocking.sec801_security_control_patched import control_word
from secls.rules.secrets.common import is_secret_name, target_name

Family = tuple[str, Callable[[str, str], bool]]

_INPUT_SINKS: tuple[Family, ...] = (
    ("eval/exec", lambda q, last: q in ("eval", "exec", "compile", "builtins.eval", "builtins.exec",
                                        "builtins.compile")),
    ("subprocess or the shell", lambda q, last: q.startswith(("subprocess.", "os.spawn", "os.exec",
                                                              "asyncio.create_subprocess", "commands."))
     or q in ("os.system", "os.popen")),
    ("SQL execution", lambda q, last: last in ("execute", "executemany", "executescript", "mogrify", "RawSQL")),
    ("deserialisers", lambda q, last: q.startswith(("pickle.", "_pickle.", "marshal.", "shelve.", "dill.",
                                                    "jsonpickle.", "cloudpickle."))
     or q in ("yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.full_load", "pandas.read_pickle",
              "torch.load", "numpy.load")),
    ("XML parsers", lambda q, last: q.startswith(("xml.", "lxml.", "xmlrpc."))),
    ("archive extraction", lambda q, last: last in ("extract", "extractall", "unpack_archive")),
    ("templates", lambda q, last: q.startswith(("jinja2.", "mako.", "django.template.", "markupsafe."))
     or last in ("mark_safe", "render_template_string")),
    ("URL openers", lambda q, last: q.startswith(("urllib.request.", "urllib2.", "six.moves.urllib.request."))),
)
_ACCESS_CALLS: tuple[Family, ...] = (
    ("file permissions", lambda q, last: q in ("os.chmod", "os.fchmod", "os.lchmod", "os.mkdir", "os.makedirs",
                                               "os.umask", "os.open") or last in ("chmod", "lchmod")),
    ("sockets and servers", lambda q, last: q.startswith(("socket.", "socketserver.", "http.server."))
     or last in ("bind", "run_simple", "make_server")),
    ("network clients and TLS", lambda q, last: q.startswith((
        "requests.", "httpx.", "urllib3.", "ssl.", "paramiko.", "aiohttp.", "http.client.", "ftplib.",
        "telnetlib.", "smtplib."))),
    ("hashes and ciphers", lambda q, last: q.startswith(("hashlib.", "hmac.", "Crypto.", "Cryptodome.",
                                                         "cryptography."))),
)
_FLOW_CALLS: tuple[Family, ...] = (
    ("file-existence check", lambda q, last: q in ("os.path.exists", "os.path.isfile", "os.path.isdir",
                                                    "os.path.lexists", "os.access")),
    ("temporary-name call", lambda q, last: q in ("tempfile.mktemp", "os.tempnam", "os.tmpnam")),
    ("random-number call", lambda q, last: q.startswith(("random.", "numpy.random."))),
)
_PATCH_KINDS = {"patch": "mock.patch", "object": "mock.patch.object", "multiple": "mock.patch.multiple",
                "dict": "mock.patch.dict", "fixture": "fixtures.MockPatch", "fixture_object": "fixtures.MockPatchObject",
                "monkeypatch_fixture": "fixtures.MonkeyPatch", "monkeypatch": "monkeypatch.setattr",
                "stub_out": "self.stub_out", "helper": "self.patch"}


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _lines(numbers: Iterable[int], limit: int = 8) -> str:
    ordered = sorted(set(numbers))
    shown = ", ".join(str(n) for n in ordered[:limit]) + (", ..." if len(ordered) > limit else "")
    return ("line " if len(ordered) == 1 else "lines ") + shown


class Module:
    """The nodes of a module by type, read once, with the qualified name of every call."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self.nodes: dict[type, list[ast.AST]] = {}
        for node in ast.walk(ctx.tree):
            self.nodes.setdefault(type(node), []).append(node)
        self.calls: list[tuple[ast.Call, str, str]] = [
            (call, ctx.call_name(call) or "", ctx.imports.called_name(call) or "")
            for call in self.of(ast.Call)]  # type: ignore[misc]

    def of(self, *types: type) -> list[ast.AST]:
        """Every node of these types."""
        return [n for t in types for n in self.nodes.get(t, [])]

    def families(self, families: tuple[Family, ...]) -> list[tuple[str, list[int]]]:
        """For each family of calls, the lines calling it."""
        return [(name, [c.lineno for c, q, last in self.calls if test(q, last)]) for name, test in families]


def _family_lines(found: list[tuple[str, list[int]]], total: int, none_text: str) -> tuple[str, ...]:
    hits = [f"{_plural(len(lines), 'call')} to {name} ({_lines(lines)})" for name, lines in found if lines]
    if not hits:
        names = [name for name, _ in found]
        return (f"No calls to {', '.join(names[:-1])} or {names[-1]} among the "
                f"{_plural(total, 'call')} examined{none_text}.",)
    return (f"{_plural(total, 'call')} examined; " + "; ".join(hits) + ".",)


def input_validation(module: Module) -> tuple[str, ...]:
    """Calls to code-execution, shell, SQL, deserialisation, XML, archive, template and URL sinks."""
    return _family_lines(module.families(_INPUT_SINKS), len(module.calls), "")


def _docstrings(module: Module) -> set[int]:
    scopes = [module.ctx.tree, *module.of(ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)]
    out = set()
    for scope in scopes:
        body = getattr(scope, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            out.add(id(body[0].value))
    return out


def secrets(module: Module) -> tuple[str, ...]:
    """String literals, and the names values are bound to, examined for credentials."""
    docstrings = _docstrings(module)
    literals = [n for n in module.of(ast.Constant) if isinstance(n.value, (str, bytes))  # type: ignore[attr-defined]
                and id(n) not in docstrings]
    names: list[tuple[str, int]] = []
    for node in module.of(ast.Assign, ast.AnnAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
        names.extend((name, node.lineno) for name in map(target_name, targets) if name)
    names.extend((k.arg, k.value.lineno) for k in module.of(ast.keyword) if k.arg)  # type: ignore[attr-defined]
    secret = sorted({(n, line) for n, line in names if is_secret_name(n)}, key=lambda nl: nl[1])
    found = (f"{_plural(len(secret), 'credential-like name')}: "
             + ", ".join(f"`{n}` (line {line})" for n, line in secret[:8]) if secret
             else "none looks like a credential")
    return (f"{_plural(len(literals), 'string literal')} (docstrings aside) examined for credential formats "
            "and high-entropy values.",
            f"{_plural(len(names), 'assignment and keyword argument', 'assignments and keyword arguments')} "
            f"examined for credential names; {found}.")


def resources(module: Module, classes: list[ClassLifecycleSummary], held: list[Held]) -> tuple[str, ...]:
    """setUp methods, acquisitions and how each was released."""
    setups = sum(len(c.setup_methods) for c in classes)
    lines = [f"{_plural(len(classes), 'TestCase class', 'TestCase classes')}, "
             f"{_plural(setups, 'setUp method')}"
             + (f" ({', '.join(f'{c.name}.{m}' for c in classes for m in c.setup_methods)})" if setups else "")
             + "."]
    stopall = Counter(c.stopall for c in classes)
    if stopall[True] or stopall[None]:
        lines.append(f"Bases stop every started patcher (mock.patch.stopall) in {stopall[True]} of "
                     f"{_plural(len(classes), 'class', 'classes')}" + (f"; unknown for {stopall[None]} (bases not resolved)" if stopall[None] else "")
                     + ".")
    if not held:
        lines.append("No acquisitions of patchers, fixtures, temporary files, handles, processes, threads or pools.")
        return tuple(lines)
    via = Counter(h.released_via for h in held if h.released_via)
    how = ", ".join(f"{n} via {name}" for name, n in sorted(via.items(), key=lambda kv: (-kv[1], kv[0])))
    leaked = [h.line for h in held if not h.released_via]
    if not leaked:
        lines.append(f"{_plural(len(held), 'acquisition')}, all released: {how}.")
    else:
        lines.append(f"{_plural(len(held), 'acquisition')}, {len(held) - len(leaked)} released"
                     + (f" ({how})" if how else "") + f", {len(leaked)} not released ({_lines(leaked)}).")
    return tuple(lines)


def error_handling(module: Module) -> tuple[str, ...]:
    """try statements, their handlers (how broad) and finally blocks."""
    tries = module.of(ast.Try, ast.TryStar)
    if not tries:
        return ("No try statements: nothing catches or swallows errors.",)
    handlers = [h for t in tries for h in t.handlers]  # type: ignore[attr-defined]
    broad = [h.lineno for h in handlers if broad_name(h, module.ctx)]
    finals = sum(1 for t in tries if t.finalbody)  # type: ignore[attr-defined]
    return (f"{_plural(len(tries), 'try statement')}, {_plural(len(handlers), 'except handler')} "
            f"({len(broad)} broad" + (f": {_lines(broad)}" if broad else "") + f"), "
            f"{_plural(finals, 'finally block')}.",)


def dependencies(module: Module) -> tuple[str, ...]:
    """Imported modules: standard library, first-party (the file's own package) and third-party."""
    tops: dict[str, int] = {}
    relative = 0
    for node in module.of(ast.Import, ast.ImportFrom):
        if isinstance(node, ast.ImportFrom) and node.level:
            relative += 1
            continue
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]  # type: ignore[attr-defined]
        for name in names:
            tops.setdefault(name.split(".")[0], node.lineno)
    path = module.ctx.path
    own = set(path.parts[:-1]) if path is not None else set()
    groups: dict[str, list[str]] = {"third-party": [], "first-party": [], "standard library": []}
    for top in sorted(tops):
        group = ("standard library" if top in sys.stdlib_module_names or top == "__future__"
                 else "first-party" if top in own else "third-party")
        groups[group].append(top)
    if not tops and not relative:
        return ("No imports.",)
    out = [f"{_plural(len(mods), f'{group} module')} imported: {', '.join(mods)}." if mods
           else f"No {group} modules imported." for group, mods in groups.items()]
    if relative:
        out.append(f"{_plural(relative, 'relative import')} (first-party).")
    out.append("Known vulnerabilities depend on the installed versions: run `secls check` on the "
               "requirement files (SEC502, SEC503).")
    return tuple(out)


def execution_flow(module: Module) -> tuple[str, ...]:
    """Assertions, check-then-use candidates, temporary names and random numbers."""
    asserts = module.of(ast.Assert)
    found = module.families(_FLOW_CALLS)
    parts = [_plural(len(asserts), "assert statement")
             + (" (test code: assertions are the test)" if asserts and module.ctx.is_test_path else "")]
    parts += [_plural(len(lines), name) + (f" ({_lines(lines)})" if lines else "") for name, lines in found]
    return ("; ".join(parts) + ".",)


def access_control(module: Module) -> tuple[str, ...]:
    """Calls that set permissions, bind sockets, talk to the network or hash and encrypt."""
    return _family_lines(module.families(_ACCESS_CALLS), len(module.calls),
                         "; nothing here sets permissions or opens a connection")


def mocking(module: Module) -> tuple[str, ...]:
    """Patches by spelling, those of security controls, and those that say what the mock looks like."""
    patches = [p for p in (patch_call(c, module.ctx) for c, _, _ in module.calls) if p is not None]
    if not patches:
        return ("No patches or mocks installed.",)
    kinds = Counter(_PATCH_KINDS.get(p.kind, p.kind) for p in patches)
    lines = [f"{_plural(len(patches), 'patch', 'patches')}: "
             + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))) + "."]
    controls: dict[str, list[str]] = {}
    for p in patches:
        word = control_word(p.target) if p.target and p.kind != "dict" else None
        if word is not None and p.target:
            controls.setdefault(word, []).append(p.target)
    if controls:
        count = sum(map(len, controls.values()))
        verb = "replaces a security control" if count == 1 else "replace security controls"
        lines.append(f"{count} of them {verb}: " + "; ".join(
            f"{_plural(len(targets), f'{word} function')} ({', '.join(f'`{t}`' for t in targets)})"
            for word, targets in controls.items()) + ".")
    else:
        lines.append("None of a security control (auth, policy, privsep, tokens, signatures...).")
    specced = sum(1 for p in patches if has_spec(p))
    lines.append(f"{specced} of {len(patches)} say what the replacement looks like (autospec, spec or new).")
    return tuple(lines)
