"""Known-vulnerable pins against the real PyPA advisories (../shared/advisory-db/PyPI-all.zip)."""

from __future__ import annotations

import pytest

from secls.analysis import Severity
from secls.config import Config
from secls.deps.analyze import analyze_requirements
from secls.deps.database import database_at
from secls.deps.osv import AdvisoryDatabase
from tests.deps.shared_db import shared_db_path


@pytest.fixture(scope="module")
def db() -> AdvisoryDatabase:
    return database_at(shared_db_path())


REQUIREMENTS = '''\
# known-vulnerable pins
PyYAML==5.3
Jinja2==2.10
urllib3==1.24.1
requests==2.19.0
PyYAML==6.0.1
requests>=2.0
flask ; python_version >= "3"
-r other.txt
-e .
not valid ==
'''


def test_the_whole_database_is_indexed(db: AdvisoryDatabase) -> None:
    assert db.count >= 2600 and "pyyaml" in db.by_package


@pytest.mark.parametrize(("line", "ids", "fixed", "target"), [
    (2, {"PYSEC-2020-96": "5.3.1", "PYSEC-2021-142": "5.4"}, ("CVE-2020-1747", "GHSA-8q59-q68h-6hv4"), "5.4"),
    (3, {"PYSEC-2019-217": "2.10.1", "PYSEC-2021-66": "2.11.3"}, ("CVE-2019-10906", "CVE-2020-28493"), "2.11.3"),
    (4, {"PYSEC-2019-132": "1.24.3", "PYSEC-2019-133": "1.24.2"}, ("CVE-2019-11236",), "1.26.18"),
    (5, {"PYSEC-2018-28": "2.20.0", "PYSEC-2023-74": "2.31.0"}, ("CVE-2018-18074", "GHSA-j8r2-6x86-q33q"), "2.31.0"),
])
def test_vulnerable_pins_are_errors_on_their_lines(db: AdvisoryDatabase, line: int, ids: dict[str, str],
                                                   fixed: tuple[str, ...], target: str) -> None:
    findings = [f for f in analyze_requirements(REQUIREMENTS, "requirements.txt", Config(), db).findings
                if f.line == line]
    assert [(f.code, f.severity) for f in findings] == [("SEC502", Severity.ERROR)]
    finding = findings[0]
    for ident, version in ids.items():
        assert f"{ident} (" in finding.message and f"fixed in {version}" in finding.message
    for alias in fixed:
        assert alias in finding.message
    assert finding.column == 0 and finding.end_column == len(REQUIREMENTS.splitlines()[line - 1])
    assert finding.get("fix_text") == target and finding.fix is not None
    assert finding.fix.title.startswith("Upgrade ") and finding.fix.title.endswith(f" to {target}")
    assert "https://osv.dev/vulnerability/" in (finding.get("details") or "")


def test_other_lines(db: AdvisoryDatabase) -> None:
    found = {(f.line, f.code, f.severity.label) for f in
             analyze_requirements(REQUIREMENTS, "requirements.txt", Config(), db).findings if f.line > 5}
    assert found == {(7, "SEC502", "info"), (8, "SEC503", "hint"), (11, "SEC502", "warning")}


def test_bumped_pins_are_clean(db: AdvisoryDatabase) -> None:
    text = "PyYAML==5.4\nJinja2==2.11.3\nurllib3==1.26.18\nrequests==2.31.0\n"
    assert analyze_requirements(text, "requirements.txt", Config(), db).findings == []


def test_hashes_make_the_fix_unsafe_and_lock_files_have_none(db: AdvisoryDatabase) -> None:
    hashed = analyze_requirements("PyYAML==5.3 \\\n    --hash=sha256:00\n", "requirements.txt", Config(), db)
    fix = hashed.findings[0].fix
    assert fix is not None and not fix.safe and "regenerate the hashes" in fix.title
    lock = analyze_requirements('[[packages]]\nname = "pyyaml"\nversion = "5.3"\n', "pylock.toml", Config(), db)
    assert lock.findings[0].fix is None and "update the lock file" in lock.findings[0].message


def test_suppression_select_and_severity(db: AdvisoryDatabase) -> None:
    text = "PyYAML==5.3  # secls: ignore[SEC502]\nflask\n"
    result = analyze_requirements(text, "requirements.txt", Config(), db)
    assert result.suppressed == 1 and [f.code for f in result.findings] == ["SEC503"]
    config = Config().merged({"ignore": ["SEC503"], "severity": {"SEC502": "warning"}})
    result = analyze_requirements("PyYAML==5.3\nflask\n", "requirements.txt", config, db)
    assert [(f.code, f.severity) for f in result.findings] == [("SEC502", Severity.WARNING)]


def test_pyproject_and_setup_cfg(db: AdvisoryDatabase) -> None:
    pyproject = '[project]\nname = "x"\ndependencies = ["requests==2.19.0", "flask"]\n'
    result = analyze_requirements(pyproject, "pyproject.toml", Config(), db)
    assert [(f.line, f.column, f.code) for f in result.findings] == [(3, 17, "SEC502")]  # no SEC503 in libraries
    broken = analyze_requirements("[project\n", "pyproject.toml", Config(), db)
    assert broken.syntax_error is not None and broken.syntax_error.line == 1
    cfg = "[options]\ninstall_requires =\n    jinja2==2.10\n"
    assert [f.line for f in analyze_requirements(cfg, "setup.cfg", Config(), db).findings] == [3]
