"""`secls review` on nova's test_vpmem.py reaches the seed review's verdict: no direct security defects."""

from __future__ import annotations

import json
from pathlib import Path

from secls.analysis.findings import CATEGORIES
from secls.cli import main
from tests.review.chromium import render

VPMEM = "nova/tests/functional/libvirt/test_vpmem.py"


def review(nova_root: Path, tmp_path: Path, fmt: str) -> str:
    out = tmp_path / f"review.{fmt}"
    code = main(["review", "--root", str(nova_root), "--no-cache", "--format", fmt, "--output", str(out),
                 str(nova_root / VPMEM)])
    assert code == 0  # informational notes do not fail the run
    return out.read_text(encoding="utf-8")


def test_vpmem_markdown_verdict(nova_root: Path, tmp_path: Path) -> None:
    md = review(nova_root, tmp_path, "md")
    headings = [line[4:] for line in md.splitlines() if line.startswith("### ") and line[4].isdigit()]
    assert headings == [f"{n}. {title}" for n, title in enumerate(CATEGORIES.values(), 1)]
    assert md.count("**Verdict:** No defects") == 8
    # What was examined, as the seed review describes it.
    assert "3 TestCase classes, 3 setUp methods (VPMEMTestBase.setUp, VPMEMTests.setUp, VPMEMResizeTests.setUp)." in md
    assert "9 acquisitions, all released: 8 via useFixture, 1 via with." in md
    # Resolved through nova's bases to oslotest's BaseTestCase.
    assert "Bases stop every started patcher (mock.patch.stopall) in 3 of 3 classes." in md
    assert "4 third-party modules imported: fixtures, oslo_config, oslo_log, oslo_utils." in md
    assert ("2 of them replace security controls: 2 privsep functions (`nova.privsep.libvirt.cleanup_vpmem`, "
            "`nova.privsep.libvirt.get_pmem_namespaces`).") in md
    assert f"{nova_root / VPMEM}:72`** SEC801" in md and f"{nova_root / VPMEM}:74`** SEC801" in md
    verdict = md.split("### Verdict\n\n", 1)[1]
    assert verdict.startswith("No direct security defects were found. 2 informational notes to read: "
                              "2 × SEC801 security-control-patched: privsep functions patched out")
    assert md.rstrip().endswith("No direct security defects were found in 1 file reviewed (2 informational notes).")


def test_vpmem_json_and_html(nova_root: Path, tmp_path: Path) -> None:
    data = json.loads(review(nova_root, tmp_path, "json"))
    [file] = data["files"]
    assert file["defects"] == 0 and file["error"] is None
    assert [(f["code"], f["line"], f["severity"]) for s in file["sections"] for f in s["findings"]] == [
        ("SEC801", 72, "info"), ("SEC801", 74, "info")]
    assert [c["text"] for c in file["classes"]] == [
        "setUp acquires 6, releases 6; other methods acquire 1, release 1; via useFixture 6, with 1",
        "setUp acquires 0, releases 0",
        "setUp acquires 2, releases 2; via useFixture 2",
    ]

    review(nova_root, tmp_path, "html")
    dom = render(tmp_path / "review.html")
    sections = dom.find_all("section", "category")
    assert [s.attrs["data-category"] for s in sections] == list(CATEGORIES)
    assert all("clean" in s.attrs["class"].split() for s in sections)
    notes = [i for i in dom.find_all("li", "finding")]
    assert [(i.attrs["data-line"], i.attrs["data-code"]) for i in notes] == [("72", "SEC801"), ("74", "SEC801")]
    assert "'nova.privsep.libvirt.cleanup_vpmem'))" in notes[0].find_all("span", "hit")[0].text
    assert dom.find_all("p", "verdict")[-1].text.startswith("No direct security defects were found")
