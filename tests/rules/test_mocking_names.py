"""The mock vocabulary: which names are near misses of assertions and settings, which targets are controls."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secls.rules.mocking.names import assertion_near_miss, configured_near_miss, distance
from secls.rules.mocking.sec801_security_control_patched import control_word


@pytest.mark.parametrize(("name", "suggestion"), [
    # nova N364
    ("called_once", "assert_called_once"), ("called_once_with", "assert_called_once_with"),
    ("has_calls", "assert_has_calls"), ("mock_assert_called_once_with", "assert_called_once_with"),
    ("mock_assert_not_called", "assert_not_called"), ("asser_called_with", "assert_called_with"),
    ("asset_called_once", "assert_called_once"), ("asssert_any_call", "assert_any_call"),
    ("assset_has_calls", "assert_has_calls"),
    # neutron N322 (lower-cased, underscores dropped)
    ("assertcalledoncewith", "assert_called_once_with"), ("calledoncewith", "assert_called_once_with"),
    ("asserthascalled", "assert_has_calls"), ("assertCalledOnceWith", "assert_called_once_with"),
    # edit distance, and the prefixes 3.11 lets through
    ("assert_caled_with", "assert_called_with"), ("assert_called_once_wiht", "assert_called_once_with"),
    ("sssert_called_with", "assert_called_with"), ("assret_awaited_once", "assert_awaited_once"),
    ("not_called", "assert_not_called"), ("any_call", "assert_any_call"),
    # invented assertions: reported, no single suggestion
    ("assert_not_called_with", None), ("assert_called_twice", None),
])
def test_assertion_near_misses(name: str, suggestion: str | None) -> None:
    miss = assertion_near_miss(name)
    assert miss is not None and miss.suggestion == suggestion


@pytest.mark.parametrize("name", [
    "assert_called_once_with", "assert_has_calls", "assert_not_awaited", "called", "call_count",
    "return_value", "assertEqual", "assertTrue", "assert_instance_valid", "assert_foo_call", "calls",
    "start", "stop", "reset_mock", "classify", "passes", "__call__",
])
def test_real_and_unrelated_names_are_not_near_misses(name: str) -> None:
    assert assertion_near_miss(name) is None


@pytest.mark.parametrize(("name", "real"), [
    ("retrun_value", "return_value"), ("return_valure", "return_value"), ("return_valume", "return_value"),
    ("return_values", "return_value"), ("side_efect", "side_effect"), ("side_effects", "side_effect"),
    ("sideeffect", "side_effect"),
])
def test_setting_near_misses(name: str, real: str) -> None:
    assert configured_near_miss(name) == real


@pytest.mark.parametrize("name", ["return_value", "side_effect", "result_value", "reset_value", "spec"])
def test_settings_and_others_are_not_near_misses(name: str) -> None:
    assert configured_near_miss(name) is None


def test_distance_counts_a_transposition_once() -> None:
    assert distance("wiht", "with") == 1
    assert distance("assert", "asssert") == 1
    assert distance("", "abc") == 3


@pytest.mark.parametrize(("target", "word"), [
    ("nova.privsep.libvirt.cleanup_vpmem", "privsep"), ("nova.policy.authorize", "policy"),
    ("nova.objects.ConsoleAuthToken.validate", "auth"), ("app.verifyCertificate", "verify"),
    ("nova.objects.Quotas.check_deltas", "check_deltas"), ("nova.policy.check_is_admin", "policy"),
    ("app.security.csrf_protect", "csrf"),
])
def test_control_words(target: str, word: str) -> None:
    assert control_word(target) == word


@pytest.mark.parametrize("target", [
    "nova.utils.tokenize", "nova.compute.api.API.get", "nova.virt.libvirt.host.Host._check_machine_type",
    "nova.objects.Instance.checkpoint", "keystoneauth1.session.Session.request",
])
def test_not_control_words(target: str) -> None:
    assert control_word(target) is None


@given(st.text(alphabet="asertcldonwih_", max_size=14), st.text(alphabet="asertcldonwih_", max_size=14),
       st.integers(min_value=0, max_value=3))
def test_a_limited_distance_is_exact_within_the_limit(a: str, b: str, limit: int) -> None:
    exact = distance(a, b)
    assert distance(a, b, limit) == (exact if exact <= limit else limit + 1)
