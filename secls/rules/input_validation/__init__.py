"""Category 1: untrusted data reaching dangerous sinks."""

from __future__ import annotations

from secls.rules.base import Rule
from secls.rules.input_validation import (
    sec101_eval_exec,
    sec102_shell_injection,
    sec103_sql_injection,
    sec104_unsafe_deserialization,
    sec105_xml_external_entities,
    sec106_archive_traversal,
    sec107_template_injection,
    sec108_trojan_source,
    sec109_request_data_to_sink,
    sec110_url_open_scheme,
)

RULES: tuple[Rule, ...] = (
    sec101_eval_exec.RULE,
    sec102_shell_injection.RULE,
    sec103_sql_injection.RULE,
    sec104_unsafe_deserialization.RULE,
    sec105_xml_external_entities.RULE,
    sec106_archive_traversal.RULE,
    sec107_template_injection.RULE,
    sec108_trojan_source.RULE,
    sec109_request_data_to_sink.RULE,
    sec110_url_open_scheme.RULE,
)
