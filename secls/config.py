"""Settings: `[tool.secls]` in pyproject.toml, merged with editor settings and CLI flags."""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Imported lazily at run time: secls.analysis imports this module, so importing
    # secls.config first would otherwise be circular.
    from secls.analysis.findings import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "__pycache__",
                   "node_modules", "build", "dist", ".eggs", "*.egg-info", ".mypy_cache")


class ConfigError(ValueError):
    """A setting that cannot be understood; the message says which and why."""


@dataclass(frozen=True)
class Config:
    """Everything that changes what secls reports."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    test_globs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    target_version: tuple[int, int] | None = None
    debounce_ms: int = 150
    docs_url: str | None = None
    python: str | None = None  # the interpreter whose packages cross-file resolution sees
    advisory_db: str | None = None
    osv_api: str | None = None
    request_timeout: float | None = None
    max_lines: int = 50_000  # longer files are not analysed (an information finding says so); 0: no limit
    code_lens: bool = False  # the editor's lifecycle code lens over TestCase classes

    def is_enabled(self, code: str, enabled_by_default: bool = True) -> bool:
        """Whether a rule code passes select/ignore (prefixes allowed: `SEC3`, `SEC30`)."""
        if any(code.startswith(p) for p in self.ignore):
            return False
        if self.select:
            # An explicit, complete code enables an off-by-default rule; a prefix does not.
            return any(code == p or (code.startswith(p) and enabled_by_default) for p in self.select)
        return enabled_by_default

    def severity_for(self, code: str, default: Severity) -> Severity:
        """The configured severity of a code, else the rule's own."""
        for prefix, sev in self.severity:
            if code.startswith(prefix):
                return sev
        return default

    def is_excluded(self, path: PurePath) -> bool:
        """Whether a path matches an exclude glob (on any of its parts, or the whole path)."""
        text = path.as_posix()
        return any(fnmatch.fnmatch(part, g) or fnmatch.fnmatch(text, g)
                   for g in self.exclude for part in path.parts)

    def merged(self, settings: dict[str, Any], strict: bool = False) -> "Config":
        """A copy with settings (camelCase or kebab-case keys) laid over this one.

        `strict` rejects unknown keys (pyproject.toml); editors may send settings of their own.
        """
        return replace(self, **_read_settings(settings, strict))


def _codes(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split()]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a list of rule codes, got {value!r}")
    return tuple(v.strip().upper() for v in value if v.strip())


KNOWN_SETTINGS = ("select", "ignore", "severity", "test_globs", "extend_test_globs", "exclude", "extend_exclude",
                  "target_version", "debounce_ms", "docs_url", "advisory_db", "osv_api", "request_timeout",
                  "python", "max_lines", "code_lens")


