"""Fuzzing: mutated real files and hypothesmith programs through analyze() (every rule on) and every offered fix.

CI runs a short, deterministic budget. The long run (≥ 10,000 inputs) is either of:

    SECLS_FUZZ_EXAMPLES=10000 python -m pytest tests/fuzz -q      # 10,000 mutations + 1,000 programs
    python bench/fuzz.py --count 10000 --programs 1000             # the same, with progress and a summary

SECLS_FUZZ_SEED picks another deterministic sequence. A failing input is printed with its label
(`seed S input I: <file> + <mutations>`), and `tests.fuzz.runner.mutated_input(groups, S, I)` rebuilds it.
"""

from __future__ import annotations

import os

import pytest

from tests.fuzz.corpora import fixture_sources, fuzz_groups
from tests.fuzz.runner import Summary, run_mutations, run_programs

EXAMPLES = int(os.environ.get("SECLS_FUZZ_EXAMPLES", "0"))
SEED = int(os.environ.get("SECLS_FUZZ_SEED", "0"))
MUTATIONS = EXAMPLES or 150
PROGRAMS = EXAMPLES // 10 or 20


def explain(summary: Summary) -> str:
    """The failures, each with the input that caused it."""
    return "\n".join(f"{f.label}\n  " + "\n  ".join(f.problems[:5]) + f"\n  text: {f.text[:600]!r}"
                     for f in summary.failures[:10])


@pytest.fixture(scope="module")
def groups() -> dict[str, list[tuple[str, str]]]:
    return fuzz_groups()


def test_mutated_corpus_files(groups: dict[str, list[tuple[str, str]]]) -> None:
    summary = run_mutations(groups, MUTATIONS, SEED)
    print(summary.line("mutations"))
    assert summary.inputs == MUTATIONS
    assert summary.parsed and summary.fixes_checked, "the budget must reach valid code and offered fixes"
    assert not summary.failures, explain(summary)


def test_hypothesmith_programs() -> None:
    summary = run_programs(PROGRAMS, SEED, "grammar", fixture_sources())
    print(summary.line("hypothesmith"))
    assert summary.inputs == 2 * PROGRAMS  # each program alone and appended to a fixture
    assert summary.fixes_checked, "the fixture hosts offer fixes"
    assert not summary.failures, explain(summary)


def test_hypothesmith_node_programs() -> None:
    count = max(3, PROGRAMS // 20)  # libcst's node strategy is slow to draw: a few
    summary = run_programs(count, SEED, "node")
    assert summary.inputs == count
    assert not summary.failures, explain(summary)
