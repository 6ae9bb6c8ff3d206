"""Edits in code points and findings carried through them (secls.server.carry, pure)."""

from __future__ import annotations

import random

import pytest

from secls.analysis import analyze
from secls.analysis.findings import Finding, Related, Severity
from secls.server.carry import (Edit, EditLog, apply_edit, carry, edit_between, map_finding, offset_of, replacement,
                                position_of)


def finding(line: int, column: int, end_line: int, end_column: int, *related: Related) -> Finding:
    return Finding("SEC999", "mocking", Severity.WARNING, "m", line, column, end_line, end_column,
                   related=tuple(related))


def span(text: str, f: Finding) -> str:
    start = offset_of(text, f.line - 1, f.column)
    return text[start:offset_of(text, f.end_line - 1, f.end_column)]


TEXT = "a = 1\nbb = foo(x)\r\ncc = 3\rdd\n"


@pytest.mark.parametrize("text", [TEXT, TEXT.replace("\r", ""), "", "\n\n", "x\x0c\ny"])
def test_offsets_and_positions_round_trip(text: str) -> None:
    for offset in range(len(text) + 1):
        if text[offset - 1:offset + 1] != "\r\n":  # no position points between \r and \n
            assert offset_of(text, *position_of(text, offset)) == offset, (text, offset)


def test_offsets_are_clamped() -> None:
    assert offset_of(TEXT, 0, 99) == 5
    assert offset_of(TEXT, 99, 0) == len(TEXT)
    assert offset_of("x\x0cy\u2028z\n", 0, 99) == 5  # form feeds and U+2028 do not end lines


def test_apply_edit_counts_lsp_lines_only() -> None:
    text = "a\n\x0c\nb = 1\n"
    new, edit = apply_edit(text, Edit(2, 4, 2, 5, "2"))
    assert new == "a\n\x0c\nb = 2\n" and edit == Edit(2, 4, 2, 5, "2")


def test_apply_edit_clamps_and_orders() -> None:
    new, edit = apply_edit("ab\ncd", Edit(0, 10, 7, 3, "X"))
    assert new == "abX" and edit == Edit(0, 2, 1, 2, "X")


def test_joining_cr_and_lf_moves_everything() -> None:
    text = "a\rb\nc = 1\n"
    new, edit = apply_edit(text, Edit(1, 0, 1, 1, ""))  # "a\r" + "\nc..." becomes one line break
    assert new == "a\r\nc = 1\n"
    assert map_finding(finding(3, 0, 3, 1), [edit]) is None


def test_finding_before_and_after_an_edit() -> None:
    text = "x = 1\ny = foo(a)\nz = bar(b)\n"
    before, after, touched = finding(2, 4, 2, 10), finding(3, 4, 3, 10), finding(2, 8, 2, 9)
    new, edit = apply_edit(text, Edit(1, 9, 1, 9, ", c\n    d"))
    assert span(text, before) == "foo(a)"
    assert map_finding(before, [edit]) is None  # touches the end of the range
    moved = map_finding(after, [edit])
    assert moved is not None and span(new, moved) == "bar(b)" and moved.line == 4
    assert map_finding(touched, [edit]) is None


def test_same_line_shift_and_related() -> None:
    text = "foo(a); bar(b)\n"
    f = finding(1, 8, 1, 14, Related(1, 0, 1, 6, "here"), Related(1, 12, 1, 13, "arg"))
    new, edit = apply_edit(text, Edit(0, 1, 0, 2, "xyz"))
    moved = map_finding(f, [edit])
    assert moved is not None and span(new, moved) == "bar(b)"
    assert [r.message for r in moved.related] == ["arg"]
    assert moved.related[0].column == 14


def test_new_line_after_or_before_a_range_keeps_it() -> None:
    text = "    foo()\n    bar()\n"
    end_of_first = Edit(0, 9, 0, 9, "\n    def new(self):")
    start_of_second = Edit(1, 0, 1, 0, "    baz()\n")
    first, second = finding(1, 4, 1, 9), finding(2, 4, 2, 9)
    assert map_finding(first, [end_of_first]) == first
    new, _ = apply_edit(text, start_of_second)
    moved = map_finding(second, [start_of_second])
    assert moved is not None and span(new, moved) == "bar()" and moved.line == 3
    assert map_finding(finding(2, 0, 2, 9), [start_of_second]) is not None


