"""Baselines on nova 34.0.0's tests: what fingerprinting costs next to the analysis, and how many
accepted findings stay accepted after black reformats every file (line length 60) and shifts it down.

Run: python bench/baseline.py [--no-black] [--limit N]
nova's wheel is fetched into the corpus tests' .corpus/ cache, as they do.
black is in the `test` extra.
"""

from __future__ import annotations

import argparse
import statistics
import time

from corpora import nova_root

from secls.analysis import analyze
from secls.baseline.fingerprint import marks
from secls.baseline.match import new_entries, split_findings
from secls.baseline.model import Baseline



def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-black", action="store_true", help="only time the fingerprints")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files with findings")
    args = parser.parse_args()
    root = nova_root()
    files = sorted((root / "nova" / "tests").rglob("*.py"))
    analysed = fingerprinted = 0.0
    ratios: list[float] = []
    found_total = kept = with_findings = 0
    shown: list[str] = []
    for path in files:
        name = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        found = analyze(text, name).findings
        spent = time.perf_counter() - start
        if not found:
            continue
        with_findings += 1
        start = time.perf_counter()
        marks(text, name, found)
        cost = time.perf_counter() - start
        analysed, fingerprinted = analysed + spent, fingerprinted + cost
        ratios.append(cost / spent)
        found_total += len(found)
        if not args.no_black:
            import black

            baseline = Baseline(tuple(new_entries(text, name, found)))
            edited = "# moved down\n\n\n" + black.format_str(text, mode=black.Mode(line_length=60))
            visible, matched = split_findings(edited, name, analyze(edited, name).findings, baseline.keys_for(name))
            kept += len(matched)
            shown += [f"{name}:{f.line}: {f.code} {f.message}" for f in visible]
        if args.limit and with_findings >= args.limit:
            break
    print(f"{with_findings} files with {found_total} findings (of {len(files)} files)")
    print(f"analysis {analysed:.2f} s, fingerprints {fingerprinted:.2f} s "
          f"({fingerprinted / analysed:.0%} of the analysis; median per file {statistics.median(ratios):.0%})")
    if not args.no_black:
        print(f"after black -l 60 and 3 lines inserted at the top: {kept} of {found_total} findings still accepted, "
              f"{len(shown)} shown")
        for line in shown[:20]:
            print("  " + line)


if __name__ == "__main__":
    main()
