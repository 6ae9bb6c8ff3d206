"""The vocabulary of unittest.mock: real assertion and attribute names, and near misses of them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

ASSERTIONS = frozenset({
    "assert_called", "assert_called_once", "assert_called_with", "assert_called_once_with",
    "assert_any_call", "assert_has_calls", "assert_not_called",
    "assert_awaited", "assert_awaited_once", "assert_awaited_with", "assert_awaited_once_with",
    "assert_any_await", "assert_has_awaits", "assert_not_awaited",
})
ATTRIBUTES = frozenset({
    "return_value", "side_effect", "called", "call_count", "call_args", "call_args_list",
    "method_calls", "mock_calls", "reset_mock", "configure_mock", "attach_mock", "mock_add_spec",
    "await_count", "await_args", "await_args_list", "awaited",
})
# Attributes a test configures by assignment or keyword: a misspelling is silently a new attribute.
CONFIGURED = ("return_value", "side_effect")

# Words of assertion-like names; a name made only of these is an invented assertion, while
# `assert_instance_valid` on an autospecced mock may be a real method of the spec.
_VOCABULARY = frozenset({"assert", "called", "once", "with", "not", "any", "call", "calls", "has", "have",
                         "awaited", "await", "awaits", "twice", "never", "was", "been", "last", "times",
                         "only", "args", "count", "exactly"})
_SQUASHED = {name.replace("_", ""): name for name in ASSERTIONS}
_SQUASHED.update({name[len("assert_"):].replace("_", ""): name for name in ASSERTIONS})
# Hacking-rule forms that edit distance alone would not map (neutron N322).
_SQUASHED["asserthascalled"] = "assert_has_calls"
_SQUASHED["hascalled"] = "assert_has_calls"
_MAX_TYPO = 2


@dataclass(frozen=True)
class NearMiss:
    """A name that looks like a mock assertion but is not one; `suggestion` when one name is clearly meant."""

    name: str
    suggestion: str | None


@lru_cache(maxsize=256)
def _without(chars: str) -> dict[int, None]:
    """A `str.translate` table that deletes every character of `chars`."""
    return dict.fromkeys(map(ord, chars))


def distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal-string-alignment edit distance (a transposition counts as one edit); `limit + 1` as soon as it
    is known to exceed `limit`."""
    if a == b:
        return 0
    if limit is not None and (abs(len(a) - len(b)) > limit or len(a.translate(_without(b))) > limit
                              or len(b.translate(_without(a))) > limit):
        # Each character of one string that the other lacks takes an edit of its own (a transposition
        # only moves characters): a quick bound that spares most names the table below.
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        # Every alignment passes through one of two neighbouring rows (a transposition skips one), and
        # its cost only grows: past the limit in both, it ends past the limit.
        if limit is not None and min(current) > limit and min(previous) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if limit is None else min(previous[-1], limit + 1)


def _nearest(name: str, candidates: frozenset[str], limit: int) -> tuple[str | None, int]:
    """The unique nearest candidate within `limit` edits and its distance (None when two are equally near);
    beyond the limit, some distance greater than it."""
    best: str | None = None
    best_distance = 10**6
    tie = False
    for candidate in sorted(candidates):
        d = distance(name, candidate, limit)
        if d < best_distance:
            best, best_distance, tie = candidate, d, False
        elif d == best_distance:
            tie = True
    return (None if tie else best), best_distance


def might_be_assertion_typo(name: str) -> bool:
    """Cheap pre-filter before `assertion_near_miss` (most attribute names fail it)."""
    return ("ss" in name or "call" in name or "await" in name or "ser" in name) and name not in ASSERTIONS \
        and name not in ATTRIBUTES


@lru_cache(maxsize=4096)
def assertion_near_miss(name: str) -> NearMiss | None:
    """A near miss of a mock assertion name (`called_once_with`, `asssert_called`), else None."""
    if name in ASSERTIONS or name in ATTRIBUTES or name.startswith("__"):
        return None
    low = name.lower()
    if low.startswith("mock_"):
        low = low[len("mock_"):]
    head, _, rest = low.partition("_")
    if head != "assert" and rest and len(head) >= 4 and distance(head, "assert", _MAX_TYPO) <= _MAX_TYPO:
        low = "assert_" + rest  # asser_, asset_, asssert_, assset_, assret_ ...
    if low != name and low in ASSERTIONS:
        return NearMiss(name, low)
    squashed = low.replace("_", "")
    if squashed in _SQUASHED:  # assertcalledoncewith, calledoncewith (neutron N322)
        return NearMiss(name, _SQUASHED[squashed])
    words = [w for w in low.split("_") if w]
    vocabulary_only = bool(words) and all(w in _VOCABULARY for w in words)
    if low.startswith("assert"):
        nearest, d = _nearest(low, ASSERTIONS, _MAX_TYPO)
        if d <= _MAX_TYPO:
            return NearMiss(name, nearest)
        return NearMiss(name, None) if vocabulary_only and low.startswith("assert_") else None
    if not vocabulary_only:
        return None
    nearest, d = _nearest("assert_" + low, ASSERTIONS, 1)
    return NearMiss(name, nearest) if d <= 1 else None


@lru_cache(maxsize=4096)
def configured_near_miss(name: str) -> str | None:
    """The configuration attribute (`return_value`, `side_effect`) a misspelled name means, else None."""
    if name in ATTRIBUTES or name.startswith("_") or len(name) < 8:
        return None
    low = name.lower()
    for real in CONFIGURED:
        if low == real or distance(low, real, _MAX_TYPO) <= _MAX_TYPO:
            return real
    return None
