"""SEC201 hardcoded-password: a string literal given to a name that says it is a secret."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.secrets.common import (
    CATEGORY, credential_format, is_not_secret_text, is_placeholder, is_secret_name, names_the_field, string_value,
    target_name,
)

DOCS = """\
# SEC201 hardcoded-password

## What it finds

A non-empty string literal assigned to, compared with, passed as a keyword to, used as the dict
value for, or given as the default of a parameter named like a secret: `password`, `passwd`,
`pwd`, `secret`, `token`, `api_key`, `apikey`, `access_key`, `private_key`, `credential`, `auth`
(`db_password`, `authToken`, `SECRET_KEY`). Not reported: the empty string, placeholders
(`"<password>"`, `"${TOKEN}"`, `"***"`), values that name the field (`PASSWORD_FIELD = "password"`),
names that describe a secret rather than hold one (`password_length`, `token_url`), text that
cannot be a secret (punctuation, one character, a keyword such as a lexer's `token == "def"`, a
dotted number such as an OID, prose), and values that are not literals (environment look-ups).
Test code gets hints: fixtures need fake passwords.
`"changeme"` is not a placeholder: it is a password that gets deployed.

## Why it matters

A password in the source is in every clone, every backup, every CI log and the history forever;
rotating it means a code change, and everyone with read access has it (CWE-798).

## Example

```python
DB_PASSWORD = "s3cr3t-prod"   # SEC201
```

## Fix

Read it at run time: `os.environ["DB_PASSWORD"]`, a secrets manager, or a configuration file that
is not committed; rotate the value that was committed. Cross-references: bandit B105, B106, B107;
ruff S105, S106, S107; CWE-798.
"""

NODES: tuple[type[ast.AST], ...] = (ast.Assign, ast.AnnAssign, ast.Compare, ast.keyword, ast.Dict, ast.arguments)


def _candidate(name: str | None, value: ast.AST | None) -> str | None:
    """The literal when `name` says secret and `value` is a real-looking secret literal."""
    text = string_value(value)
    if not text or name is None or not is_secret_name(name):
        return None
    if is_placeholder(text) or names_the_field(text, name) or is_not_secret_text(text):
        return None
    found = credential_format(text)
    if found is not None and not found[2]:
        return None  # SEC202 reports a real credential format
    return text


_Pair = tuple[str | None, ast.AST, str]


def _pairs(node: ast.AST) -> list[_Pair]:
    """(name, value, how) pairs a node binds or compares."""
    pairs: list[_Pair] = []
    if isinstance(node, ast.Assign):
        if isinstance(node.value, ast.Constant):
            for target in node.targets:
                pairs.append((target_name(target), node.value, "assigned to"))
    elif isinstance(node, ast.AnnAssign):
        if isinstance(node.value, ast.Constant):
            pairs.append((target_name(node.target), node.value, "assigned to"))
    elif isinstance(node, ast.keyword):
        if isinstance(node.value, ast.Constant):
            pairs.append((node.arg, node.value, "passed as"))
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if isinstance(value, ast.Constant):
                pairs.append((string_value(key), value, "stored under"))
    elif isinstance(node, ast.Compare):
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            left, right = node.left, node.comparators[0]
            if isinstance(right, ast.Constant):
                pairs.append((target_name(left), right, "compared with"))
            elif isinstance(left, ast.Constant):
                pairs.append((target_name(right), left, "compared with"))
    elif isinstance(node, ast.arguments):
        positional = node.posonlyargs + node.args
        for arg, default in zip(positional[len(positional) - len(node.defaults):], node.defaults):
            if isinstance(default, ast.Constant):
                pairs.append((arg.arg, default, "given as the default of"))
        for arg, default in zip(node.kwonlyargs, node.kw_defaults):
            if isinstance(default, ast.Constant):
                pairs.append((arg.arg, default, "given as the default of"))
    return pairs


def check(node: ast.AST, ctx: ModuleContext) -> Iterable[Finding]:
    """Report hard-coded secrets given to secret-named targets."""
    # A plain function until a pair is a candidate: a generator made for each of the many nodes costs more
    # than the check. From the first candidate on, the findings are made lazily as before, so that a
    # failure on a later pair keeps the earlier findings.
    if type(node) is ast.keyword or type(node) is ast.Assign:  # the commonest nodes: most give no literal
        value = node.value  # type: ignore[attr-defined]
        if type(value) is not ast.Constant or type(value.value) is not str:
            return ()
    pairs = _pairs(node)
    for start, (name, value, _) in enumerate(pairs):
        if _candidate(name, value) is not None:
            return _report(pairs[start:], ctx)
    return ()


def _report(pairs: list[_Pair], ctx: ModuleContext) -> Iterator[Finding]:
    for name, value, how in pairs:
        if _candidate(name, value) is None:
            continue
        test = ctx.is_test_code()
        advice = " (test code: fine if it is fake)" if test else ": read it from the environment or a secret store"
        message = f"hard-coded secret {how} `{name}`{advice}"
        yield ctx.report(RULE, value, message, severity=Severity.HINT if test else None)


RULE = Rule(
    code="SEC201", name="hardcoded-password", category=CATEGORY, severity=Severity.WARNING, docs=DOCS, nodes=NODES,
    check=check, bandit=("B105", "B106", "B107"), ruff=("S105", "S106", "S107"), cwe=("CWE-798",),
)
