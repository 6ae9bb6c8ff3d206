"""Typing into a real nova test file, one character per didChange, and checking every publish.

While the buffer does not parse, the server publishes the syntax error and keeps the last good findings
whose text was not edited, moved to where that text now is. The test follows every line of the buffer
by identity (a line keeps its identity while its text is not changed), independently of the server.
"""

from __future__ import annotations

import ast
import asyncio
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lsprotocol import types

from secls.analysis import analyze
from tests.corpus.conftest import NOVA, fetch_wheel, unpack
from tests.server.conftest import TIMEOUT_S, capabilities, open_doc, session

IMAGES = "nova/tests/unit/virt/test_images.py"
FUNCTION_A = ("    def test_typed(self):\n"
              "        target = '/tmp/typed'\n"
              "        self.assertTrue(images.fetch(None, 'x', target))\n")
FUNCTION_B = ("    def test_typed_again(self):\n"
              "        with open('/tmp/typed_again') as handle:\n"
              "            self.assertTrue(handle.read())\n")
Range = tuple[int, int, int, int]


@dataclass
class Buffer:
    """The text as lines, each with an identity and the versions at which it was edited."""

    lines: list[str]
    ids: list[int] = field(default_factory=list)
    edited: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.ids = list(range(len(self.lines)))
        self._next = len(self.lines)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def _new_id(self, version: int) -> int:
        self._next += 1
        self.edited[self._next] = [version]
        return self._next

    def _touch(self, index: int, version: int) -> None:
        self.edited.setdefault(self.ids[index], []).append(version)

    def insert(self, line: int, column: int, char: str, version: int) -> None:
        text = self.lines[line]
        if char != "\n":
            self.lines[line] = text[:column] + char + text[column:]
            self._touch(line, version)
            return
        self.lines[line:line + 1] = [text[:column], text[column:]]
        if column == 0:  # the old text moves down as it is; a new empty line comes above it
            self.ids.insert(line, self._new_id(version))
        elif column == len(text):
            self.ids.insert(line + 1, self._new_id(version))
        else:
            self._touch(line, version)
            self.ids.insert(line + 1, self._new_id(version))

    def backspace(self, line: int, column: int, version: int) -> None:
        """Delete the character before (line, column), joining with the line above at column 0."""
        if column:
            text = self.lines[line]
            self.lines[line] = text[:column - 1] + text[column:]
            self._touch(line, version)
            return
        self.lines[line - 1] += self.lines.pop(line)
        self._touch(line - 1, version)
        del self.ids[line]


@dataclass
class State:
    """One version: its text and the identity of each line."""

    text: str
    ids: list[int]


def parses(text: str) -> bool:
    try:
        ast.parse(text)
    except SyntaxError:
        return False
    return True


def fresh(text: str, path: str) -> set[tuple[str, str, Range]]:
    """(code, message, range) of a fresh analysis, as the server would publish them (ASCII text)."""
    out = set()
    for f in analyze(text, path).findings:
        message = f"{f.message} [{f.category}]" if f.category else f.message
        out.add((f.code, message, (f.line - 1, f.column, f.end_line - 1, f.end_column)))
    return out


def published(params: types.PublishDiagnosticsParams) -> set[tuple[str, str, Range]]:
    r = [(d.code, d.message, (d.range.start.line, d.range.start.character, d.range.end.line,
                              d.range.end.character)) for d in params.diagnostics]
    return {(str(c), m, rng) for c, m, rng in r}


def span(text: str, rng: Range) -> str:
    lines = text.split("\n")
    if rng[0] == rng[2]:
        return lines[rng[0]][rng[1]:rng[3]]
    return "\n".join([lines[rng[0]][rng[1]:], *lines[rng[0] + 1:rng[2]], lines[rng[2]][:rng[3]]])


def moved(rng: Range, before: State, after: State, edited: dict[int, list[int]], since: int,
          until: int) -> Range | None:
    """Where a range of `before` is in `after`, if the lines it covers exist and were not edited meanwhile."""
    first, last = before.ids[rng[0]], before.ids[rng[2]]
    covered = before.ids[rng[0]:rng[2] + 1]
    if first not in after.ids or last not in after.ids:
        return None
    if any(since < v <= until for i in covered for v in edited.get(i, [])):
        return None
    return after.ids.index(first), rng[1], after.ids.index(last), rng[3]


QCOW2 = "        qemu_img_info.file_format = 'qcow2'"


