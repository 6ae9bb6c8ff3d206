"""A baseline of real findings (nova 34.0.0's tests) survives black's reformatting and shifted lines."""

from __future__ import annotations

from pathlib import Path

import black

from secls.analysis import analyze
from secls.baseline.match import new_entries, split_findings
from secls.baseline.model import Baseline

# For each rule with findings in nova's tests, one of the smaller files that has them, plus a few dense ones
# (test_compare_result.py spells its dict keys u'...', which black rewrites as "...").
FILES = [
    "nova/tests/functional/api/client.py",
    "nova/tests/functional/api_sample_tests/test_admin_password.py",
    "nova/tests/functional/api_sample_tests/test_compare_result.py",
    "nova/tests/functional/api_sample_tests/test_server_password.py",
    "nova/tests/functional/api_samples_test_base.py",
    "nova/tests/functional/regressions/test_bug_2152697.py",
    "nova/tests/unit/api/openstack/compute/test_aggregates.py",
    "nova/tests/unit/api/test_wsgi.py",
    "nova/tests/unit/cmd/test_baseproxy.py",
    "nova/tests/unit/conductor/tasks/test_base.py",
    "nova/tests/unit/db/test_migration.py",
    "nova/tests/unit/policies/test_console_auth_tokens.py",
    "nova/tests/unit/policies/test_limits.py",
    "nova/tests/unit/policies/test_server_external_events.py",
    "nova/tests/unit/privsep/test_idmapshift.py",
    "nova/tests/unit/test_conf.py",
    "nova/tests/unit/test_exception.py",
    "nova/tests/unit/test_versions.py",
    "nova/tests/unit/virt/libvirt/storage/test_lvm.py",
    "nova/tests/unit/virt/libvirt/volume/test_vzstorage.py",
]


def test_black_at_60_columns_and_shifted_lines_keep_every_finding_baselined(nova_root: Path) -> None:
    accepted, codes = 0, set()
    for name in FILES:
        text = (nova_root / name).read_text(encoding="utf-8")
        found = analyze(text, name).findings
        assert found, name
        baseline = Baseline(tuple(new_entries(text, name, found)))
        edited = "# moved down\n\n\n" + black.format_str(text, mode=black.Mode(line_length=60))
        assert edited.count("\n") > text.count("\n") + 3, name  # black did wrap lines
        after = analyze(edited, name).findings
        visible, matched = split_findings(edited, name, after, baseline.keys_for(name))
        assert [(f.line, f.code, f.message) for f in visible] == [], name
        assert len(matched) == len(found), name
        accepted += len(found)
        codes |= {f.code for f in found}
    assert accepted >= 90 and len(codes) >= 15, (accepted, len(codes), sorted(codes))
