"""Baselines on nova 34.0.0's tests: what fingerprinting costs next to the analysis, and how many
accepted findings stay accepted after black reformats every file (line length 60) and shifts it down.

Run: python bench/baseline.py [--no-black] [--limit N]
nova's wheel comes from the corpus tests' .corpus/ cache, else `pip download --no-deps nova==34.0.0`
into bench/.cache/. black is in the `test` extra.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from secls.analysis import analyze
from secls.baseline.fingerprint import marks
from secls.baseline.match import new_entries, split_findings
from secls.baseline.model import Baseline

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / ".corpus" / "nova-34.0.0-py3-none-any"
CACHE = HERE / ".cache"


def nova_tests() -> Path:
    """The folder that holds `nova/tests` (unpacked from the wheel once)."""
    if (CORPUS / "nova" / "tests").is_dir():
        return CORPUS
    root = CACHE / "nova-tests"
    if not (root / "nova" / "tests").is_dir():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                        "nova==34.0.0", "-d", str(CACHE)], check=True)
        with zipfile.ZipFile(next(CACHE.glob("nova-34.0.0-*.whl"))) as archive:
            archive.extractall(root, [m for m in archive.namelist() if m.startswith("nova/tests/")])
    return root


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-black", action="store_true", help="only time the fingerprints")
    parser.add_argument("--limit", type=int, default=0, help="only the first N files with findings")
    args = parser.parse_args()
    root = nova_tests()
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
