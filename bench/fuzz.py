"""The long fuzz run: mutated real files and hypothesmith programs through analyze() and every offered fix.

Run: python bench/fuzz.py [--count 10000] [--programs 1000] [--node-programs 50] [--seed 0]
`--count` mutated inputs from nova's, neutron's and cinder's tests, bandit's examples and the rule fixtures
(tests/fuzz/mutations.py; corpora downloaded into the corpus tests' cache, .corpus/ or $SECLS_CORPUS_DIR),
then `--programs` programs from hypothesmith's grammar strategy and `--node-programs` from its (slow) libcst
strategy, each checked alone and appended to a rule fixture. Every input is analysed with every rule on; every
offered fix is applied alone and must keep the invariants (secls/fixes/invariants.py). Prints one line per
kind and each failing input with what it broke; exit status 1 when anything failed.
The same harness runs a short, deterministic budget in `python -m pytest tests/fuzz`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # measure the checkout this script sits in

from tests.fuzz.corpora import fixture_sources, fuzz_groups  # noqa: E402
from tests.fuzz.runner import Summary, run_mutations, run_programs  # noqa: E402


def report(name: str, summary: Summary, show: int) -> None:
    """Print the summary line and the first failures."""
    print(summary.line(name), flush=True)
    for failure in summary.failures[:show]:
        print(f"  FAIL {failure.label}\n    " + "\n    ".join(p[:600] for p in failure.problems[:5]))
        print(f"    text: {failure.text[:400]!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the mutation and hypothesmith fuzzers; 1 when any input broke a promise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="mutated corpus inputs")
    parser.add_argument("--programs", type=int, default=1000, help="hypothesmith grammar programs")
    parser.add_argument("--node-programs", type=int, default=50, help="hypothesmith libcst-node programs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=20, help="failures to print per kind")
    args = parser.parse_args(argv)
    summaries = []
    if args.count:
        groups = fuzz_groups()
        print("corpus: " + ", ".join(f"{name} {len(files)} files" for name, files in groups.items()), flush=True)
        summaries.append(run_mutations(groups, args.count, args.seed,
                                       progress=lambda s: print("  " + s.line("so far"), flush=True)))
        report("mutations", summaries[-1], args.show)
    hosts = fixture_sources()
    for kind, count in (("grammar", args.programs), ("node", args.node_programs)):
        if count:
            summaries.append(run_programs(count, args.seed, kind, hosts))
            report(f"hypothesmith {kind} (each alone and in a fixture)", summaries[-1], args.show)
    total = sum(s.inputs for s in summaries)
    failing = sum(len(s.failures) for s in summaries)
    print(f"total: {total} inputs in {sum(s.seconds for s in summaries):.0f} s, {failing} failing")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
