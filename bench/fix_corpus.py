"""Fix invariants on real corpora: every fix offered on nova 34.0.0's tests and on the stdlib's Lib/test, one at a time.

Run: python bench/fix_corpus.py [--corpus nova|stdlib|all] [--rules all|default] [--every N] [--most-chars C]
     [--jobs J] [--log F [--resume]]
nova's wheel is downloaded into the corpus tests' cache (.corpus/ or $SECLS_CORPUS_DIR); Lib/test is the running
interpreter's `test` package (skipped, with a message, when the installation does not ship it). Every file is
analysed with every rule on (SEC804 included; `--rules default`: the rules a default configuration runs, i.e.
the fixes users are offered); each finding that offers a fix has it built and checked alone,
on the original text: the fixed text parses, the finding is gone, nothing else changed, and applying it again
changes nothing (secls/fixes/invariants.py); a finding marked fixable whose fix cannot be built counts as a
failure too. A file is parsed by libcst and analysed once for all its fixes. Each fix then costs a whole-file
analysis of its fixed text (from the one `ast` parse its fix was checked with), while libcst prints and re-parses
only the statement the fix changed (secls/fixes/printing.py, secls/fixes/reparse.py), the line diff covers only
the lines between the two texts' shared start and end, and the GC runs with the pipeline's thresholds (else each
full collection walks the file's libcst tree again). A fix still costs time in proportion to its file's length:
on a quiet machine 0.46 s on test_compute_mgr.py (870 kB; 5.6 s at 4c31d16) and 0.89 s on libvirt/test_driver.py
(1.5 MB; 11.3 s at 4c31d16).
`--jobs J` spreads the files, and long files' fixes in parts, over J processes, cheapest first (run it under
`nice`); `--log F` appends one JSON line per finished part and `--resume` skips the parts already in F.
`--every N` checks every Nth file only, `--most-chars C` skips longer files; tests/corpus/test_fix_corpus.py runs
`--every 12 --most-chars 30000` in CI (about 4 s).

Full runs (2 cores, shared with other jobs part of the time;
`nice -n 19 python bench/fix_corpus.py --corpus nova|stdlib --jobs 2 --log F.jsonl`, every rule on):
- nova at commit 4cdc813, resumed at 39dbdf1 (they differ only in the harness's GC thresholds), 00:27 UTC: all
  844 files, all 12763 fixes checked (SEC804 12744, SEC301 6, SEC805 4, SEC304 3, SEC308 3, SEC101 2, SEC707 1),
  none declined, 0 failures, in 50 min (5736 CPU s in the parts; the longest, 64 of test_driver.py's 1694
  fixes, took 170-190 s each).
- Lib/test (CPython 3.11.7) at commit 5ad8c55: all 817 files, 1016 fixes checked (SEC101 189, SEC105 143,
  SEC302 8, SEC303 167, SEC304 4, SEC306 26, SEC402 185, SEC605 5, SEC705 9, SEC804 280) in 94 s; 7 failures,
  all in test_grammar.py, which libcst cannot parse (`(no_such_global): int`): its 7 fixable findings get no edit.
Every fix offered with the default rules (`nice python bench/fix_corpus.py --rules default --jobs 2`, 22:43 UTC,
the merged main): nova all 844 files, 19 fixes checked (SEC101 2, SEC301 6, SEC304 3, SEC308 3, SEC707 1,
SEC805 4), 0 failures, 40 s; Lib/test all 817 files, 736 fixes checked (SEC101 189, SEC105 143, SEC302 8,
SEC303 167, SEC304 4, SEC306 26, SEC402 185, SEC605 5, SEC705 9), the same 7 test_grammar.py failures, 194 s.
Exit status 1 when any fix broke an invariant.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # measure the checkout this script sits in

from secls.config import Config  # noqa: E402
from tests.fuzz.corpora import NOVA, Source, folder_sources, stdlib_test_dir, wheel_sources  # noqa: E402
from tests.fuzz.harness import Outcome, all_rules_config, check_text, fixable  # noqa: E402

# A long file's fixes go to processes in parts of about this many characters x fixes. Each part parses and
# analyses its file once (about 5 µs a character), each fix costs about 0.55 µs a character: 115 fixes of an
# 870 kB file make a part, of which the parse is under a tenth.
PART_CHARS = 100_000_000


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
    config = _RULES["config"]
    total = Outcome()
    failures: list[tuple[str, str]] = []
    for path, text in picked(sources, every, most_chars):
        add(total, failures, path, check_text(text, path, config, strict=True))
    return len(picked(sources, every, most_chars)), total, failures


def picked(sources: list[Source], every: int, most_chars: int | None) -> list[Source]:
    """Every `every`th file of those up to `most_chars` long."""
    return [s for s in sources if most_chars is None or len(s[1]) <= most_chars][::every]


def add(total: Outcome, failures: list[tuple[str, str]], path: str, outcome: Outcome) -> None:
    """Add one file's (or part's) outcome to the totals."""
    total.findings += outcome.findings
    total.fixes_checked += outcome.fixes_checked
    total.fixes_declined += outcome.fixes_declined
    total.checked_by_code.update(outcome.checked_by_code)
    failures.extend((path, problem) for problem in outcome.problems)


# --- parallel runs: files (and parts of long files' fixes) spread over processes, each result logged ---

_SOURCES: dict[str, str] = {}
_RULES = {"config": all_rules_config()}  # --rules: every rule (the default), or the default configuration's


def _count(path: str) -> tuple[str, int]:
    """How many fixable findings a file has (its analysis; the part's worker analyses it again)."""
    from secls.analysis import analyze

    try:
        return path, len(fixable(analyze(_SOURCES[path], path, _RULES["config"]).findings))
    except Exception:  # noqa: BLE001 - check_text reports it
        return path, 0


def _check_part(work: tuple[str, int, int, int]) -> dict[str, object]:
    """Check fixes [first, last) of one file (the whole file when last is -1) and report them as a log record."""
    path, first, last, fixes = work
    start = time.perf_counter()
    outcome = check_text(_SOURCES[path], path, _RULES["config"], strict=True,
                         part=None if last < 0 else slice(first, last))
    return {"path": path, "first": first, "last": last, "file_fixes": fixes, "findings": outcome.findings,
            "checked": outcome.fixes_checked, "declined": outcome.fixes_declined,
            "by_code": dict(outcome.checked_by_code), "problems": outcome.problems,
            "seconds": round(time.perf_counter() - start, 2)}


def _parts(counts: dict[str, int]) -> list[tuple[str, int, int, int]]:
    """The work, cheapest first (characters x fixes), long files' fixes split into parts."""
    work = []
    for path, fixes in counts.items():
        size = len(_SOURCES[path])
        step = max(1, PART_CHARS // max(size, 1))
        if fixes <= step:
            work.append((size * fixes, (path, 0, -1, fixes)))
        else:
            work.extend((size * min(step, fixes - first), (path, first, min(first + step, fixes), fixes))
                        for first in range(0, fixes, step))
    return [item for _, item in sorted(work, key=lambda pair: pair[0])]


def run_parallel(name: str, sources: list[Source], jobs: int, log: Path | None,
                 done: set[tuple[str, int, int]]) -> tuple[int, Outcome, list[tuple[str, str]], int]:
    """Check every file of a corpus in `jobs` processes; returns (files, totals, failures, parts skipped as done)."""
    _SOURCES.clear()
    _SOURCES.update(sources)
    context = multiprocessing.get_context("fork")
    total = Outcome()
    failures: list[tuple[str, str]] = []
    with context.Pool(jobs) as pool:
        counts = dict(pool.imap_unordered(_count, list(_SOURCES), chunksize=8))
        work = _parts(counts)
        todo = [w for w in work if (w[0], w[1], w[2]) not in done]
        print(f"{name}: {len(sources)} files, {sum(counts.values())} fixable findings, {len(work)} parts "
              f"({len(work) - len(todo)} already in the log)", flush=True)
        handle = log.open("a", encoding="utf-8") if log else None
        try:
            for finished, record in enumerate(pool.imap_unordered(_check_part, todo), 1):
                record["corpus"] = name
                if handle:
                    handle.write(json.dumps(record) + "\n")
                    handle.flush()
                outcome = Outcome(findings=record["findings"] if record["first"] == 0 else 0,
                                  fixes_checked=record["checked"], fixes_declined=record["declined"],
                                  checked_by_code=Counter(record["by_code"]), problems=record["problems"])
                add(total, failures, record["path"], outcome)
                for problem in record["problems"]:
                    print(f"  FAIL {record['path']}: {problem[:300]}", flush=True)
                if finished % 50 == 0 or record["seconds"] > 60:
                    print(f"  {name}: {finished}/{len(todo)} parts, {total.fixes_checked} fixes checked, "
                          f"{len(failures)} failures; {record['path']} [{record['first']}:{record['last']}] "
                          f"{record['seconds']} s", flush=True)
        finally:
            if handle:
                handle.close()
    return len(sources), total, failures, len(work) - len(todo)


def logged(log: Path | None) -> set[tuple[str, int, int]]:
    """The parts an earlier run already logged (to resume it)."""
    if log is None or not log.exists():
        return set()
    records = (json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip())
    return {(r["path"], r["first"], r["last"]) for r in records}


def main(argv: list[str] | None = None) -> int:
    """Check the corpora and print the counts and every failure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("nova", "stdlib", "all"), default="all")
    parser.add_argument("--every", type=int, default=1, help="check every Nth file only")
    parser.add_argument("--most-chars", type=int, help="skip files longer than this (every fix re-analyses the file)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (files and parts of long files in parallel)")
    parser.add_argument("--log", type=Path, help="append one JSON line per checked file or part (with --jobs)")
    parser.add_argument("--resume", action="store_true", help="skip the parts already in --log")
    parser.add_argument("--rules", choices=("all", "default"), default="all",
                        help="every rule, off-by-default ones included (SEC804: most of nova's fixes), or "
                             "the rules a default configuration runs (the fixes users are offered)")
    args = parser.parse_args(argv)
    _RULES["config"] = all_rules_config() if args.rules == "all" else Config()
    failed = 0
    done = logged(args.log) if args.resume else set()
    for name in ("nova", "stdlib") if args.corpus == "all" else (args.corpus,):
        start = time.perf_counter()
        sources = picked(corpus(name), args.every, args.most_chars)
        if args.jobs > 1 or args.log:
            files, total, failures, skipped = run_parallel(name, sources, args.jobs, args.log, done)
        else:
            files, total, failures = check_corpus(sources)
        codes = ", ".join(f"{code} {count}" for code, count in sorted(total.checked_by_code.items()))
        print(f"{name}: {files} files, {total.findings} findings, {total.fixes_checked} fixes checked ({codes}), "
              f"{len(failures)} failures ({time.perf_counter() - start:.0f} s)", flush=True)
        for path, problem in failures:
            print(f"  {path}: {problem[:500]}")
        failed += len(failures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
