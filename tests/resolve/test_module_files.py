"""Module files found from folder listings, and the lines a module's name walk looks at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from secls.resolve.modules import ModuleLocator
from secls.resolve.targets import _MAY_BIND, _lines_containing


@pytest.fixture
def search_path(tmp_path: Path) -> list[str]:
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "pkg" / "sub").mkdir(parents=True)
    (first / "pkg" / "__init__.py").write_text("")
    (first / "pkg" / "mod.py").write_text("")
    (first / "pkg" / "sub" / "__init__.pyi").write_text("")
    (first / "pkg" / "typed.pyi").write_text("")
    (first / "pkg" / "folder.py").mkdir()  # a folder, not a module file
    (second / "pkg").mkdir(parents=True)
    (second / "pkg" / "other.py").write_text("")
    (second / "pkg" / "mod.py").write_text("")
    return [str(first), str(second)]


@pytest.mark.parametrize(("dotted", "expected"), [
    ("pkg", "first/pkg/__init__.py"),
    ("pkg.mod", "first/pkg/mod.py"),          # the first folder of the search path wins
    ("pkg.other", "second/pkg/other.py"),     # a name the first folder lacks is looked for in the next
    ("pkg.sub", "first/pkg/sub/__init__.pyi"),
    ("pkg.typed", "first/pkg/typed.pyi"),
    ("pkg.mod.Class", None),                  # below a module file: not a module
    ("pkg.folder", None),
    ("pkg.missing", None),
    ("nothing.at.all", None),
])
def test_locate(search_path: list[str], tmp_path: Path, dotted: str, expected: str | None) -> None:
    found = ModuleLocator(search_path).locate(dotted)
    assert found == (str(tmp_path / expected) if expected else None)


TEXTS = ["", "x = 1\n", "for x in y:\n    globals()[x] = 1\n", "a\nb := c\n\nvars\n", "global g\r\nfor\rz\n",
         "information\nx\nlocals\nformat(exec)", "\n\nmodules\n"]


@pytest.mark.parametrize("text", TEXTS)
def test_lines_containing_numbers_lines_as_ast_does(text: str) -> None:
    lines = re.split(r"\r\n|\r|\n", text)
    for words in (_MAY_BIND, ("global",)):
        expected = [n for n, line in enumerate(lines, 1) if any(w in line for w in words)]
        assert _lines_containing(words, text) == expected
