"""SEC001: which suppressions are unused in a run, and what its fix leaves on the line."""

from __future__ import annotations

import pytest

from secls.analysis import analyze
from secls.config import Config
from secls.fixes import build_fix

HEAD = "import json\nimport pickle  # nosec B403\n\n\ndef f(blob, body):\n"


def sec001(body: str, config: Config | None = None) -> list[tuple[int, str, bool]]:
    """(line, message, safe fix) of the SEC001 findings of HEAD + body."""
    result = analyze(HEAD + body, "pkg/app/mod.py", config)
    return [(f.line, f.message, bool(f.fix and f.fix.safe)) for f in result.findings if f.code == "SEC001"]


def fixed(body: str) -> str:
    """HEAD + body with every SEC001 fix applied, one at a time, re-analysing in between."""
    text = HEAD + body
    for _ in range(10):
        found = [f for f in analyze(text, "pkg/app/mod.py").findings if f.code == "SEC001"]
        if not found:
            return text[len(HEAD):]
        new = build_fix(text, found[0])
        assert new is not None and new != text
        text = new
    raise AssertionError("SEC001 fixes did not settle")


@pytest.mark.parametrize(("line", "after"), [
    ("    return json.loads(body)  # nosec B301\n", "    return json.loads(body)\n"),
    ("    return json.loads(body)  # nosec  # type: ignore\n", "    return json.loads(body)  # type: ignore\n"),
    ("    return json.loads(body)  # noqa: E501,S301\n", "    return json.loads(body)  # noqa: E501\n"),
    ("    return pickle.loads(blob)  # nosec B602 B301\n", "    return pickle.loads(blob)  # nosec B301\n"),
    ("    return pickle.loads(blob)  # secls: ignore[SEC104, SEC999] -- reviewed\n",
     "    return pickle.loads(blob)  # secls: ignore[SEC104] -- reviewed\n"),
    ("    # secls: ignore[SEC104]\n    return body\n", "    return body\n"),
    ("    return body  # secls: ignore\r\n", "    return body\r\n"),
    ("    return body\n# nosec", "    return body"),
])
def test_fix_leaves(line: str, after: str) -> None:
    assert fixed(line) == after


def test_secls_comments_are_safe_fixes_foreign_ones_are_not() -> None:
    found = sec001("    a = json.loads(body)  # secls: ignore[SEC104]\n    return json.loads(body)  # noqa: S301\n")
    assert [(line, safe) for line, _, safe in found] == [(6, True), (7, False)]


def test_a_disabled_rules_suppression_is_not_unused() -> None:
    body = "    return json.loads(body)  # nosec B301\n"
    assert sec001(body, Config(select=("SEC001",))) == []
    assert sec001(body, Config(ignore=("SEC104",))) == []
    assert len(sec001(body, Config(select=("SEC001", "SEC104")))) == 1


def test_blankets_are_judged_only_when_every_default_rule_ran() -> None:
    body = "    return json.loads(body)  # nosec\n"
    assert len(sec001(body)) == 1
    assert sec001(body, Config(select=("SEC001", "SEC1"))) == []


def test_sec001_can_be_ignored_and_kept_per_line() -> None:
    body = "    return json.loads(body)  # nosec B301\n"
    assert sec001(body, Config(ignore=("SEC001",))) == []
    assert sec001("    return json.loads(body)  # nosec B301  # secls: ignore[SEC001]\n") == []


def test_a_used_suppression_is_not_reported() -> None:
    assert sec001("    return pickle.loads(blob)  # nosec B301\n") == []
    assert sec001("    return pickle.loads(  # noqa: S301\n        blob)\n") == []


def test_a_kept_comment_is_judged_only_when_every_default_rule_ran() -> None:
    kept = "    return json.loads(body)  # nosec B301  # secls: ignore[SEC001]\n"
    assert sec001(kept, Config(select=("SEC001",))) == []
    alone = "    return body  # secls: ignore[SEC001]\n"
    assert sec001(alone, Config(select=("SEC001",))) == []
    assert len(sec001(alone)) == 1
