"""The OSV query API client against a loopback server: batch queries, the cache, offline behaviour."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.version import Version

from secls.config import Config
from secls.deps.analyze import analyze_requirements
from secls.deps.osv_api import OsvApi
from secls.deps.sources import pins_of, with_api

from tests.deps.osv_stub import VULN, OsvStub


@pytest.fixture
def stub() -> Iterator[OsvStub]:
    server = OsvStub()
    yield server
    server.stop()


def test_fetch_caches_answers_and_advisories(stub: OsvStub, tmp_path: Path) -> None:
    api = OsvApi(stub.url, tmp_path)
    pins = [("demo-pkg", "1.0"), ("other", "2.0")]
    assert api.stale(pins) == pins
    assert api.fetch(pins) is True
    assert stub.requests == ["/v1/querybatch", f"/v1/vulns/{VULN['id']}"]
    db = api.cached_database(pins)
    assert [m.advisory.id for m in db.matches("demo-pkg", Version("1.0"))] == ["GHSA-test-0001"]
    assert api.stale(pins) == [] and api.fetch(pins) is False and len(stub.requests) == 2
    # A new process (a new client) answers from the disk cache alone.
    again = OsvApi(stub.url, tmp_path)
    assert again.stale(pins) == []
    assert [m.fixed for m in again.cached_database(pins).matches("demo-pkg", Version("1.0"))] == [Version("1.5")]


def test_offline_logs_one_line_and_keeps_the_cache(stub: OsvStub, tmp_path: Path,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    api = OsvApi(stub.url, tmp_path, timeout=0.5)
    api.fetch([("demo-pkg", "1.0")])
    stub.stop()
    offline = OsvApi(stub.url, tmp_path, timeout=0.5)
    with caplog.at_level(logging.WARNING, logger="secls.deps.osv_api"):
        assert offline.fetch([("demo-pkg", "1.1"), ("demo-pkg", "1.0")]) is False
        assert offline.fetch([("demo-pkg", "1.2")]) is False  # known offline: no second try, no second line
    lines = [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(lines) == 1 and stub.url in lines[0]
    assert offline.stale([("demo-pkg", "1.3")]) == []
    db = offline.cached_database([("demo-pkg", "1.0")])
    assert db.matches("demo-pkg", Version("1.0"))


def test_requirement_check_with_the_api(stub: OsvStub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECLS_CACHE_DIR", str(tmp_path))
    config = Config().merged({"osvApi": stub.url})
    text = "demo-pkg==1.0\ndemo-pkg==1.5  # ok\n"
    db = with_api(None, config, pins_of(text, "requirements.txt"), fetch=True)
    findings = analyze_requirements(text, "requirements.txt", config, db).findings
    assert [(f.line, f.code, f.get("fix_text")) for f in findings] == [(1, "SEC502", "1.5")]
    assert "GHSA-test-0001 (CVE-2099-0001)" in findings[0].message


def test_cli_osv_api_flag(stub: OsvStub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    from secls.cli import main

    monkeypatch.setenv("SECLS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SECLS_ADVISORY_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "requirements.txt").write_text("demo-pkg==1.0\n")
    assert main(["check", "--format", "json", "--osv-api", stub.url, "requirements.txt"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["SEC502"]


def test_setting_validation() -> None:
    assert Config().merged({"osv-api": True}).osv_api == "https://api.osv.dev"
    assert Config().merged({"osvApi": False}).osv_api is None
    with pytest.raises(ValueError):
        Config().merged({"osvApi": "ftp://x"})
