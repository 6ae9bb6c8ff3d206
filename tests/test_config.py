"""`[tool.secls]` in pyproject.toml, editor settings, and the errors bad settings produce."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePath

import pytest

from secls.config import (DEFAULT_EXCLUDE, Config, ConfigError, config_for, default_test_path,
                          find_project_root, load_pyproject)
from secls.analysis.findings import Severity


def write(folder: Path, text: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_importing_config_first_works() -> None:
    # secls.analysis imports secls.config; importing config on its own must not be circular.
    proc = subprocess.run([sys.executable, "-c", "import secls.config"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_full_table(tmp_path: Path) -> None:
    path = write(tmp_path, '''
[project]
requires-python = ">=3.10"

[tool.secls]
select = ["SEC3", "sec801"]
ignore = ["SEC305"]
severity = { SEC302 = "error", SEC3 = "info", SEC303 = "H" }
test-globs = ["it/*.py"]
exclude = ["generated"]
target-version = "py311"
debounce-ms = 0
''')
    config = load_pyproject(path)
    assert config.select == ("SEC3", "SEC801")
    assert config.ignore == ("SEC305",)
    assert config.severity_for("SEC302", Severity.WARNING) == Severity.ERROR
    assert config.severity_for("SEC303", Severity.WARNING) == Severity.HINT
    assert config.severity_for("SEC301", Severity.WARNING) == Severity.INFO  # the SEC3 prefix
    assert config.severity_for("SEC101", Severity.WARNING) == Severity.WARNING
    assert config.test_globs == ("it/*.py",)
    assert config.exclude == ("generated",)
    assert config.target_version == (3, 11)  # explicit setting wins over requires-python
    assert config.debounce_ms == 0


def test_missing_file_and_missing_table_are_defaults(tmp_path: Path) -> None:
    assert load_pyproject(tmp_path / "pyproject.toml") == Config()
    assert load_pyproject(write(tmp_path, "[project]\nname = 'x'\n")) == Config()


def test_requires_python_gives_target_version(tmp_path: Path) -> None:
    assert load_pyproject(write(tmp_path, '[project]\nrequires-python = ">=3.9, <4"\n')).target_version == (3, 9)
    assert load_pyproject(write(tmp_path, '[project]\nrequires-python = "~=3.12.1"\n')).target_version == (3, 12)
    assert load_pyproject(write(tmp_path, '[project]\nrequires-python = "<4"\n')).target_version is None


def test_extend_exclude_keeps_the_defaults(tmp_path: Path) -> None:
    config = load_pyproject(write(tmp_path, '[tool.secls]\nextend-exclude = ["gen"]\n'))
    assert config.exclude == DEFAULT_EXCLUDE + ("gen",)


@pytest.mark.parametrize("value, expected", [
    ('"3.11"', (3, 11)), ('"py311"', (3, 11)), ('"py39"', (3, 9)), ('"3.12.1"', (3, 12)),
    ('"py3.10"', (3, 10)), ('"310"', (3, 10)),
])
def test_target_versions(tmp_path: Path, value: str, expected: tuple[int, int]) -> None:
    assert load_pyproject(write(tmp_path, f"[tool.secls]\ntarget-version = {value}\n")).target_version == expected


@pytest.mark.parametrize("body, words", [
    ('select = "SEC301 SEC302"', None),  # a string of codes is accepted
    ("select = 3", ["select", "list of rule codes", "3"]),
    ('ignore = ["SEC301", 4]', ["ignore", "list of rule codes"]),
    ('severity = "error"', ["severity", "table"]),
    ('severity = { SEC301 = "loud" }', ["severity", "loud", "error, warning, info or hint"]),
    ("exclude = [1]", ["exclude", "glob"]),
    ("test-globs = 5", ["test-globs", "glob"]),
    ('target-version = "three"', ["target-version", "three", "3.11"]),
    ('target-version = "3"', ["target-version", "'3'"]),
    ("target-version = 3.10", ["target-version", "string", "3.1"]),
    ("debounce-ms = -5", ["debounce-ms", ">= 0"]),
    ("debounce-ms = true", ["debounce-ms"]),
])
def test_bad_values(tmp_path: Path, body: str, words: list[str] | None) -> None:
    path = write(tmp_path, f"[tool.secls]\n{body}\n")
    if words is None:
        assert load_pyproject(path).select == ("SEC301", "SEC302")
        return
    with pytest.raises(ConfigError) as info:
        load_pyproject(path)
    for word in words:
        assert word in str(info.value)


def test_bad_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.secls\nselect = [\n")
    with pytest.raises(ConfigError, match="pyproject.toml: cannot read"):
        load_pyproject(path)


def test_tool_secls_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, '[tool]\nsecls = "on"\n')
    with pytest.raises(ConfigError, match=r"\[tool.secls\] must be a table"):
        load_pyproject(path)


def test_editor_settings_in_camel_case() -> None:
    config = Config().merged({"select": ["SEC301"], "testGlobs": ["x/*.py"], "targetVersion": "3.12",
                              "debounceMs": 10, "extendExclude": ["gen"], "unknown": 1, "ignore": None})
    assert config.select == ("SEC301",) and config.test_globs == ("x/*.py",)
    assert config.target_version == (3, 12) and config.debounce_ms == 10
    assert config.exclude[-1] == "gen" and config.ignore == ()


def test_select_and_ignore_prefixes() -> None:
    config = Config(select=("SEC3",), ignore=("SEC305",))
    assert config.is_enabled("SEC301")
    assert not config.is_enabled("SEC305")
    assert not config.is_enabled("SEC101")
    assert not config.is_enabled("SEC804", enabled_by_default=False)
    # An off-by-default rule needs its full code; a prefix does not turn it on.
    assert not Config(select=("SEC8",)).is_enabled("SEC804", enabled_by_default=False)
    assert Config(select=("SEC804",)).is_enabled("SEC804", enabled_by_default=False)
    assert Config().is_enabled("SEC101") and not Config().is_enabled("SEC804", enabled_by_default=False)


def test_excludes() -> None:
    config = Config()
    assert config.is_excluded(PurePath(".venv/lib/x.py"))
    assert config.is_excluded(PurePath("pkg/__pycache__"))
    assert config.is_excluded(PurePath("secls.egg-info"))
    assert not config.is_excluded(PurePath("pkg/mod.py"))
    custom = Config(exclude=("*_pb2.py", "docs/*"))
    assert custom.is_excluded(PurePath("pkg/api_pb2.py"))
    assert custom.is_excluded(PurePath("docs/conf.py"))
    assert not custom.is_excluded(PurePath(".venv/x.py"))


def test_nearest_pyproject(tmp_path: Path) -> None:
    write(tmp_path, '[tool.secls]\nselect = ["SEC301"]\n')
    inner = tmp_path / "sub" / "inner"
    inner.mkdir(parents=True)
    write(inner, '[tool.secls]\nselect = ["SEC302"]\n')
    (tmp_path / "sub" / "a.py").write_text("")
    assert find_project_root(tmp_path / "sub" / "a.py") == tmp_path
    assert config_for(tmp_path / "sub" / "a.py").select == ("SEC301",)
    assert config_for(inner).select == ("SEC302",)


@pytest.mark.parametrize("path, expected", [
    ("test_x.py", True), ("x_test.py", True), ("conftest.py", True), ("tests/helpers.py", True),
    ("pkg/test/util.py", True), ("pkg/mod.py", False), ("testing.py", False), ("contest.py", False),
])
def test_default_test_path(path: str, expected: bool) -> None:
    assert default_test_path(PurePath(path)) is expected


def test_test_globs() -> None:
    assert default_test_path(PurePath("it/check.py"), ("it/*.py",))
    assert default_test_path(PurePath("deep/it/check.py"), ("check.py",))
    assert not default_test_path(None)


def test_unknown_pyproject_key_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.secls]\nselct = ["SEC3"]\n')
    with pytest.raises(ConfigError, match="unknown setting 'selct'"):
        load_pyproject(tmp_path / "pyproject.toml")


def test_editor_settings_may_carry_keys_of_their_own() -> None:
    assert Config().merged({"interpreter": "/usr/bin/python3", "select": ["SEC301"]}).select == ("SEC301",)
