"""SEC504 unpinned-model-download: Hugging Face downloads without a pinned commit."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from secls.analysis.context import ModuleContext
from secls.analysis.findings import Finding, Severity
from secls.rules.base import Rule
from secls.rules.dependencies.common import CATEGORY

DOCS = """\
# SEC504 unpinned-model-download

## What it finds

Hugging Face downloads — `from_pretrained(...)` of transformers, diffusers and friends,
`huggingface_hub.hf_hub_download`, `huggingface_hub.snapshot_download`,
`datasets.load_dataset` — without `revision=` set to a commit hash (40 hex digits). A branch or
tag (`revision="main"`, `"v1.0"`) is reported too: it moves. A revision that is not a literal
is trusted, and so are local paths (`"./model"`, `"/models/x"`) and `load_dataset`'s packaged
builders (`"csv"`, `"json"`, ...). (bandit B615)

## Why it matters

A repository on the Hub can change under the same name: a new commit may swap the weights,
the tokenizer, or code that `trust_remote_code=True` runs, and pickled weights run code when
loaded. Without a pinned commit, what was reviewed is not what is downloaded next time.

## Example

```python
model = AutoModel.from_pretrained("org/model")               # SEC504
path = hf_hub_download("org/model", "config.json", revision="main")   # SEC504
```

## Fix

Pin the commit you reviewed:

```python
model = AutoModel.from_pretrained("org/model", revision="5d0f2e8a7f1e4b0c9a3d6e2f1b8c7a6d5e4f3a2b")
```

Cross-references: bandit B615, CWE-494.
"""

_COMMIT = re.compile(r"[0-9a-f]{40}")
_DOWNLOADS = {"huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download", "datasets.load_dataset",
              "huggingface_hub.file_download.hf_hub_download", "huggingface_hub._snapshot_download.snapshot_download"}
_PACKAGED = {"csv", "json", "parquet", "text", "arrow", "pandas", "imagefolder", "audiofolder", "videofolder",
             "webdataset", "sql", "generator", "xml"}


def _first_argument(node: ast.Call, keyword: str) -> ast.expr | None:
    if node.args:
        return node.args[0]
    return next((k.value for k in node.keywords if k.arg == keyword), None)


def _local(source: ast.expr | None, qualname: str | None) -> bool:
    if not isinstance(source, ast.Constant) or not isinstance(source.value, str):
        return False
    value = source.value
    if qualname == "datasets.load_dataset" and value in _PACKAGED:
        return True
    return value.startswith((".", "/", "~")) or bool(re.match(r"^[A-Za-z]:[\\/]", value))


def check(node: ast.AST, ctx: ModuleContext) -> Iterator[Finding]:
    """Report downloads from the Hub whose revision is not a commit."""
    assert isinstance(node, ast.Call)
    qualname = ctx.call_name(node)
    is_pretrained = isinstance(node.func, ast.Attribute) and node.func.attr == "from_pretrained"
    if not is_pretrained and qualname not in _DOWNLOADS:
        return
    if any(k.arg is None for k in node.keywords):
        return  # `**kwargs` may carry the revision
    what = "from_pretrained" if is_pretrained else (qualname or "").rsplit(".", 1)[-1]
    if _local(_first_argument(node, "pretrained_model_name_or_path" if is_pretrained else "repo_id"),
              None if is_pretrained else qualname):
        return
    revision = next((k.value for k in node.keywords if k.arg == "revision"), None)
    if revision is None:
        yield ctx.report(RULE, node, f"`{what}` without `revision=`: the download follows the repository's "
                                     "main branch, so its contents can change; pin a commit hash")
    elif isinstance(revision, ast.Constant) and isinstance(revision.value, str) and not _COMMIT.fullmatch(
            revision.value):
        yield ctx.report(RULE, revision, f"`{what}` with `revision={revision.value!r}`: a branch or tag can move; "
                                         "pin a 40-hex-digit commit hash")


RULE = Rule(
    code="SEC504", name="unpinned-model-download", category=CATEGORY, severity=Severity.WARNING,
    docs=DOCS, nodes=(ast.Call,), check=check, bandit=("B615",),
    calls=frozenset({"from_pretrained", *(name.rsplit(".", 1)[1] for name in _DOWNLOADS)}), ruff=(), cwe=("CWE-494",),
)
