"""Fix invariants on real corpora: every fix offered on nova 34.0.0's tests and on the stdlib's Lib/test, one at a time.

Run: python bench/fix_corpus.py [--corpus nova|stdlib|all] [--every N]
nova's wheel is downloaded into the corpus tests' cache (.corpus/ or $SECLS_CORPUS_DIR); Lib/test is the running
interpreter's `test` package (skipped, with a message, when the installation does not ship it). Every file is
analysed with every rule on; each finding that offers a fix has it built and checked alone: the fixed text
parses, the finding is gone, nothing else changed, and applying it again changes nothing
(secls/fixes/invariants.py); a finding marked fixable whose fix cannot be built counts as a failure too.
`--every N` checks every Nth file only, `--most-chars C` skips longer files (each fix re-analyses its whole
file twice: nova's 18k-line test_compute_mgr.py alone takes minutes); tests/corpus/test_fix_corpus.py runs
`--every 12 --most-chars 30000` in CI.
Exit status 1 when any fix broke an invariant.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # measure the checkout this script sits in

from tests.fuzz.corpora import NOVA, Source, folder_sources, stdlib_test_dir, wheel_sources  # noqa: E402
from tests.fuzz.harness import Outcome, all_rules_config, check_text  # noqa: E402


def corpus(name: str) -> list[Source]:
    """The files of one corpus (nova's tests, or Lib/test); empty when it is not available."""
    if name == "nova":
        from tests.corpus.conftest import fetch_wheel

        return wheel_sources(fetch_wheel(NOVA), "nova/tests/")
    folder = stdlib_test_dir()
    if folder is None:
        print(f"stdlib: skipped, this Python ({sys.executable}) ships no `test` package", file=sys.stderr)
        return []
    return folder_sources(folder, "Lib/test")


def check_corpus(sources: list[Source], every: int = 1,
                 most_chars: int | None = None) -> tuple[int, Outcome, list[tuple[str, str]]]:
    """Check every `every`th file's fixes (of those up to `most_chars` long); returns (files, totals, failures)."""
    config = all_rules_config()
    total = Outcome()
    failures: list[tuple[str, str]] = []
    picked = [s for s in sources if most_chars is None or len(s[1]) <= most_chars][::every]
    for path, text in picked:
        outcome = check_text(text, path, config, strict=True)
        total.findings += outcome.findings
        total.fixes_checked += outcome.fixes_checked
        total.fixes_declined += outcome.fixes_declined
        failures += [(path, problem) for problem in outcome.problems]
    return len(picked), total, failures


def main(argv: list[str] | None = None) -> int:
    """Check the corpora and print the counts and every failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("nova", "stdlib", "all"), default="all")
    parser.add_argument("--every", type=int, default=1, help="check every Nth file only")
    parser.add_argument("--most-chars", type=int, help="skip files longer than this (every fix re-analyses the file)")
    args = parser.parse_args(argv)
    failed = 0
    for name in ("nova", "stdlib") if args.corpus == "all" else (args.corpus,):
        start = time.perf_counter()
        files, total, failures = check_corpus(corpus(name), args.every, args.most_chars)
        print(f"{name}: {files} files, {total.findings} findings, {total.fixes_checked} fixes checked, "
              f"{len(failures)} failures ({time.perf_counter() - start:.0f} s)", flush=True)
        for path, problem in failures:
            print(f"  {path}: {problem[:500]}")
        failed += len(failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
