"""Category 2: hard-coded sensitive information."""

from __future__ import annotations

from secls.rules.base import Rule
from secls.rules.secrets import (
    sec201_hardcoded_password,
    sec202_credential_format,
    sec203_high_entropy_string,
    sec204_secret_logged,
)

RULES: tuple[Rule, ...] = (
    sec201_hardcoded_password.RULE,
    sec202_credential_format.RULE,
    sec203_high_entropy_string.RULE,
    sec204_secret_logged.RULE,
)
