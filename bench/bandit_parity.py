"""Bandit parity: for each MEDIUM/HIGH finding bandit 1.9.4 reports on its own `examples/`, does secls report
the corresponding category within two lines?

Run: python bench/bandit_parity.py [--examples DIR] [--json]
Without --examples the bandit 1.9.4 sdist is downloaded (`pip download --no-deps --no-binary :all:`) into the
corpus tests' cache (.corpus/, or $SECLS_CORPUS_DIR) and its `examples/` unpacked there. bandit itself must be
installed (it is in the `test` extra). Bandit test IDs map to secls categories through the rules' `bandit=`
cross-references, so the comparison follows the rule set as it grows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BANDIT = "bandit==1.9.4"
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # measure the checkout this script sits in
CACHE = Path(os.environ.get("SECLS_CORPUS_DIR", REPO / ".corpus"))
SEVERITIES = ("MEDIUM", "HIGH")
WINDOW = 2

_CONSTANT_SQL = "constant SQL: the text is a literal, or built only from literals (RULES.md: SEC103 must not fire)"
# (file, line, test ID) -> why secls deliberately stays silent where bandit reports.
# Categories 1 and 2 miss nothing else on bandit's examples.
DELIBERATE: dict[tuple[str, int, str], str] = {
    **{("django_sql_injection_extra.py", line, "B610"): _CONSTANT_SQL for line in (12, 13, 15, 16, 17, 20, 22, 23,
                                                                                  24, 27, 29)},
    **{("django_sql_injection_raw.py", line, "B611"): _CONSTANT_SQL for line in (5, 6, 8, 11, 12, 13)},
    ("mark_safe_secure.py", 4, "B308"): "mark_safe of a string literal: nothing untrusted is marked safe",
    ("mark_safe_secure.py", 54, "B308"): "mark_safe of a string literal: nothing untrusted is marked safe",
    ("markupsafe_markup_xss_allowed_calls.py", 5, "B704"): "Markup of bleach.clean(...): the value is sanitised",
    ("tarfile_extractall.py", 38, "B202"): "`tarfile.extractall` does not exist: the call fails before extracting",
}


@dataclass(frozen=True)
class BanditFinding:
    """One bandit result: file (relative to examples/), lines, test ID and severity."""

    path: str
    line: int
    end_line: int
    test_id: str
    severity: str
    text: str


@dataclass
class Parity:
    """The comparison: bandit findings matched by secls, by test ID, and the misses."""

    matched: list[BanditFinding] = field(default_factory=list)
    missed: list[BanditFinding] = field(default_factory=list)
    categories: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """How many bandit findings were compared."""
        return len(self.matched) + len(self.missed)

    @property
    def share(self) -> float:
        """Matched / all compared bandit findings."""
        return len(self.matched) / self.total if self.total else 1.0

    @property
    def deliberate(self) -> list[tuple[BanditFinding, str]]:
        """Misses that are deliberate differences, with the reason."""
        return [(f, DELIBERATE[(f.path, f.line, f.test_id)]) for f in self.missed
                if (f.path, f.line, f.test_id) in DELIBERATE]

    @property
    def agreed_share(self) -> float:
        """Matched or deliberately different / all compared bandit findings."""
        return (len(self.matched) + len(self.deliberate)) / self.total if self.total else 1.0

    @property
    def mapped_share(self) -> float:
        """Matched / bandit findings whose test ID some secls rule cross-references."""
        mapped = [f for f in self.matched + self.missed if f.test_id in self.categories]
        return sum(1 for f in self.matched if f.test_id in self.categories) / len(mapped) if mapped else 1.0

    def by_test_id(self) -> dict[str, tuple[int, int]]:
        """test ID -> (matched, total)."""
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for finding in self.matched:
            counts[finding.test_id][0] += 1
        for finding in self.matched + self.missed:
            counts[finding.test_id][1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(counts.items())}


def fetch_examples(cache: Path = CACHE) -> Path:
    """bandit 1.9.4's `examples/` folder, from its sdist downloaded into the cache once."""
    name, version = BANDIT.split("==")
    root = cache / f"{name}-{version}"
    examples = root / "examples"
    marker = root / ".complete"
    if marker.exists():
        return examples
    cache.mkdir(parents=True, exist_ok=True)
    sdists = sorted(cache.glob(f"{name}-{version}.tar.gz"))
    if not sdists:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                        "-d", str(cache), BANDIT], check=True, capture_output=True, timeout=600)
        sdists = sorted(cache.glob(f"{name}-{version}.tar.gz"))
    with tarfile.open(sdists[0]) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(f"{name}-{version}/examples/")]
        archive.extractall(cache, members=members, filter="data")
    marker.touch()
    return examples


