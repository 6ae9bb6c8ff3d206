"""The HTML review, rendered by headless Chromium: eight sections per file, findings with lines and excerpts."""

from __future__ import annotations

import re
from pathlib import Path

from secls.analysis.findings import CATEGORIES
from secls.cli import main
from tests.cli.test_cli_review import MIXED
from tests.review.chromium import render

# Findings of MIXED by (line, code), as `secls check` reports them.
EXPECTED = {(1, "SEC501"), (8, "SEC201"), (12, "SEC102"), (14, "SEC104"), (15, "SEC401"), (21, "SEC801"),
            (22, "SEC301"), (25, "SEC707"), (25, "SEC703")}


def test_html_review_in_chromium(tmp_path: Path) -> None:
    module = tmp_path / "test_mixed.py"
    module.write_text(MIXED)
    page = tmp_path / "review.html"
    assert main(["review", "--no-resolve", "--format", "html", "--output", str(page), str(module)]) == 1
    html = page.read_text(encoding="utf-8")
    # Self-contained: nothing to fetch, nothing to run.
    assert not re.search(r"<(script|link|img|iframe)\b", html) and not re.search(r"(src|href)=", html)

    dom = render(page)
    [article] = dom.find_all("article", "file")
    sections = article.find_all("section", "category")
    assert [s.attrs["data-category"] for s in sections] == list(CATEGORIES)
    assert [s.find_all("h3")[0].text for s in sections] == [f"{n}. {t}" for n, t in enumerate(CATEGORIES.values(), 1)]
    for section in sections:
        assert section.find_all("ul", "examined")[0].find_all("li"), section.attrs
        assert section.find_all("p", "verdict")[0].text.startswith("Verdict: ")

    lines = MIXED.splitlines()
    found = set()
    for section in sections:
        for item in section.find_all("li", "finding"):
            line, code = int(item.attrs["data-line"]), item.attrs["data-code"]
            found.add((line, code))
            assert item.find_all("span", "location")[0].text == f"{module}:{line}"
            # The excerpt shows the flagged line, marked, with its number, among a few lines around it.
            rows = item.find_all("span", "src")
            assert 2 <= len(rows) <= 9
            [hit] = [r for r in rows if "hit" in r.attrs["class"].split()]
            assert hit.attrs["data-line"] == str(line)
            assert hit.text == f"{line}{lines[line - 1]}"
    assert found == EXPECTED
    severities = {i.attrs["data-code"]: i.attrs["data-severity"]
                  for s in sections for i in s.find_all("li", "finding")}
    assert severities["SEC703"] == "error" and severities["SEC801"] == "info"
    assert dom.find_all("p", "verdict")[-1].text.startswith("6 security defects to fix in 1 file reviewed")
    # Markdown code spans of messages and examined facts are <code> elements.
    assert "API_PASSWORD" in [c.text for c in dom.find_all("code")]