def _read_settings(raw: dict[str, Any], strict: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        norm = re.sub(r"(?<=[a-z])([A-Z])", r"_\1", key).replace("-", "_").lower()
        if strict and norm not in KNOWN_SETTINGS:
            names = ", ".join(k.replace("_", "-") for k in KNOWN_SETTINGS)
            raise ConfigError(f"unknown setting {key!r} in [tool.secls] (known: {names})")
        if value is None:
            continue
        if norm in ("select", "ignore"):
            out[norm] = _codes(value, key)
        elif norm == "severity":
            from secls.analysis.findings import Severity

            if not isinstance(value, dict):
                raise ConfigError(f"{key}: expected a table of CODE = severity")
            try:
                out["severity"] = tuple(sorted(((k.upper(), Severity.parse(str(v))) for k, v in value.items()),
                                               key=lambda kv: -len(kv[0])))
            except ValueError as exc:
                raise ConfigError(f"{key}: {exc}") from None
        elif norm in ("test_globs", "extend_test_globs", "exclude", "extend_exclude"):
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{key}: expected a list of glob patterns")
            if norm == "extend_exclude":
                out["exclude"] = DEFAULT_EXCLUDE + tuple(value)
            else:
                out[norm.replace("extend_", "")] = tuple(value)
        elif norm == "target_version":
            if not isinstance(value, str):  # TOML's 3.10 is the float 3.1: ask for a string
                raise ConfigError(f"{key}: expected a string like \"3.11\" or \"py311\", got {value!r}")
            out["target_version"] = _parse_version(value, key)
        elif norm == "debounce_ms":
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{key}: expected a number of milliseconds >= 0")
            out["debounce_ms"] = int(value)
        elif norm in ("docs_url",):
            out["docs_url"] = str(value)
        elif norm == "python":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{key}: expected the path of a Python interpreter")
            out["python"] = value
        elif norm == "advisory_db":
            if not isinstance(value, str):
                raise ConfigError(f"{key}: expected the path of an OSV folder or zip, got {value!r}")
            out["advisory_db"] = value or None
        elif norm == "osv_api":
            if value is True:
                value = "https://api.osv.dev"
            if value is False:
                value = ""
            if not isinstance(value, str) or (value and not value.startswith(("http://", "https://"))):
                raise ConfigError(f"{key}: expected true, false or the http(s) URL of an OSV API, got {value!r}")
            out["osv_api"] = value.rstrip("/") or None
        elif norm == "max_lines":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{key}: expected a number of lines >= 0 (0: no limit), got {value!r}")
            out["max_lines"] = value
        elif norm == "code_lens":
            if not isinstance(value, bool):
                raise ConfigError(f"{key}: expected true or false, got {value!r}")
            out["code_lens"] = value
        elif norm == "request_timeout":
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ConfigError(f"{key}: expected a number of seconds > 0")
            out["request_timeout"] = value
    return out


def _parse_version(text: str, key: str) -> tuple[int, int]:
    """Read '3.11', '3.11.2', 'py311' or '311' as (major, minor)."""
    body = text.strip().lower().removeprefix("py")
    parts = body.split(".")
    if len(parts) >= 2 and all(p.isdigit() for p in parts):
        return int(parts[0]), int(parts[1])
    if len(parts) == 1 and body.isdigit() and len(body) >= 2:
        return int(body[0]), int(body[1:])
    raise ConfigError(f"{key}: expected a Python version like '3.11' or 'py311', got {text!r}")


def _requires_python_floor(spec: str) -> tuple[int, int] | None:
    """The lowest Python a `requires-python` admits (`>=3.11` -> (3, 11)), if it says."""
    for part in spec.split(","):
        part = part.strip()
        for op in (">=", "~=", "=="):
            if part.startswith(op):
                nums = part[len(op):].strip().split(".")
                if len(nums) >= 2 and nums[0].isdigit() and nums[1].rstrip("*").isdigit():
                    return int(nums[0]), int(nums[1].rstrip("*"))
    return None


def find_project_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` with a pyproject.toml."""
    start = start if start.is_dir() else start.parent
    for folder in (start, *start.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    return None


def load_pyproject(path: Path) -> Config:
    """Read `[tool.secls]` (and `requires-python`) from a pyproject.toml; a missing file is defaults."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    tool = data.get("tool", {}).get("secls", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: [tool.secls] must be a table")
    try:
        config = Config().merged(tool, strict=True)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if config.advisory_db and not Path(config.advisory_db).expanduser().is_absolute():
        # A relative path in pyproject.toml is relative to that file, not to where secls runs.
        config = replace(config, advisory_db=str(path.resolve().parent / config.advisory_db))
    requires = data.get("project", {}).get("requires-python")
    if config.target_version is None and isinstance(requires, str):
        config = replace(config, target_version=_requires_python_floor(requires))
    return config


def config_for(path: Path) -> Config:
    """The configuration that applies to a file or folder (its nearest pyproject.toml)."""
    root = find_project_root(path.resolve())
    return load_pyproject(root / "pyproject.toml") if root else Config()


def default_test_path(path: PurePath | None, extra_globs: tuple[str, ...] = ()) -> bool:
    """Whether a path looks like test code: test_*.py, *_test.py, conftest.py, under tests/ or test/."""
    if path is None:
        return False
    name = path.name
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    if any(part in ("tests", "test", "testing") for part in path.parts[:-1]):
        return True
    text = path.as_posix()
    return any(fnmatch.fnmatch(text, g) or fnmatch.fnmatch(name, g) for g in extra_globs)
