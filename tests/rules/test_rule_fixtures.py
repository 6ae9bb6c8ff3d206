"""Every rule fixture: each finding must be expected on its line, and each expectation found."""

from __future__ import annotations

from pathlib import Path

import re

import pytest

from secls.analysis import analyze
from secls.deps.analyze import analyze_document
from secls.rules import ALL_RULES
from secls.analysis.resolution import Resolution
from secls.config import Config
from secls.resolve.jedi_resolver import JediResolver


_EXPECT = re.compile(r"#\s*expect:\s*(?P<items>[A-Z]+\d+(?::[a-z]+)?(?:\s*,\s*[A-Z]+\d+(?::[a-z]+)?)*)")
_PATH = re.compile(r"^#\s*fixture-path:\s*(?P<path>\S+)", re.MULTILINE)
_ROOT = re.compile(r"^#\s*fixture-root:\s*(?P<root>\S+)", re.MULTILINE)
REPO = Path(__file__).resolve().parents[2]


def expected(text: str) -> set[tuple[int, str, str | None]]:
    """(line, code, severity or None) for every `# expect:` marker."""
    found: set[tuple[int, str, str | None]] = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for item in match.group("items").split(","):
                code, _, severity = item.strip().partition(":")
                found.add((lineno, code, severity or None))
    return found


def virtual_path(fixture: Path) -> str:
    """The path the fixture is analysed as (`# fixture-path:` header), default a test module."""
    match = _PATH.search(fixture.read_text(encoding="utf-8"))
    return match.group("path") if match else f"pkg/tests/test_{fixture.stem}.py"


def resolution_for(fixture: Path, text: str) -> Resolution | None:
    """With a `# fixture-root: DIR` header, resolve the fixture's questions in that workspace (jedi)."""
    match = _ROOT.search(text)
    if not match:
        return None
    root = REPO / match.group("root")
    return JediResolver(root).resolve(text, str(root / "test_fixture.py"))


# Requirement-file rules (SEC502, SEC503) have `.txt` fixtures, analysed as the file their header names.
FIXTURES = sorted(p for p in (Path(__file__).parent.parent / "fixtures").rglob("*") if p.suffix in (".py", ".txt"))
_DEFAULT_CODES = tuple(r.code for r in ALL_RULES if r.enabled_by_default)


def fixture_config(want: set[tuple[int, str, str | None]]) -> Config:
    """Every rule on by default, plus the off-by-default rules the fixture expects (SEC804 hints on every
    bare patch would otherwise have to be marked in every fixture that patches)."""
    return Config(select=_DEFAULT_CODES + tuple(sorted({code for _, code, _ in want} - set(_DEFAULT_CODES))))


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_expectations(fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    db = None
    if "SEC502:error" in text:
        from secls.deps.database import database_at
        from tests.deps.shared_db import shared_db_path

        db = database_at(shared_db_path())
    want = expected(text)
    resolution = resolution_for(fixture, text)
    if resolution is not None:  # a Python fixture that needs another file's answers
        result = analyze(text, virtual_path(fixture), fixture_config(want), resolver=resolution)
    else:
        result = analyze_document(text, virtual_path(fixture), fixture_config(want), db)
    assert result.syntax_error is None
    assert not result.errors
    got = {(f.line, f.code, f.severity.label) for f in result.findings}
    missing = {(line, code, sev) for line, code, sev in want
               if not any(g[0] == line and g[1] == code and (sev is None or g[2] == sev) for g in got)}
    unexpected = {g for g in got if not any(w[0] == g[0] and w[1] == g[1] for w in want)}
    messages = {(f.line, f.code): f.message for f in result.findings}
    assert not missing, f"expected but not found in {fixture.name}: {sorted(missing)}"
    assert not unexpected, (f"found but not expected in {fixture.name}: "
                            + "; ".join(f"line {l} {c} ({s}): {messages[(l, c)]}" for l, c, s in sorted(unexpected)))


def test_every_rule_has_a_fixture() -> None:
    names = {p.stem for p in FIXTURES}
    for rule in ALL_RULES:
        stem = f"{rule.code.lower()}_{rule.name.replace('-', '_')}"
        assert stem in names, f"{rule.code} has no fixture file {stem}.py"


def test_fixtures_have_negatives_and_positives() -> None:
    for fixture in FIXTURES:
        text = fixture.read_text(encoding="utf-8")
        assert expected(text), f"{fixture.name} expects nothing"
        assert "# ok" in text, f"{fixture.name} has no negative case marked '# ok'"
