"""Line- and byte-level mutations of real source text: what a buffer looks like mid-edit, or a file gone wrong.

Every mutation is a pure function of (text, random generator), so an input is reproduced from its seed alone.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from secls.discovery import DecodeError, decode_source

_LINES = re.compile(r"(?<=\n)")  # split after each \n, keeping the breaks

# Characters that have broken tokenizers, column maths or terminals before: bidi controls (Trojan Source),
# zero-width and combining marks, astral code points (two UTF-16 units), full-width letters, line and
# paragraph separators (line breaks to str.splitlines, not to Python), form feed, NUL, lone CR, BOM.
UNICODE = ("\u202e", "\u2066", "\u2069", "\u200b", "\u200d", "\u0301", "\U0001f600", "\U00010348", "\uff41",
           "\u2028", "\u2029", "\x0c", "\x00", "\r", "\ufeff", "\x85", "é", "ß", "\u0130")
# Fragments of Python that open or close structure, or change what a line means.
TOKENS = ("(", ")", "[", "]", "{", "}", ":", "\\", "'", '"', '"""', "'''", "#", "@", "=", ",", ".", "*", "**",
          "def ", "class ", "lambda ", "async ", "await ", "yield ", "with ", "try:", "except:", "finally:",
          "if ", "else:", "return", "import ", "from ", "global x", "nonlocal x", "del ", "f'{", "}'", "match ",
          "case _:", ":=", "->", "...", "not ", "self.", "super().", "mock.patch(", ".start()", ".stop()",
          "open(", "eval(", "os.environ['A'] = '1'", "tempfile.mkdtemp()", "pass")


def split_lines(text: str) -> list[str]:
    """Lines with their line breaks (\\n-terminated; \\r stays inside a line, as a mutation may leave it)."""
    return [line for line in _LINES.split(text) if line]


def _pick_line(lines: list[str], rng: random.Random) -> int:
    return rng.randrange(len(lines)) if lines else 0


def delete_lines(text: str, rng: random.Random) -> str:
    """Remove one to three consecutive lines."""
    lines = split_lines(text)
    at = _pick_line(lines, rng)
    del lines[at:at + rng.randint(1, 3)]
    return "".join(lines)


def duplicate_lines(text: str, rng: random.Random) -> str:
    """Repeat one to five consecutive lines in place."""
    lines = split_lines(text)
    at = _pick_line(lines, rng)
    block = lines[at:at + rng.randint(1, 5)]
    lines[at:at] = block
    return "".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    """Exchange two lines (often nearby: a statement moved across its block's edge)."""
    lines = split_lines(text)
    if len(lines) < 2:
        return text
    first = rng.randrange(len(lines))
    second = min(len(lines) - 1, max(0, first + rng.choice((-3, -2, -1, 1, 2, 3, rng.randrange(len(lines))))))
    lines[first], lines[second] = lines[second], lines[first]
    return "".join(lines)


def truncate(text: str, rng: random.Random) -> str:
    """Cut the text at any character (mid-token, mid-string, mid-line break)."""
    return text[:rng.randrange(len(text) + 1)]


def dedent_line(text: str, rng: random.Random) -> str:
    """Strip some or all of one line's indentation."""
    lines = split_lines(text)
    if not lines:
        return text
    at = _pick_line(lines, rng)
    line = lines[at]
    stripped = line.lstrip(" \t")
    indent = len(line) - len(stripped)
    lines[at] = line[:rng.randrange(indent + 1) if indent else 0] + stripped
    return "".join(lines)


def indent_line(text: str, rng: random.Random) -> str:
    """Indent one line more, with spaces or a tab."""
    lines = split_lines(text)
    if not lines:
        return text
    at = _pick_line(lines, rng)
    lines[at] = rng.choice(("    ", " ", "\t", "        ")) + lines[at]
    return "".join(lines)


def insert_unicode(text: str, rng: random.Random) -> str:
    """Put one of the awkward characters (bidi, zero-width, astral, separators, NUL, BOM...) anywhere."""
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(UNICODE) * rng.choice((1, 1, 2, 5)) + text[at:]


def insert_token(text: str, rng: random.Random) -> str:
    """Put a fragment of Python anywhere: an unclosed bracket, a keyword, a call the rules look for."""
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(TOKENS) + text[at:]


def delete_span(text: str, rng: random.Random) -> str:
    """Remove a run of one to forty characters (a half-deleted token or line break)."""
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + text[at + rng.randint(1, 40):]


def to_crlf(text: str, rng: random.Random) -> str:
    """Convert every line break, or just one, to CRLF (mixed line endings)."""
    if rng.random() < 0.5:
        return text.replace("\r\n", "\n").replace("\n", "\r\n")
    lines = split_lines(text)
    at = _pick_line(lines, rng)
    if lines and lines[at].endswith("\n") and not lines[at].endswith("\r\n"):
        lines[at] = lines[at][:-1] + "\r\n"
    return "".join(lines)


