"""Category 5: third-party code that is known to be risky."""

from __future__ import annotations

from secls.rules.base import Rule
from secls.rules.dependencies import (
    sec501_insecure_module,
    sec502_vulnerable_dependency,
    sec503_unpinned_dependency,
    sec504_unpinned_model_download,
)

# SEC502 and SEC503 are document rules: secls.deps.analyze runs them over requirement files.
RULES: tuple[Rule, ...] = (
    sec501_insecure_module.RULE,
    sec502_vulnerable_dependency.RULE,
    sec503_unpinned_dependency.RULE,
    sec504_unpinned_model_download.RULE,
)
