"""Fuzz runs: N mutated corpus files or N hypothesmith programs through the harness, deterministic for a seed.

Input i of a mutation run is built from `random.Random(f"{seed}:{i}")` alone, so any failure is reproduced
with `mutated_input(groups, seed, i)`; hypothesmith runs are derandomised hypothesis runs.
"""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from secls.config import Config
from tests.fuzz.corpora import Source
from tests.fuzz.harness import VERSIONS, Outcome, all_rules_config, check_text
from tests.fuzz.mutations import mutate

DONOR_GROUP = "fixtures"
"""The group whose files are also pasted into others: the rule fixtures, dense with findings and fixes."""


@dataclass
class Failure:
    """One input that broke a promise, and how to rebuild it."""

    label: str
    path: str
    text: str
    problems: list[str]


@dataclass
class Summary:
    """Counts of a run, and its failures."""

    inputs: int = 0
    parsed: int = 0
    findings: int = 0
    fixes_checked: int = 0
    fixes_declined: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    def add(self, outcome: Outcome, label: str, path: str, text: str) -> None:
        """Count one checked input."""
        self.inputs += 1
        self.parsed += not outcome.syntax_error
        self.findings += outcome.findings
        self.fixes_checked += outcome.fixes_checked
        self.fixes_declined += outcome.fixes_declined
        if outcome.problems:
            self.failures.append(Failure(label, path, text, outcome.problems))

    def line(self, name: str) -> str:
        """A one-line report."""
        return (f"{name}: {self.inputs} inputs in {self.seconds:.1f} s ({self.parsed} parsed, {self.findings} "
                f"findings, {self.fixes_checked} fixes checked, {self.fixes_declined} declined), "
                f"{len(self.failures)} failing")


def config_for(rng: random.Random) -> Config:
    """Every rule on, with one of the target versions that choose between fixes."""
    return all_rules_config(rng.choice(VERSIONS))


def mutated_input(groups: Mapping[str, Sequence[Source]], seed: int, index: int) -> tuple[str, str, Config, str]:
    """Input `index` of a run: (path, text, config, label naming the source file and the mutations)."""
    rng = random.Random(f"{seed}:{index}")
    group = rng.choice(sorted(g for g in groups if groups[g]))
    path, text = rng.choice(groups[group])
    donors = [t for _, t in groups.get(DONOR_GROUP, ())]
    text, done = mutate(text, donors, rng)
    return path, text, config_for(rng), f"seed {seed} input {index}: {path} + {', '.join(done)}"


def run_mutations(groups: Mapping[str, Sequence[Source]], count: int, seed: int = 0,
                  progress: Callable[[Summary], None] | None = None) -> Summary:
    """Check `count` mutated inputs, with every offered fix."""
    summary = Summary()
    start = time.perf_counter()
    for index in range(count):
        path, text, config, label = mutated_input(groups, seed, index)
        summary.add(check_text(text, path, config), label, path, text)
        if progress is not None and (index + 1) % 500 == 0:
            summary.seconds = time.perf_counter() - start
            progress(summary)
    summary.seconds = time.perf_counter() - start
    return summary


def run_programs(count: int, seed: int = 0, kind: str = "grammar",
                 hosts: Sequence[Source] = ()) -> Summary:
    """Check `count` hypothesmith programs (`kind`: from the "grammar", or from libcst's "node" types).

    Each program is checked alone and, with `hosts`, appended to one of them at module level: generated
    programs rarely trip a rule, so this runs the host's findings and fixes next to arbitrary code.
    """
    import hypothesmith
    from hypothesis import HealthCheck, given, seed as hypothesis_seed, settings, strategies as st

    summary = Summary()
    strategy = hypothesmith.from_node() if kind == "node" else hypothesmith.from_grammar()
    quiet = settings(max_examples=count, deadline=None, database=None, suppress_health_check=list(HealthCheck))

    @quiet
    @hypothesis_seed(seed)
    @given(source=strategy, version=st.sampled_from(VERSIONS), host=st.integers(0, max(0, len(hosts) - 1)))
    def one(source: str, version: tuple[int, int] | None, host: int) -> None:
        config = all_rules_config(version)
        label = f"hypothesmith {kind} #{summary.inputs}"
        summary.add(check_text(source, "pkg/generated.py", config), label, "pkg/generated.py", source)
        if hosts:
            path, text = hosts[host]
            hosted = text + ("" if text.endswith("\n") else "\n") + source
            summary.add(check_text(hosted, path, config), f"{label} in {path}", path, hosted)

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # hypothesmith compiles what it generates: SyntaxWarnings galore
        one()
    summary.seconds = time.perf_counter() - start
    return summary
