"""SEC107 template-injection: templates without autoescaping, markup marked safe."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import CALLS, CATEGORY, argument, called, is_literal, keyword

DOCS = """\
# SEC107 template-injection

## What it finds

`jinja2.Environment`/`jinja2.Template` created without `autoescape` or with `autoescape=False`;
Mako templates (`mako.template.Template`, `mako.lookup.TemplateLookup`), which do not escape by
default; Django `mark_safe`/`SafeString`/`SafeText` and `Markup` (markupsafe, flask, jinja2) of a
non-literal. `autoescape=True`, `autoescape=select_autoescape(...)` and literal arguments are fine.

## Why it matters

Without escaping, a value containing `<script>` becomes part of the page: stored or reflected
cross-site scripting (CWE-79). Marking a value as safe switches escaping off for exactly the value
that needed it.

## Example

```python
env = jinja2.Environment(loader=jinja2.FileSystemLoader("templates"))   # SEC107
```

## Fix

`jinja2.Environment(..., autoescape=True)` or `autoescape=select_autoescape()`; the quick fix adds
`autoescape=True`, which changes the output of templates that print markup from variables. For
Mako, pass `default_filters=["h"]`. Build markup with `format_html`/`Markup.format`, which escape
their arguments, instead of marking a built string safe. Cross-references: bandit B308, B701,
B702, B703, B704; ruff S308, S701, S702, S704; CWE-79.
"""

FIX_TITLE = "Add autoescape=True (changes behaviour)"
JINJA = frozenset({"jinja2.Environment", "jinja2.Template", "jinja2.environment.Environment",
                   "jinja2.environment.Template", "jinja2.sandbox.SandboxedEnvironment"})
MAKO = frozenset({"mako.template.Template", "mako.lookup.TemplateLookup"})
MARK_SAFE = frozenset({
    "django.utils.safestring.mark_safe", "django.utils.safestring.SafeString",
    "django.utils.safestring.SafeText", "django.utils.html.mark_safe", "markupsafe.Markup", "flask.Markup",
    "jinja2.Markup", "jinja2.utils.Markup",
})
ESCAPERS = frozenset({"bleach.clean", "markupsafe.escape", "html.escape", "django.utils.html.escape",
                      "django.utils.html.format_html", "flask.escape", "jinja2.escape"})
_SHORT = frozenset(n.rsplit(".", 1)[1] for n in JINJA | MAKO | MARK_SAFE) | {"render_template_string",
                                                                          "from_string"}
SINK_NAMES = _SHORT


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report unescaped templates and markup of non-literals marked safe."""
    assert isinstance(node, ast.Call)
    short = called(node, ctx)
    if short not in _SHORT or short in ("render_template_string", "from_string"):
        return
    name = ctx.call_name(node) or ""
    if name in JINJA:
        escape = keyword(node, "autoescape")
        if escape is None:
            if any(k.arg is None for k in node.keywords):
                return  # **options may carry it
            yield ctx.report(RULE, node, f"`{name}` without `autoescape`: values are inserted unescaped",
                             fix=FIX_TITLE, fix_safe=False)
        elif isinstance(escape.value, ast.Constant) and not escape.value.value:
            yield ctx.report(RULE, node, f"`{name}` with `autoescape=False`: values are inserted unescaped",
                             fix=FIX_TITLE, fix_safe=False)
        elif isinstance(escape.value, ast.Call) and not (ctx.call_name(escape.value) or "").endswith(
                "select_autoescape"):
            yield ctx.report(RULE, node, f"`{name}` with `autoescape` from a call: check that it turns escaping on",
                             severity=Severity.INFO)
    elif name in MAKO:
        if keyword(node, "default_filters") is None:
            yield ctx.report(RULE, node, f"`{name}` does not escape by default: pass `default_filters=['h']`")
    elif name in MARK_SAFE or (short == "Markup" and name.endswith(".Markup")):
        value = argument(node, 0, "object") or argument(node, 0, "s")
        if isinstance(value, ast.Call) and ctx.call_name(value) in ESCAPERS:
            return
        if value is not None and not is_literal(value):
            yield ctx.report(RULE, node, f"`{short}` of a non-literal switches escaping off for it")


def sink_argument(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The template source or markup argument of a call (for SEC109)."""
    short = called(call, ctx)
    if short not in _SHORT:
        return None
    if short == "from_string":
        return argument(call, 0, "source")
    name = ctx.call_name(call) or ""
    if name in JINJA or name in MAKO or name in MARK_SAFE or name == "flask.render_template_string":
        return argument(call, 0, "source")
    return None


RULE = Rule(
    code="SEC107", name="template-injection", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=CALLS, check=check, calls=SINK_NAMES, bandit=("B308", "B701", "B702", "B703", "B704"),
    ruff=("S308", "S701", "S702", "S704"), cwe=("CWE-79",), fix_title=FIX_TITLE,
)