def run_bandit(examples: Path) -> list[BanditFinding]:
    """bandit's MEDIUM and HIGH severity findings over the examples (any confidence)."""
    done = subprocess.run([sys.executable, "-m", "bandit", "-r", ".", "-f", "json", "-q"], cwd=examples,
                          capture_output=True, text=True, timeout=600)
    report = json.loads(done.stdout)
    found = []
    for result in report["results"]:
        if result["issue_severity"] not in SEVERITIES:
            continue
        lines = result.get("line_range") or [result["line_number"]]
        path = Path(result["filename"]).as_posix().removeprefix("./")
        found.append(BanditFinding(path, min(lines), max(lines), result["test_id"], result["issue_severity"],
                                   result["issue_text"]))
    return found


def category_map() -> dict[str, frozenset[str]]:
    """bandit test ID -> the secls categories whose rules cross-reference it."""
    from secls.rules import ALL_RULES

    mapping: dict[str, set[str]] = defaultdict(set)
    for rule in ALL_RULES:
        for test_id in rule.bandit:
            mapping[test_id].add(rule.category)
    return {k: frozenset(v) for k, v in mapping.items()}


def secls_findings(examples: Path, paths: set[str]) -> dict[str, list[tuple[int, int, str]]]:
    """(line, end_line, category) of every secls finding, every rule on, per example file."""
    from secls.analysis import analyze
    from secls.config import Config
    from secls.rules import ALL_RULES

    config = Config(select=tuple(r.code for r in ALL_RULES))
    found: dict[str, list[tuple[int, int, str]]] = {}
    for relative in sorted(paths):
        text = (examples / relative).read_text(encoding="utf-8", errors="surrogateescape")
        result = analyze(text, f"examples/{relative}", config)
        found[relative] = [(f.line, f.end_line, f.category) for f in result.findings]
    return found


def compare(examples: Path, bandit: list[BanditFinding]) -> Parity:
    """Match each bandit finding to a secls finding of a mapped category within WINDOW lines."""
    categories = category_map()
    ours = secls_findings(examples, {f.path for f in bandit})
    parity = Parity(categories=categories)
    for finding in bandit:
        wanted = categories.get(finding.test_id, frozenset())
        hit = any(category in wanted and line - WINDOW <= finding.end_line and finding.line <= end + WINDOW
                  for line, end, category in ours.get(finding.path, ()))
        (parity.matched if hit else parity.missed).append(finding)
    return parity


def report(parity: Parity) -> str:
    """The comparison as text: shares, per test ID, misses."""
    lines = [f"bandit 1.9.4 examples: {len(parity.matched)}/{parity.total} MEDIUM/HIGH findings matched "
             f"({parity.share:.1%}); over test IDs that a secls rule cross-references: {parity.mapped_share:.1%}",
             f"counting the {len(parity.deliberate)} deliberate differences as agreement: {parity.agreed_share:.1%}",
             "", "per test ID (matched/total, secls categories):"]
    for test_id, (hit, total) in parity.by_test_id().items():
        cats = ", ".join(sorted(parity.categories.get(test_id, ()))) or "no rule cross-references it"
        lines.append(f"  {test_id}  {hit:3d}/{total:<3d}  {cats}")
    deliberate = {id(f) for f, _ in parity.deliberate}
    lines += ["", f"deliberate differences ({len(deliberate)}):"]
    lines += [f"  {f.path}:{f.line} {f.test_id}: {why}" for f, why in parity.deliberate]
    others = [f for f in parity.missed if id(f) not in deliberate]
    lines += ["", f"other misses ({len(others)}):"]
    lines += [f"  {f.path}:{f.line} {f.test_id} {f.severity} {f.text}" for f in others]
    return "\n".join(lines)


def main() -> int:
    """Fetch, run both tools, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=Path, help="bandit's examples/ folder (default: fetch the sdist)")
    parser.add_argument("--json", action="store_true", help="print the misses and shares as JSON")
    args = parser.parse_args()
    examples = args.examples or fetch_examples()
    parity = compare(examples, run_bandit(examples))
    if args.json:
        print(json.dumps({"share": parity.share, "mapped_share": parity.mapped_share,
                          "agreed_share": parity.agreed_share,
                          "by_test_id": parity.by_test_id(),
                          "missed": [f.__dict__ for f in parity.missed]}, indent=2))
    else:
        print(report(parity))
    return 0


if __name__ == "__main__":
    sys.exit(main())
