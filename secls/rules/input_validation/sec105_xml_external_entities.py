"""SEC105 xml-external-entities: standard-library and lxml XML parsers on non-literal data."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.input_validation.common import CALLS, CATEGORY, argument, called, is_literal

DOCS = """\
# SEC105 xml-external-entities

## What it finds

Parse functions of `xml.etree.ElementTree`/`cElementTree`, `xml.dom.minidom`, `xml.dom.pulldom`,
`xml.sax`, `xml.dom.expatbuilder`, `xml.sax.expatreader` and `lxml.etree` applied to a file or stream
(`parse`) or to a document (`fromstring`, `parseString`), and the parser factories (`make_parser`,
`XMLParser`). `defusedxml.*` is fine. A document that is a literal in the source is only a note (the
parser is safe as written, until the literal becomes input). In test code these are hints: tests
parse documents that they or the code under test wrote.

## Why it matters

XML can declare entities that expand exponentially ("billion laughs") or, with some parsers, read
local files and fetch URLs (XXE). Parsing untrusted XML with these parsers lets the document
exhaust memory or leak files (CWE-611).

## Example

```python
tree = xml.etree.ElementTree.parse(upload)   # SEC105
```

## Fix

Use the `defusedxml` equivalent, which refuses entity declarations and external references; the
quick fix swaps the call (`defusedxml.ElementTree.parse(upload)`) and adds the import. This adds
the `defusedxml` dependency and rejects documents with DTD entities, so it is marked as
changing behaviour. Cross-references: bandit B313–B320; ruff S313–S320; CWE-611.
"""

# stdlib parser -> (bandit ID, defusedxml equivalent or "" when there is none)
PARSERS: dict[str, tuple[str, str]] = {}
for _module, _bandit, _safe in (("xml.etree.cElementTree", "B313", "defusedxml.cElementTree"),
                                ("xml.etree.ElementTree", "B314", "defusedxml.ElementTree")):
    for _fn in ("parse", "iterparse", "fromstring", "XML", "XMLParser", "fromstringlist"):
        PARSERS[f"{_module}.{_fn}"] = (_bandit, f"{_safe}.{_fn}" if _fn != "fromstringlist" else "")
for _fn in ("parse", "parseString"):
    PARSERS[f"xml.dom.expatbuilder.{_fn}"] = ("B316", f"defusedxml.expatbuilder.{_fn}")
    PARSERS[f"xml.dom.minidom.{_fn}"] = ("B318", f"defusedxml.minidom.{_fn}")
    PARSERS[f"xml.dom.pulldom.{_fn}"] = ("B319", f"defusedxml.pulldom.{_fn}")
    PARSERS[f"xml.sax.{_fn}"] = ("B317", f"defusedxml.sax.{_fn}")
PARSERS["xml.sax.make_parser"] = ("B317", "defusedxml.sax.make_parser")
PARSERS["xml.sax.expatreader.create_parser"] = ("B315", "defusedxml.expatreader.create_parser")
for _fn in ("parse", "fromstring", "XML", "RestrictedElement", "GlobalParserTLS", "getDefaultParser",
            "check_docinfo", "XMLParser", "iterparse"):
    PARSERS[f"lxml.etree.{_fn}"] = ("B320", "")
_SHORT = frozenset(name.rsplit(".", 1)[1] for name in PARSERS)
SINK_NAMES = _SHORT
_NO_ARGUMENT = frozenset({"make_parser", "create_parser", "XMLParser", "getDefaultParser", "GlobalParserTLS"})
# These take the document itself: a literal document is trusted. The others take a file or stream to read.
_DOCUMENT_ARGUMENT = frozenset({"fromstring", "XML", "parseString", "fromstringlist"})


def xml_parser(call: ast.Call, ctx: ModuleContext) -> str | None:
    """The qualified name of the unsafe XML parse function a call calls."""
    short = called(call, ctx)
    if short not in _SHORT:
        return None
    name = ctx.call_name(call) or ""
    return name if name in PARSERS else None


def sink_argument(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The document argument of an unsafe XML parse call."""
    return argument(call, 0, "source") if xml_parser(call, ctx) else None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report unsafe XML parsers: warnings on data, notes on literal documents."""
    assert isinstance(node, ast.Call)
    name = xml_parser(node, ctx)
    if name is None:
        return
    short = name.rsplit(".", 1)[1]
    document = argument(node, 0, "source")
    if short not in _NO_ARGUMENT and document is None:
        return
    literal = short in _DOCUMENT_ARGUMENT and is_literal(document)
    safe = PARSERS[name][1]
    title = f"Use {safe} (changes behaviour)" if safe else False
    if literal:
        message = f"`{name}` of a literal document: safe as written, but it expands entities of any XML given to it"
    else:
        message = f"`{name}` expands entities of untrusted XML"
    message += f": use `{safe}`" if safe else ": parse with `resolve_entities=False, no_network=True`"
    data = {"safe": safe, "call": ctx.source.segment(node.func)}
    # Tests parse the documents they or the code under test wrote: not untrusted input.
    severity = Severity.HINT if ctx.is_test_code() else Severity.INFO if literal else None
    yield ctx.report(RULE, node, message, severity=severity, fix=title, fix_safe=False, data=data)


RULE = Rule(
    code="SEC105", name="xml-external-entities", category=CATEGORY, severity=Severity.WARNING, docs=DOCS,
    nodes=CALLS, check=check, calls=SINK_NAMES,
    bandit=("B313", "B314", "B315", "B316", "B317", "B318", "B319", "B320"),
    ruff=("S313", "S314", "S315", "S316", "S317", "S318", "S319", "S320"), cwe=("CWE-611",),
    fix_title="Use the defusedxml equivalent (changes behaviour)",
)
