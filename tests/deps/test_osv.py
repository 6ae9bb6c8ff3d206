"""OSV version matching (ranges, last_affected, explicit versions, invalid data) and loading."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from secls.deps.osv import AdvisoryDatabase, AdvisoryDbError, load_database


def advisory(ident: str, package: str, *ranges: list[dict[str, str]], versions: list[str] = (),
             aliases: tuple[str, ...] = (), summary: str = "") -> dict:
    return {"id": ident, "aliases": list(aliases), "summary": summary, "details": "Long details. " * 40,
            "affected": [{"package": {"ecosystem": "PyPI", "name": package},
                          "ranges": [{"type": "ECOSYSTEM", "events": events} for events in ranges],
                          "versions": list(versions)}]}


def db_of(*advisories: dict) -> AdvisoryDatabase:
    db = AdvisoryDatabase("memory")
    for a in advisories:
        db.add(a)
    return db


def affected(db: AdvisoryDatabase, key: str, version: str) -> list[str]:
    return [m.advisory.id for m in db.matches(key, Version(version))]


def test_introduced_fixed_ranges_and_branches() -> None:
    db = db_of(advisory("A-1", "My_Pkg", [{"introduced": "0"}, {"fixed": "1.2.0"}],
                        [{"introduced": "2.0"}, {"fixed": "2.0.5"}]))
    assert affected(db, "my-pkg", "1.0") == ["A-1"]
    assert affected(db, "my-pkg", "1.2.0") == []
    assert affected(db, "my-pkg", "1.9") == []
    assert affected(db, "my-pkg", "2.0.4") == ["A-1"]
    assert affected(db, "my-pkg", "2.0.5") == []
    assert [str(m.fixed) for m in db.matches("my-pkg", Version("2.0.1"))] == ["2.0.5"]
    assert db.upgrade_target("my-pkg", Version("2.0.1"), {"A-1"}) == (Version("2.0.5"), "")


def test_last_affected_explicit_versions_and_prereleases() -> None:
    db = db_of(advisory("B-1", "pkg", [{"introduced": "1.0"}, {"last_affected": "1.4"}]),
               advisory("B-2", "pkg", versions=["3.0", "not-a-version"]))
    assert affected(db, "pkg", "0.9") == []
    assert affected(db, "pkg", "1.4") == ["B-1"]
    assert affected(db, "pkg", "1.4.1") == []
    assert affected(db, "pkg", "1.3rc1") == ["B-1"]
    assert affected(db, "pkg", "3.0") == ["B-2"] and affected(db, "pkg", "3.0.0") == ["B-2"]  # PEP 440 equality
    assert db.upgrade_target("pkg", Version("1.2"), {"B-1"}) == (None, "no fixed version is known")


def test_invalid_versions_in_data_never_crash() -> None:
    db = db_of(advisory("C-1", "pkg", [{"introduced": "garbage"}, {"fixed": "also garbage"}]),
               advisory("C-2", "pkg", [{"introduced": "0"}, {"fixed": "1.0"}], versions=[None, 3]))
    assert affected(db, "pkg", "0.5") == ["C-2"]


def test_upgrade_target_notes_when_no_version_fixes_everything() -> None:
    db = db_of(advisory("D-1", "pkg", [{"introduced": "0"}, {"fixed": "2.0"}]),
               advisory("D-2", "pkg", [{"introduced": "0"}]))  # never fixed
    assert db.upgrade_target("pkg", Version("1.0"), {"D-1", "D-2"}) == (
        Version("2.0"), "no version fixes every listed advisory")
    db = db_of(advisory("E-1", "pkg", [{"introduced": "0"}, {"fixed": "2.0"}]),
               advisory("E-2", "pkg", [{"introduced": "2.0"}, {"fixed": "2.1"}]))
    assert db.upgrade_target("pkg", Version("1.0"), {"E-1"}) == (Version("2.1"), "")


def test_summary_falls_back_to_details_and_links_to_osv() -> None:
    db = db_of(advisory("F-1", "pkg", [{"introduced": "0"}, {"fixed": "1"}]))
    adv = db.matches("pkg", Version("0.1"))[0].advisory
    assert adv.summary.startswith("Long details.") and len(adv.summary) <= 240
    assert adv.link == "https://osv.dev/vulnerability/F-1"


def test_load_folder_json_and_yaml(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(advisory("G-1", "pkg", [{"introduced": "0"}, {"fixed": "1"}])))
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yaml").write_text(
        "id: G-2\naffected:\n- package: {ecosystem: PyPI, name: other}\n  versions: ['1.0']\n")
    db = load_database(str(tmp_path))
    assert affected(db, "pkg", "0.5") == ["G-1"]
    pytest.importorskip("yaml")
    assert affected(db, "other", "1.0") == ["G-2"]
    assert any("bad.json" in note for note in db.notes)


def test_load_zip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "all.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("H-1.json", json.dumps(advisory("H-1", "pkg", [{"introduced": "0"}, {"fixed": "1"}])))
    assert affected(load_database(str(path)), "pkg", "0.1") == ["H-1"]
    with pytest.raises(AdvisoryDbError, match="no such"):
        load_database(str(tmp_path / "missing.zip"))
    (tmp_path / "plain.txt").write_text("x")
    with pytest.raises(AdvisoryDbError, match="not a folder or a zip"):
        load_database(str(tmp_path / "plain.txt"))


def test_listed_versions_match_their_pep440_spellings() -> None:
    db = db_of(advisory("I-1", "pkg", versions=["2.10", "3.0.0", "4.0rc1"]))
    assert affected(db, "pkg", "2.10.0") == ["I-1"] and affected(db, "pkg", "3") == ["I-1"]
    assert affected(db, "pkg", "4.0rc1") == ["I-1"] and affected(db, "pkg", "4.0") == []
    assert affected(db, "pkg", "2.1") == []


def test_bump_title_says_when_no_version_fixes_everything() -> None:
    from secls.deps.analyze import analyze_requirements

    db = db_of(advisory("J-1", "pkg", [{"introduced": "0"}, {"fixed": "2.0"}], aliases=("CVE-2000-1",)),
               advisory("J-2", "pkg", [{"introduced": "0"}]))
    finding = analyze_requirements("pkg==1.0\n", "requirements.txt", None, db).findings[0]
    assert finding.fix is not None and not finding.fix.safe
    assert finding.fix.title == "Upgrade pkg to 2.0 (no version fixes every listed advisory)"
    assert "J-1 (CVE-2000-1) fixed in 2.0; J-2 not fixed" in finding.message
    never = db_of(advisory("K-1", "pkg", [{"introduced": "0"}]))
    finding = analyze_requirements("pkg==1.0\n", "requirements.txt", None, never).findings[0]
    assert finding.fix is None and finding.message.endswith("(no fixed version is known)")


@pytest.mark.parametrize("broken", [
    {"id": "L-1", "affected": None}, {"id": "L-2", "affected": [None, {"package": None}]},
    {"id": "L-3", "affected": [{"package": {"name": "pkg"}, "ranges": None, "versions": None}]},
    {"id": "L-4", "affected": [{"package": {"name": "pkg"}, "ranges": [{"type": "ECOSYSTEM", "events": None}]}]},
    {"id": "L-5", "affected": [{"package": {"name": "pkg"}, "ranges": [{"type": "ECOSYSTEM", "events": [None, {}]}]}]},
])
def test_malformed_advisories_never_crash(broken: dict) -> None:
    assert affected(db_of(broken), "pkg", "1.0") == []
