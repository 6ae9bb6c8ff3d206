"""Category 7: who may read, write, connect, or be trusted."""

from __future__ import annotations

from secls.rules.access_control import (
    sec701_permissive_mode,
    sec702_bind_all_interfaces,
    sec703_tls_unverified,
    sec704_weak_tls,
    sec705_weak_crypto,
    sec706_debug_enabled,
    sec707_no_timeout,
    sec708_auth_disabled,
    sec709_cleartext_protocol,
)
from secls.rules.base import Rule

RULES: tuple[Rule, ...] = (
    sec701_permissive_mode.RULE,
    sec702_bind_all_interfaces.RULE,
    sec703_tls_unverified.RULE,
    sec704_weak_tls.RULE,
    sec705_weak_crypto.RULE,
    sec706_debug_enabled.RULE,
    sec707_no_timeout.RULE,
    sec708_auth_disabled.RULE,
    sec709_cleartext_protocol.RULE,
)
