"""`secls baseline create` and `secls check` with a baseline: hidden, back when edited, stale entries."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import LEAKY, run_subprocess

BASELINE = ".secls-baseline.json"
TWO_LEAKS = LEAKY.replace("        self.d = tempfile.mkdtemp()\n",
                          "        self.d = tempfile.mkdtemp()\n        self.e = tempfile.mkdtemp(suffix='e')\n")


def codes(run) -> list[tuple[str, int]]:
    """(code, line) of the findings of a JSON run."""
    return [(f["code"], f["line"]) for f in run.json()["findings"]]


def test_create_then_check_hides_everything_until_the_statement_changes(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(LEAKY)
    run = secls("baseline", "create", "--reason", "accepted in review 42")
    assert run.code == 0, run.err
    assert run.out == f"Wrote 1 entry (1 file) to {BASELINE}.\n"
    [entry] = json.loads((project / BASELINE).read_text())["entries"]
    assert (entry["path"], entry["code"], entry["scope"], entry["reason"]) == (
        "test_leak.py", "SEC302", "T.setUp", "accepted in review 42")

    run = secls("check", ".")
    assert (run.code, run.out) == (0, "No findings in 1 file checked.\n")
    assert "1 baselined finding hidden" in run.err

    # Lines shift and the statement is reformatted: still accepted.
    (project / "test_leak.py").write_text("# a new header\n\n" + LEAKY.replace(
        "self.d = tempfile.mkdtemp()", "self.d = (\n            tempfile.mkdtemp()  # temporary\n        )"))
    assert secls("check", ".").code == 0

    # The flagged statement changes: the finding is back and the entry is stale (not a failure by itself).
    (project / "test_leak.py").write_text(LEAKY.replace("tempfile.mkdtemp()", "tempfile.mkdtemp(prefix='t')"))
    run = secls("check", "--format", "json", ".")
    assert run.code == 1
    assert codes(run) == [("SEC302", 7)]
    baseline = run.json()["baseline"]
    assert (baseline["file"], baseline["hidden"]) == (BASELINE, 0)
    assert [(e["path"], e["code"], e["reason"]) for e in baseline["stale"]] == [
        ("test_leak.py", "SEC302", "accepted in review 42")]
    assert "1 entry of .secls-baseline.json no longer matches any finding" in run.err
    assert "  test_leak.py: SEC302 in T.setUp: " in run.err


def test_stale_entries_alone_do_not_fail_the_run(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(LEAKY)
    secls("baseline", "create")
    (project / "test_leak.py").write_text(LEAKY.replace("self.d = tempfile.mkdtemp()", "pass"))
    run = secls("check", "test_leak.py")
    assert run.code == 0 and "no longer matches any finding" in run.err


def test_no_baseline_and_an_explicit_baseline(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(TWO_LEAKS)
    (project / "sub").mkdir()
    assert secls("baseline", "create", "--output", "sub/accepted.json", "test_leak.py").code == 0
    assert not (project / BASELINE).exists()
    assert [e["path"] for e in json.loads((project / "sub/accepted.json").read_text())["entries"]] == [
        "../test_leak.py", "../test_leak.py"]
    assert len(codes(secls("check", "--format", "json", "."))) == 2  # the default file does not exist
    run = secls("check", "--format", "json", "--baseline", "sub/accepted.json", ".")
    assert (run.code, codes(run)) == (0, [])
    secls("baseline", "create")
    run = secls("check", "--format", "json", "--no-baseline", ".")
    assert len(codes(run)) == 2 and "baseline" not in run.json()
    assert secls("check", "--baseline", "x.json", "--no-baseline", ".").code == 2


def test_occurrences_of_identical_statements(project: Path, secls) -> None:
    source = LEAKY.replace("        self.d = tempfile.mkdtemp()\n", "        self.d = tempfile.mkdtemp()\n" * 2)
    (project / "test_leak.py").write_text(source)
    secls("baseline", "create")
    assert [e["occurrence"] for e in json.loads((project / BASELINE).read_text())["entries"]] == [0, 1]
    (project / "test_leak.py").write_text(source.replace("        self.d = tempfile.mkdtemp()\n" * 2,
                                                         "        self.d = tempfile.mkdtemp()\n" * 3))
    run = secls("check", "--format", "json", ".")
    assert codes(run) == [("SEC302", 9)] and run.json()["baseline"]["hidden"] == 2


def test_only_checked_files_and_selected_rules_have_stale_entries(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(LEAKY)
    (project / "test_other.py").write_text(LEAKY)
    secls("baseline", "create")
    (project / "test_other.py").write_text(LEAKY.replace("self.d = tempfile.mkdtemp()", "pass"))
    assert secls("check", "--format", "json", "test_leak.py").json()["baseline"]["stale"] == []
    assert secls("check", "--format", "json", "--ignore", "SEC302", ".").json()["baseline"]["stale"] == []
    stale = secls("check", "--format", "json", ".").json()["baseline"]["stale"]
    assert [e["path"] for e in stale] == ["test_other.py"]
    # A deleted file's entries are stale when its folder is checked.
    (project / "test_other.py").unlink()
    assert secls("check", "--format", "json", "test_leak.py").json()["baseline"]["stale"] == []
    stale = secls("check", "--format", "json", ".").json()["baseline"]["stale"]
    assert [e["path"] for e in stale] == ["test_other.py"]


def test_recreating_keeps_reasons_and_is_deterministic(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(LEAKY)
    secls("baseline", "create", "--reason", "tmp dirs are cleaned by CI")
    first = (project / BASELINE).read_text()
    (project / "test_leak.py").write_text(TWO_LEAKS)
    secls("baseline", "create")
    entries = json.loads((project / BASELINE).read_text())["entries"]
    assert sorted(e.get("reason", "") for e in entries) == ["", "tmp dirs are cleaned by CI"]  # the new one: none
    (project / "test_leak.py").write_text(LEAKY)
    secls("baseline", "create")
    assert (project / BASELINE).read_text() == first


def test_malformed_or_missing_baselines_exit_2_with_a_message(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(LEAKY)
    (project / BASELINE).write_text('{"version": 1, "entries": [')
    run = secls("check", ".")
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("secls: configuration error: baseline .secls-baseline.json: not valid JSON (line 1")
    run = secls("check", "--baseline", "nowhere.json", ".")
    assert run.code == 2 and "baseline nowhere.json: cannot read" in run.err
    # create replaces a malformed file, saying so.
    run = secls("baseline", "create")
    assert run.code == 0 and "could not be read" in run.err
    assert secls("check", ".").code == 0


def test_create_does_not_write_when_a_path_is_missing(project: Path, secls) -> None:
    run = secls("baseline", "create", "missing_dir")
    assert run.code == 2 and "not written" in run.err
    assert not (project / BASELINE).exists()
    assert secls("baseline", "create", "--root", "missing_dir").code == 2


def test_requirement_files_are_baselined_by_their_line(project: Path, secls) -> None:
    (project / "requirements.txt").write_text("requests\n")
    run = secls("check", "--format", "json", "--select", "SEC503", "requirements.txt")
    assert codes(run) == [("SEC503", 1)]
    secls("baseline", "create", "requirements.txt")
    (project / "requirements.txt").write_text("# runtime\nrequests   \n")
    assert codes(secls("check", "--format", "json", "--select", "SEC503", "requirements.txt")) == []
    (project / "requirements.txt").write_text("requests[security]\n")
    assert len(codes(secls("check", "--format", "json", "--select", "SEC503", "requirements.txt"))) == 1


def test_subprocess_round_trip(tmp_path: Path) -> None:
    (tmp_path / "test_leak.py").write_text(LEAKY)
    assert run_subprocess("baseline", "create", "--no-resolve", cwd=tmp_path).code == 0
    run = run_subprocess("check", "--no-resolve", ".", cwd=tmp_path)
    assert (run.code, run.out) == (0, "No findings in 1 file checked.\n")


def test_a_file_that_does_not_parse_keeps_its_entries(project: Path, secls) -> None:
    (project / "test_leak.py").write_text(LEAKY)
    secls("baseline", "create", "--reason", "known")
    before = (project / BASELINE).read_text()
    (project / "test_leak.py").write_text(LEAKY + "def broken(:\n")
    run = secls("check", "--format", "json", ".")
    assert run.json()["baseline"]["stale"] == [] and run.json()["errors"]
    run = secls("baseline", "create")
    assert run.code == 0 and "test_leak.py:11:" in run.err
    assert (project / BASELINE).read_text() == before
