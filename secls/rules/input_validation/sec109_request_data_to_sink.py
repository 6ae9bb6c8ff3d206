"""SEC109 request-data-to-sink: request data reaching a dangerous call in the same function."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation import (
    sec101_eval_exec,
    sec102_shell_injection,
    sec103_sql_injection,
    sec104_unsafe_deserialization,
    sec105_xml_external_entities,
    sec107_template_injection,
)
from secls.rules.input_validation.common import CALLS, CATEGORY, argument, called, short_name
from secls.rules.input_validation.taint import function_taint, may_have_sources

DOCS = """\
# SEC109 request-data-to-sink

## What it finds

A value read from request data (flask's `request.*`, Django's `request.GET`/`POST`/`body`/
`COOKIES`/`FILES`/`META`/`headers`, `sys.argv`, `input()`) that reaches, through assignments in the
same function, the code of `eval`/`exec` (SEC101), a shell command (SEC102), SQL (SEC103), a
deserialiser (SEC104), an XML parser (SEC105), a template or markup (SEC107), or a file path
(`open`, `os.path.join`). The diagnostic lists every step as related information. Values passed
through a sanitiser (`int()`, `float()`, `shlex.quote`, `os.path.basename`,
`werkzeug.utils.secure_filename`, `html.escape`) or checked with a regex `fullmatch` are not
followed.

## Why it matters

Every injection is untrusted data meeting an interpreter. When the data comes straight from the
request, anyone who can send one controls the command, the query, or the file that is opened
(CWE-20, CWE-22, CWE-78, CWE-89, CWE-94).

## Example

```python
@app.route("/logs")
def logs():
    name = request.args["name"]
    path = os.path.join(LOG_DIR, name)
    return open(path).read()   # SEC109: `../../etc/passwd`
```

## Fix

Convert or validate the value where it enters: `int(...)` for numbers, an allow-list or a regex
`fullmatch` for names, `os.path.basename`/`secure_filename` for file names, `shlex.quote` for shell
words; better still, avoid the interpreter (argument lists, bound SQL parameters). The analysis is
intra-procedural: a flow through another function is not followed. Cross-references: CWE-20.
"""

PATH_SINKS = frozenset({"open", "io.open", "codecs.open", "os.open", "builtins.open"})
_SINKS: tuple[tuple[str, Callable[[ast.Call, ModuleContext], ast.expr | None]], ...] = (
    ("code run by `{}`", sec101_eval_exec.sink_argument),
    ("shell command of `{}`", sec102_shell_injection.sink_argument),
    ("SQL run by `{}`", sec103_sql_injection.sink_argument),
    ("data deserialised by `{}`", sec104_unsafe_deserialization.sink_argument),
    ("XML parsed by `{}`", sec105_xml_external_entities.sink_argument),
    ("template or markup of `{}`", sec107_template_injection.sink_argument),
)


# Every called name (last part) that some sink above answers to; other calls are skipped at once.
_SINK_NAMES = frozenset({
    "open", "join", *sec101_eval_exec.BUILTINS, *sec102_shell_injection.SINK_NAMES,
    *sec103_sql_injection.SINK_METHODS, *sec104_unsafe_deserialization.SINK_NAMES,
    *sec105_xml_external_entities.SINK_NAMES, *sec107_template_injection.SINK_NAMES,
})


def _path_arguments(call: ast.Call, ctx: ModuleContext) -> list[tuple[ast.expr, str]]:
    """The path arguments of `open` and `os.path.join`, with how the sink is described."""
    short = short_name(call)
    if short == "open" or short == "join":
        name = ctx.call_name(call)
        if name in PATH_SINKS:
            first = argument(call, 0, "file")
            if first is None or isinstance(first, ast.Call) and ctx.call_name(first) == "os.path.join":
                return []  # the join reports the flow
            return [(first, "path opened by `{}`")]
        if name == "os.path.join":
            return [(a, "path joined by `os.path.{}`") for a in call.args[1:]]
    return []


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report request data that reaches a sink through the function's assignments."""
    assert isinstance(node, ast.Call)
    if not may_have_sources(ctx) or (
            called(node, ctx) not in _SINK_NAMES and not any(k.arg == "shell" for k in node.keywords)):
        return
    candidates = _path_arguments(node, ctx)
    if not candidates:
        for what, sink in _SINKS:
            value = sink(node, ctx)
            if value is not None:
                candidates.append((value, what))
                break
    if not candidates:
        return
    taint = function_taint(ctx)
    for value, what in candidates:
        flow = taint.of(value)
        if not flow:
            continue
        sink_name = short_name(node) or "call"
        related = tuple((s.node, s.message) for s in flow) + ((value, f"reaches the {what.format(sink_name)}"),)
        source = flow[0].message.split(": ", 1)[-1]
        yield ctx.report(RULE, value, f"request data ({source}) reaches the {what.format(sink_name)}",
                         related=related)
        return


RULE = Rule(
    code="SEC109", name="request-data-to-sink", category=CATEGORY, severity=Severity.ERROR, docs=DOCS,
    nodes=CALLS, check=check, cwe=("CWE-20",), calls=_SINK_NAMES, call_keywords=frozenset({"shell"}),
)