def to_lone_cr(text: str, rng: random.Random) -> str:
    """Turn one or every line break into a lone CR (old Mac line endings)."""
    if rng.random() < 0.3:
        return text.replace("\r\n", "\n").replace("\n", "\r")
    lines = split_lines(text)
    at = _pick_line(lines, rng)
    if lines and lines[at].endswith("\n"):
        lines[at] = lines[at].rstrip("\r\n") + "\r"
    return "".join(lines)


def tabs_for_spaces(text: str, rng: random.Random) -> str:
    """Replace four-space indentation by tabs on one line or all (inconsistent indentation)."""
    lines = split_lines(text)
    pick = {_pick_line(lines, rng)} if rng.random() < 0.6 else set(range(len(lines)))
    return "".join(re.sub(r"^(    )+", lambda m: "\t" * (len(m.group(0)) // 4), line) if i in pick else line
                   for i, line in enumerate(lines))


def insert_bytes(text: str, rng: random.Random) -> str:
    """Insert random bytes into the UTF-8 encoding and decode the way the CLI does, else as an editor might."""
    data = text.encode("utf-8", "surrogateescape")
    at = rng.randrange(len(data) + 1)
    noise = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    mutated = data[:at] + noise + data[at:]
    try:
        return decode_source(mutated)
    except DecodeError:
        # Invalid UTF-8 kept as lone surrogates: what a lenient client may still send as a str.
        return mutated.decode("utf-8", "surrogateescape")


def coding_cookie(text: str, rng: random.Random) -> str:
    """Put a PEP 263 cookie (real, unknown or contradicting) or a BOM on the first lines."""
    header = rng.choice(("# -*- coding: latin-1 -*-\n", "# coding: utf-8\n", "# coding: bogus-codec\n",
                         "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n", "\ufeff",
                         "\ufeff# coding: latin-1\n"))
    return header + text


def nest_deeply(text: str, rng: random.Random) -> str:
    """Insert a deeply nested expression or block (the parser's and the rules' recursion limits)."""
    depth = rng.choice((50, 200, 1000, 5000))
    kind = rng.randrange(4)
    if kind == 0:
        snippet = "x = " + "(" * depth + "1" + ")" * depth + "\n"
    elif kind == 1:
        snippet = "x = " + "[" * depth + "]" * depth + "\n"
    elif kind == 2:
        snippet = "x = " + " + ".join(["a"] * depth) + "\n"  # a left-deep BinOp chain
    else:
        depth = min(depth, 90)  # deeper blocks are a SyntaxError ("too many statically nested blocks")
        snippet = "".join(" " * i + "if x:\n" for i in range(depth)) + " " * depth + "pass\n"
    lines = split_lines(text)
    at = _pick_line(lines, rng)
    lines.insert(at, snippet)
    return "".join(lines)


MUTATIONS: tuple[Callable[[str, random.Random], str], ...] = (
    delete_lines, duplicate_lines, swap_lines, truncate, dedent_line, indent_line, insert_unicode,
    insert_token, delete_span, to_crlf, to_lone_cr, tabs_for_spaces, insert_bytes, coding_cookie, nest_deeply,
)


def splice(text: str, donor: str, rng: random.Random) -> str:
    """Insert a run of lines from another file (a paste: new shapes for the rules, at foreign indentation)."""
    donor_lines = split_lines(donor)
    if not donor_lines:
        return text
    start = rng.randrange(len(donor_lines))
    lines = split_lines(text)
    at = _pick_line(lines, rng)
    lines[at:at] = donor_lines[start:start + rng.randint(1, 30)]
    return "".join(lines)


def window(text: str, rng: random.Random, most: int = 160) -> str:
    """A run of at most `most` lines of a file (keeps inputs small, so many fit in a budget)."""
    lines = split_lines(text)
    if len(lines) <= most:
        return text
    start = rng.choice((0, rng.randrange(len(lines) - most)))  # half the time from the imports on
    return "".join(lines[start:start + most])


def mutate(text: str, donors: Sequence[str], rng: random.Random) -> tuple[str, list[str]]:
    """One to three mutations (and sometimes a splice from a donor file); returns the text and what was done."""
    done: list[str] = []
    text = window(text, rng)
    if donors and rng.random() < 0.3:
        text = splice(text, rng.choice(donors), rng)
        done.append("splice")
    for _ in range(rng.choice((1, 1, 1, 1, 2, 3))):
        mutation = rng.choice(MUTATIONS)
        text = mutation(text, rng)
        done.append(mutation.__name__)
    return text, done