def test_edit_between_is_minimal_and_keeps_crlf_whole() -> None:
    old, new = "a\r\nb\r\nc\r\n", "a\r\nb\r\nxc\r\n"
    edit = edit_between(old, new)
    assert edit == Edit(2, 0, 2, 0, "x")
    assert apply_edit(old, edit)[0] == new
    old, new = "a\r\nb", "a\rb"  # deleting a \n: the edit covers the whole \r\n
    edit = edit_between(old, new)
    assert apply_edit(old, edit)[0] == new and edit.start == (0, 1)


def test_edit_between_random_texts_round_trip() -> None:
    rng = random.Random(7)
    alphabet = "ab \r\n\x0c"
    for _ in range(2000):
        old = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        new = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert apply_edit(old, edit_between(old, new))[0] == new, (old, new)


def test_replacement_records_what_apply_edit_records() -> None:
    """A whole-text change is recorded without mapping positions back to offsets: same edit, \r\n joins included."""
    rng = random.Random(11)
    alphabet = "ab \r\n"
    for _ in range(3000):
        old = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        new = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert replacement(old, new) == apply_edit(old, edit_between(old, new))[1], (old, new)
    assert replacement("a\rb", "a\r\nb") == apply_edit("a\rb", edit_between("a\rb", "a\r\nb"))[1]


def test_edit_between_long_texts_is_minimal() -> None:
    """Texts longer than the block the prefix and suffix are compared in, edited anywhere."""
    rng = random.Random(11)
    base = "".join(rng.choice("ab \n") for _ in range(20_000))
    for _ in range(200):
        start = rng.randrange(len(base))
        end = min(len(base), start + rng.randrange(3))
        insert = "".join(rng.choice("ab\n") for _ in range(rng.randrange(3)))
        new = base[:start] + insert + base[end:]
        edit = edit_between(base, new)
        assert apply_edit(base, edit)[0] == new
        assert len(edit.text) <= len(insert), (start, end, insert)


def test_random_edits_keep_untouched_findings_on_their_text() -> None:
    """Every carried finding still covers the text it covered, through hundreds of random edits."""
    rng = random.Random(11)
    text = "".join(f"name_{i} = call_{i}(arg)\n" if i % 3 else f"\tv{i} = ''\r\n" for i in range(60))
    findings = [finding(n, 0, n, 6) for n in range(1, 60, 2)] + [finding(n, 2, n + 1, 3) for n in range(2, 58, 7)]
    original = {f: span(text, f) for f in findings}
    edits: list[Edit] = []
    current = text
    mapped = {f: f for f in findings}
    for _ in range(400):
        line = rng.randrange(30)  # edits in the first half; the second half moves, untouched
        column = rng.randrange(25)
        if rng.random() < 0.5:
            edit = Edit(line, column, line, column, rng.choice(["x", "\n", " (", "é", "\r\n  ", "😀"]))
        else:
            edit = Edit(line, column, line + rng.randrange(2), column + rng.randrange(4), rng.choice(["", "y"]))
        current, applied = apply_edit(current, edit)
        edits.append(applied)
        mapped = {f: moved for f, m in mapped.items() if (moved := map_finding(m, [applied])) is not None}
        for f, moved in mapped.items():
            assert span(current, moved) == original[f]
    assert carry(findings, edits) == list(mapped.values())
    assert 0 < len(mapped) < len(findings)


def test_carry_real_findings_through_typing() -> None:
    source = ("import subprocess\n\n\ndef f(x):\n    subprocess.call(x, shell=True)\n\n\n"
              "def g(y):\n    subprocess.call(y, shell=True)\n")
    found = analyze(source, "m.py").findings
    assert len(found) == 2
    text, edits = source, []
    at = offset_of(source, 6, 0)  # the start of line 7, between the two functions
    for typed, char in enumerate("def h(:\n"):
        where = position_of(text, at + typed)
        text, edit = apply_edit(text, Edit(*where, *where, char))
        edits.append(edit)
    assert analyze(text, "m.py").syntax_error is not None
    kept = carry(found, edits)
    assert [span(text, f) for f in kept] == [span(source, f) for f in found]
    assert [f.line for f in kept] == [5, 10]


def test_edit_log_numbers_and_forgets() -> None:
    log = EditLog()
    for n in range(5):
        log.add(Edit(n, 0, n, 0, "x"))
    assert log.count == 5 and len(log.between(1, 4) or []) == 3
    log.forget_before(3)
    assert log.between(1, 4) is None and log.between(3, 5) == [Edit(3, 0, 3, 0, "x"), Edit(4, 0, 4, 0, "x")]
    assert log.between(4, 3) is None
