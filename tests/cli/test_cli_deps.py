"""`secls check` over requirement files: --advisory-db, the setting, the variable, includes, discovery."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.deps.shared_db import shared_db_path


@pytest.fixture
def db() -> str:
    return shared_db_path()


def codes(run) -> list[tuple[str, int, str]]:
    return sorted((f["path"], f["line"], f["code"]) for f in run.json()["findings"])


def test_advisory_db_flag_includes_and_cycles(project: Path, secls, db: str) -> None:
    (project / "requirements.txt").write_text("PyYAML==5.3\n-r more.txt\n-c missing.txt\nflask\n")
    (project / "more.txt").write_text("requests==2.19.0\n-r requirements.txt\n")  # a cycle
    run = secls("check", "--format", "json", "--advisory-db", db, "requirements.txt")
    assert run.code == 1
    assert codes(run) == [("more.txt", 1, "SEC502"), ("requirements.txt", 1, "SEC502"),
                          ("requirements.txt", 4, "SEC503")]
    errors = run.json()["errors"]
    assert len(errors) == 1 and "missing.txt" in errors[0]["path"] and "not found" in errors[0]["message"]


def test_folders_find_requirement_files_but_not_pyproject(project: Path, secls, db: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECLS_ADVISORY_DB", db)
    (project / "requirements-dev.txt").write_text("Jinja2==2.10\n")
    (project / "constraints.txt").write_text("urllib3==1.24.1\n")
    (project / "dev.in").write_text("requests>=2.0\n")
    (project / "MANIFEST.in").write_text("include README.md\n")
    (project / "notes.txt").write_text("not a requirement file\n")
    (project / "app.py").write_text("import telnetlib\n")
    (project / "pyproject.toml").write_text('[project]\nname = "demo"\ndependencies = ["PyYAML==5.3"]\n')
    run = secls("check", "--format", "json", ".")
    assert {(Path(p).name, line, code) for p, line, code in codes(run)} == {
        ("app.py", 1, "SEC501"), ("constraints.txt", 1, "SEC502"), ("dev.in", 1, "SEC502"),
        ("requirements-dev.txt", 1, "SEC502")}
    named = secls("check", "--format", "json", "pyproject.toml")
    assert codes(named) == [("pyproject.toml", 3, "SEC502")]


def test_setting_in_pyproject_is_relative_to_it(project: Path, secls, db: str) -> None:
    path = os.path.relpath(db, project).replace("\\", "/")
    (project / "pyproject.toml").write_text(f'[tool.secls]\nadvisory-db = "{path}"\n')
    (project / "sub").mkdir()
    (project / "sub" / "requirements.txt").write_text("PyYAML==5.3\n")
    run = secls("check", "--format", "json", "sub")
    assert [c for _, _, c in codes(run)] == ["SEC502"]


def test_bad_advisory_db_is_a_configuration_error(project: Path, secls) -> None:
    (project / "requirements.txt").write_text("PyYAML==5.3\n")
    run = secls("check", "--advisory-db", str(project / "nope.zip"), "requirements.txt")
    assert run.code == 2 and "no such advisory database" in run.err
    (project / "pyproject.toml").write_text("[tool.secls]\nadvisory-db = 3\n")
    assert secls("check", "requirements.txt").code == 2


def test_without_a_database_only_unreadable_lines_and_unpinned(project: Path, secls,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SECLS_ADVISORY_DB", raising=False)
    (project / "requirements.txt").write_text("PyYAML==5.3\nflask\nbad line here\n")
    run = secls("check", "--format", "json", "requirements.txt")
    assert codes(run) == [("requirements.txt", 2, "SEC503"), ("requirements.txt", 3, "SEC502")]
