"""Requirement files read into entries with exact ranges; includes, skips and problems never crash."""

from __future__ import annotations

import pytest

from secls.deps.kinds import requirement_kind
from secls.deps.model import Span
from secls.deps.parse import parse_file
from secls.deps.pyproject import poetry_specifier

REQUIREMENTS = '''\
# comment line
PyYAML==5.3  # trailing comment
  Jinja2 == 2.10 ; python_version >= "3.6"
requests[socks]==2.19.0 \\
    --hash=sha256:abcd
urllib3===1.24.1
flask>=2,<3
-r base.txt
-rother.txt
--constraint=pins.txt
-e git+https://github.com/org/pkg#egg=pkg
./vendor/lib
https://example.org/pkg-1.0-py3-none-any.whl
pkg @ https://example.org/pkg.zip
--index-url https://pypi.org/simple
not a requirement!
--frobnicate
x==1.*
'''


def test_requirements_txt_entries_and_ranges() -> None:
    parsed = parse_file(REQUIREMENTS, "requirements")
    by_name = {e.name: e for e in parsed.entries}
    assert list(by_name) == ["PyYAML", "Jinja2", "requests", "urllib3", "flask", "x"]
    assert by_name["PyYAML"].span == Span(2, 0, 2, 11)
    assert by_name["PyYAML"].version_span == Span(2, 8, 2, 11)
    jinja = by_name["Jinja2"]
    assert jinja.span == Span(3, 2, 3, 42) and str(jinja.pinned) == "2.10"
    assert jinja.marker == 'python_version >= "3.6"'
    assert jinja.version_span == Span(3, 12, 3, 16)
    requests = by_name["requests"]
    assert requests.span == Span(4, 0, 4, 23) and requests.hashed and str(requests.pinned) == "2.19.0"
    assert str(by_name["urllib3"].pinned) == "1.24.1"
    assert by_name["flask"].pinned is None and str(by_name["flask"].specifier) == "<3,>=2"
    assert by_name["x"].pinned is None  # a wildcard is a range, not a pin


def test_requirements_txt_includes_skips_and_problems() -> None:
    parsed = parse_file(REQUIREMENTS, "requirements")
    assert [(i.target, i.constraint) for i in parsed.includes] == [
        ("base.txt", False), ("other.txt", False), ("pins.txt", True)]
    reasons = {s.text: s.reason for s in parsed.skipped}
    assert reasons["-e git+https://github.com/org/pkg#egg=pkg"].startswith("editable")
    assert reasons["./vendor/lib"].startswith("URL or path")
    assert "https://example.org/pkg-1.0-py3-none-any.whl" in reasons
    assert "pkg @ https://example.org/pkg.zip" in reasons
    problems = {p.span.line: p for p in parsed.problems}
    assert set(problems) == {16, 17}
    assert problems[16].warning and "cannot read requirement" in problems[16].message
    assert not problems[17].warning and "--frobnicate" in problems[17].message


@pytest.mark.parametrize("text", ["", "\\", "==", "[", "-r", "a==1 \\\n", "\x00", "a" * 10000, "é==1"])
def test_garbage_never_crashes(text: str) -> None:
    parse_file(text, "requirements")
    parse_file(text, "pyproject")
    parse_file(text, "setup.cfg")
    parse_file(text, "pylock")


PYPROJECT = '''\
[project]
name = "app"
dependencies = [
  "PyYAML==5.3",  # "PyYAML==5.3" in a comment
  'jinja2>=2',
  "git+https://github.com/org/pkg",
]
[project.optional-dependencies]
dev = ["requests == 2.19.0"]
[dependency-groups]
test = ["pytest", {include-group = "dev"}]
[tool.poetry.dependencies]
python = "^3.10"
urllib3 = "1.24.1"
flask = { version = "^1.0.2", extras = ["x"] }
local = { path = "../local" }
[tool.poetry.group.dev.dependencies]
django = "==2.0.1"
'''


def test_pyproject_tables() -> None:
    parsed = parse_file(PYPROJECT, "pyproject")
    got = {e.name: (e.span, e.version_span, str(e.pinned) if e.pinned else None) for e in parsed.entries}
    assert got["PyYAML"] == (Span(4, 3, 4, 14), Span(4, 11, 4, 14), "5.3")
    assert got["jinja2"][2] is None
    assert got["requests"] == (Span(9, 8, 9, 26), Span(9, 20, 9, 26), "2.19.0")
    assert got["pytest"][0] == Span(11, 9, 11, 15)
    assert got["urllib3"] == (Span(14, 0, 14, 18), Span(14, 11, 14, 17), "1.24.1")
    assert got["flask"][2] is None
    assert got["django"][1] == Span(18, 12, 18, 17)
    assert {s.text for s in parsed.skipped} == {"git+https://github.com/org/pkg", "local"}


def test_pyproject_invalid_toml_is_a_problem_at_its_line() -> None:
    parsed = parse_file("[project]\ndependencies = [\n", "pyproject")
    assert not parsed.entries and parsed.problems[0].message.startswith("cannot read TOML")


@pytest.mark.parametrize(("constraint", "spec", "pinned"), [
    ("1.2.3", "==1.2.3", "1.2.3"), ("==2.0", "==2.0", "2.0"), ("^1.2.3", "<2,>=1.2.3", None),
    ("^0.2.3", "<0.3,>=0.2.3", None), ("~1.2.3", "<1.3,>=1.2.3", None), ("*", "", None),
    (">=1.0,<2", "<2,>=1.0", None),
])
def test_poetry_constraints(constraint: str, spec: str, pinned: str | None) -> None:
    specifier, version = poetry_specifier(constraint)
    assert str(specifier) == spec and version == pinned


def test_setup_cfg() -> None:
    text = ("[metadata]\nname = x\n[options]\ninstall_requires =\n    PyYAML==5.3\n    jinja2  # c\n"
            "python_requires = >=3.8\n[options.extras_require]\ndev = requests==2.19.0\n    pytest\n")
    parsed = parse_file(text, "setup.cfg")
    assert [(e.name, e.span) for e in parsed.entries] == [
        ("PyYAML", Span(5, 4, 5, 15)), ("jinja2", Span(6, 4, 6, 10)), ("requests", Span(9, 6, 9, 22)),
        ("pytest", Span(10, 4, 10, 10))]


def test_pylock() -> None:
    text = ('lock-version = "1.0"\n[[packages]]\nname = "pyyaml"\nversion = "5.3"\n'
            '[[packages]]\nname = "local"\n[[packages]]\nname = "bad"\nversion = "not a version"\n')
    parsed = parse_file(text, "pylock")
    assert [(e.key, str(e.pinned), e.locked, e.version_span) for e in parsed.entries] == [
        ("pyyaml", "5.3", True, Span(4, 11, 4, 14))]
    assert "invalid version" in parsed.problems[0].message


@pytest.mark.parametrize(("name", "kind"), [
    ("requirements.txt", "requirements"), ("requirements-dev.txt", "requirements"),
    ("constraints.txt", "constraints"), ("dev.in", "in"), ("pyproject.toml", "pyproject"),
    ("setup.cfg", "setup.cfg"), ("pylock.toml", "pylock"), ("pylock.dev.toml", "pylock"),
    ("MANIFEST.in", None), ("config.h.in", None), ("notes.txt", None), ("app.py", None)])
def test_kinds(name: str, kind: str | None) -> None:
    assert requirement_kind(f"some/dir/{name}") == kind