def session_ops() -> list[tuple]:
    """The editing session: go to a line (found by its text, plus an offset) and column, type, backspace."""
    return [
        # A new test method in the middle of the class (on the blank line above the decorators of
        # test_fetch_to_raw_errors), with a typo fixed by backspace.
        ("goto", "    def test_fetch_to_raw_errors", -7, 0),
        ("type", "\n" + FUNCTION_A[:36] + "gr"), ("backspace", 2), ("type", FUNCTION_A[36:].rstrip("\n")),
        # An edit in the middle of a line below it: `'qcow2'` becomes `('raw' + 'qcow2')`, then back.
        ("goto", QCOW2, 0, 36), ("type", "('raw' + "), ("goto", QCOW2.replace("'qcow2'", "('raw' + 'qcow2'"), 0, 52),
        ("type", ")"), ("backspace", 1), ("goto", "        qemu_img_info.file_format = ('raw' + ", 0, 45),
        ("backspace", len("('raw' + ")),
        # A second method further down, typed and then deleted character by character.
        ("goto", "    def test_fetch_inspect_ami", -4, 0),
        ("type", "\n" + FUNCTION_B.rstrip("\n")), ("backspace", len("\n" + FUNCTION_B.rstrip("\n"))),
    ]


def keystrokes(buffer: Buffer, first_version: int):
    """Play the session on the buffer: yields (version, start, end, inserted text) per keystroke."""
    version, line, column = first_version, 0, 0
    for op in session_ops():
        if op[0] == "goto":
            _, prefix, offset, column = op
            line = next(i for i, t in enumerate(buffer.lines) if t.startswith(prefix)) + offset
            assert len(buffer.lines[line]) >= column and (offset == 0 or buffer.lines[line] == ""), op
        elif op[0] == "type":
            for char in op[1]:
                buffer.insert(line, column, char, version)
                yield version, (line, column), (line, column), char
                line, column = (line + 1, 0) if char == "\n" else (line, column + 1)
                version += 1
        else:
            for _ in range(op[1]):
                start = (line, column - 1) if column else (line - 1, len(buffer.lines[line - 1]))
                buffer.backspace(line, column, version)
                yield version, start, (line, column), ""
                line, column = start
                version += 1


@pytest.fixture(scope="module")
def images_source() -> str:
    """nova 34.0.0's test_images.py (386 lines, findings of three rules), fetched at test time."""
    return (unpack(fetch_wheel(NOVA), "nova/") / IMAGES).read_text()


async def test_typing_keeps_findings_and_positions(images_source: str, tmp_path: Path) -> None:
    path = tmp_path / "test_images.py"
    shutil.copyfile(Path(unpack(fetch_wheel(NOVA), "nova/")) / IMAGES, path)
    uri = path.as_uri()
    buffer = Buffer(images_source.split("\n"))
    states = {1: State(buffer.text, list(buffer.ids))}
    counts = {"publishes": 0, "keystrokes": 0, "broken": 0, "carried": 0}

    async with session(capabilities("visual-studio-code")) as client:
        queue = client.published[uri]  # type: ignore[attr-defined]
        previous: tuple[int, set[tuple[str, str, Range]]] | None = None
        good = 0

        async def check_until(version: int) -> None:
            nonlocal previous, good
            while True:
                params = await asyncio.wait_for(queue.get(), TIMEOUT_S)
                v = params.version
                state, got = states[v], published(params)
                counts["publishes"] += 1
                errors = [d for d in got if d[0] == "E999"]
                findings = got - set(errors)
                if parses(state.text):
                    assert errors == [] and findings == fresh(state.text, str(path)), v
                    good = v
                else:
                    counts["broken"] += 1
                    counts["carried"] += len(findings)
                    assert len(errors) == 1, v
                    # Carried findings are the last good ones, on the same lines (by identity) and text.
                    last = states[good]
                    expected = set()
                    for code, message, rng in fresh(last.text, str(path)):
                        where = moved(rng, last, state, buffer.edited, good, v)
                        if where is not None:
                            expected.add((code, message, where))
                            assert span(state.text, where) == span(last.text, rng)
                    assert expected <= findings, (v, expected - findings)
                    for code, message, rng in findings - expected:  # an edited line may keep its finding
                        assert any(c == code and span(last.text, r) == span(state.text, rng)
                                   for c, _, r in fresh(last.text, str(path))), (v, code, rng)
                if previous is not None:  # no flicker: what was shown on lines nobody edited stays shown
                    before_v, before = previous
                    for code, message, rng in before - {d for d in before if d[0] == "E999"}:
                        where = moved(rng, states[before_v], state, buffer.edited, before_v, v)
                        if where is not None:
                            assert (code, message, where) in findings, (before_v, v, code, rng)
                previous = (v, got)
                if v >= version:
                    return

        open_doc(client, uri, buffer.text)
        await check_until(1)
        for version, start, end, char in keystrokes(buffer, 2):
            states[version] = State(buffer.text, list(buffer.ids))
            counts["keystrokes"] += 1
            client.text_document_did_change(types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=start[0], character=start[1]),
                                      end=types.Position(line=end[0], character=end[1])), text=char)]))
            await check_until(version)

    lines = images_source.split("\n")
    at = next(i for i, t in enumerate(lines) if t.startswith("    def test_fetch_to_raw_errors")) - 7
    lines[at:at + 1] = ("\n" + FUNCTION_A.rstrip("\n")).split("\n")
    assert buffer.text == "\n".join(lines)  # the session ends with function A added and nothing else
    print(counts)
    assert counts["keystrokes"] >= 300 and counts["broken"] >= 100 and counts["carried"] >= 500, counts
