"""SEC801 security-control-patched: a patch whose target names a security control."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import lru_cache

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.mocking.common import CATEGORY
from secls.rules.mocking.patches import PATCH_CALL_NAMES, patch_call

DOCS = """\
# SEC801 security-control-patched

## What it finds

A patch whose target names a security control: `@mock.patch("...")`, `@patch.object(obj, "attr")`,
`with patch(...)`, `patch(...).start()`, `fixtures.MockPatch("...")`/`MockPatchObject`,
`fixtures.MonkeyPatch`, pytest's `monkeypatch.setattr(...)` and `mocker.patch(...)`, where a word
of the dotted target (split on `.`, `_` and camelCase) is one of `auth`, `authenticate`,
`authorize`, `permission`, `policy`, `enforce`, `verify`, `validate`, `csrf`, `login`, `token`,
`privsep`, `sanitize`, `escape`, `signature`, `certificate` (and their plurals and -ion forms),
or a name starts with `check_` and the target speaks of access (`check_is_admin`,
`Quotas.check_deltas`, `check_trusted_certs`; not `_check_machine_type`). Whole words only:
`tokenize` is not `token`.

## Why it matters

Often the patch is exactly right: a unit test of an API handler patches the policy check to
reach the handler's logic, a functional test patches privsep helpers that need root. But the
test then says nothing about the control itself, and a suite where every test of an endpoint
patches `policy.authorize` never notices when the endpoint stops calling it. The note makes the
trade visible in review: somewhere another test has to exercise the control for real.

## Example

```python
    @mock.patch("nova.policy.authorize")      # SEC801: policy, authorize
    def test_show(self, mock_authorize):
        ...
        self.useFixture(fixtures.MockPatch("nova.privsep.libvirt.cleanup_vpmem"))  # SEC801: privsep
```

## Fix

Nothing to change when the control is tested elsewhere; say so with a suppression
(`# secls: ignore[SEC801]`) or patch a narrower target. Otherwise add a test that runs the control
(a policy test with a real enforcer, a signature check with a bad signature).
"""

CONTROL_WORDS = frozenset({
    "auth", "authn", "authz", "authenticate", "authentication", "authorize", "authorization",
    "authorise", "authorisation", "permission", "permissions", "policy", "policies", "enforce",
    "enforcer", "verify", "validate", "validation", "validator", "csrf", "xsrf", "login", "token",
    "tokens", "privsep", "sanitize", "sanitise", "escape", "signature", "signatures", "certificate",
    "certificates",
})
# `check_*` is a control when the target also speaks of access: nova's `_check_machine_type` and
# `check_instance_shared_storage` are compatibility checks, `check_is_admin` and `Quotas.check_deltas` are not.
ACCESS_WORDS = frozenset({"access", "admin", "allowed", "acl", "rbac", "role", "roles", "scope", "owner",
                          "trusted", "credential", "credentials", "password", "secure", "ssl", "tls", "cert",
                          "certs", "hmac", "quota", "quotas", "limit", "limits", "origin", "user", "users"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def control_word(target: str) -> str | None:
    """The first security-control word of a dotted target (`check_*` with an access word counts), else None."""
    words_of = [[w.lower() for w in _CAMEL.sub("_", segment).split("_") if w] for segment in target.split(".")]
    every = {w for words in words_of for w in words}
    for words in words_of:
        for word in words:
            if word in CONTROL_WORDS:
                return word
    for words in words_of:
        if len(words) > 1 and words[0] == "check" and every & ACCESS_WORDS:
            return "check_" + words[1]
    return None


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report patches of security controls."""
    patch = patch_call(node, ctx)
    if patch is None or patch.target is None or patch.target_node is None or patch.kind == "dict":
        return
    word = control_word(patch.target)
    if word is None:
        return
    message = (f"the patch of `{patch.target}` replaces a security control ({word}): this test does not "
               "exercise it; make sure another test does")
    yield ctx.report(RULE, patch.target_node, message, data={"target": patch.target, "word": word})


RULE = Rule(
    code="SEC801", name="security-control-patched", category=CATEGORY, severity=Severity.INFO,
    docs=DOCS, nodes=(ast.Call,), check=check, calls=PATCH_CALL_NAMES,
)
