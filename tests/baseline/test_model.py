"""The baseline file: a stable, sorted, versioned format; malformed files give a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secls.baseline.model import VERSION, Baseline, BaselineError, Entry, dump_baseline, load_baseline, parse_baseline

ENTRIES = [
    Entry("b.py", "SEC302", "T.setUp", "00ff", 0, "never removed"),
    Entry("a.py", "SEC301", "", "aa11", 1, "never stopped", "legacy"),
    Entry("a.py", "SEC301", "", "aa11", 0, "never stopped"),
]


def test_dump_is_sorted_versioned_and_the_same_whatever_the_order() -> None:
    text = dump_baseline(ENTRIES)
    assert text == dump_baseline(reversed(ENTRIES)) and text.endswith("}\n")
    data = json.loads(text)
    assert data["version"] == VERSION
    assert [(e["path"], e["occurrence"]) for e in data["entries"]] == [("a.py", 0), ("a.py", 1), ("b.py", 0)]
    assert list(data["entries"][0]) == ["path", "code", "scope", "fingerprint", "occurrence", "message"]
    assert data["entries"][1]["reason"] == "legacy"
    assert '\n    {\n      "path": "a.py",\n' in text  # one key a line: diffs show the entry that changed


def test_round_trip() -> None:
    baseline = parse_baseline(dump_baseline(ENTRIES))
    assert set(baseline.entries) == set(ENTRIES)
    assert baseline.keys_for("a.py") == {("SEC301", "aa11", 0), ("SEC301", "aa11", 1)}
    assert baseline.keys_for("c.py") == frozenset()
    assert baseline.reason_for("a.py", ("SEC301", "aa11", 1)) == "legacy"
    assert baseline.reason_for("a.py", ("SEC301", "aa11", 0)) is None


@pytest.mark.parametrize(("text", "message"), [
    ("{", "not valid JSON (line 1, column 2)"),
    ("[]", "not a secls baseline"),
    ('{"entries": []}', '"version" must be an integer'),
    ('{"version": 99, "entries": []}', "version 99 is not supported"),
    ('{"version": 1, "entries": {}}', '"entries" must be a list'),
    ('{"version": 1, "entries": [1]}', "entry 1: expected an object"),
    ('{"version": 1, "entries": [{"path": "a.py", "code": "SEC301"}]}', 'entry 1: "fingerprint" must be'),
    ('{"version": 1, "entries": [{"path": "a.py", "code": "SEC301", "fingerprint": "x", "occurrence": -1}]}',
     'entry 1: "occurrence" must be a whole number'),
    ('{"version": 1, "entries": [{"path": "a.py", "code": "SEC301", "fingerprint": "x", "reason": 3}]}',
     'entry 1: "reason" must be a string'),
    ("[" * 100_000, "not valid JSON"),
])
def test_malformed_files_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(BaselineError) as info:
        parse_baseline(text)
    assert message in str(info.value)


def test_load_reports_unreadable_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read"):
        load_baseline(tmp_path / "missing.json")
    (tmp_path / "latin.json").write_bytes(b'{"version": 1, "entries": [], "x": "\xe9"}')
    with pytest.raises(BaselineError, match="not UTF-8"):
        load_baseline(tmp_path / "latin.json")
    (tmp_path / "ok.json").write_text(dump_baseline(ENTRIES), encoding="utf-8")
    assert load_baseline(tmp_path / "ok.json") == Baseline(tuple(parse_baseline(dump_baseline(ENTRIES)).entries))
