"""Settings layers: `[tool.secls]` of the project, then initializationOptions, then workspace/configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from secls.config import Config, ConfigError, config_for

SECTION = "secls"


def settings_dict(raw: Any) -> dict[str, Any]:
    """The secls settings in what a client sent: `{...}` or `{"secls": {...}}`; anything else is empty."""
    if not isinstance(raw, dict):
        return {}
    inner = raw.get(SECTION)
    if isinstance(inner, dict):
        return inner
    return raw


class Settings:
    """The editor's settings (kept only when valid) laid over each project's pyproject config."""

    def __init__(self) -> None:
        self.init_options: dict[str, Any] = {}
        self.workspace: dict[str, Any] = {}
        self._projects: dict[Path, Config] = {}
        self.warnings: list[str] = []

    @property
    def editor(self) -> dict[str, Any]:
        """initializationOptions with workspace/configuration on top."""
        return {**self.init_options, **self.workspace}

    def set_init_options(self, raw: Any) -> str | None:
        """Take initializationOptions; returns the error text and keeps the old ones when invalid."""
        return self._set("init_options", settings_dict(raw))

    def set_workspace(self, raw: Any) -> str | None:
        """Take workspace/configuration settings; returns the error text and keeps the old ones when invalid."""
        return self._set("workspace", settings_dict(raw))

    def _set(self, layer: str, value: dict[str, Any]) -> str | None:
        candidate = {**self.editor, **value} if layer == "workspace" else {**value, **self.workspace}
        try:
            Config().merged(candidate)
        except ConfigError as exc:
            return f"secls: ignoring invalid settings: {exc}"
        setattr(self, layer, value)
        return None

    def forget_projects(self) -> None:
        """Drop cached pyproject configs (settings changed; re-read on next use)."""
        self._projects.clear()

    def project_config(self, folder: Path) -> Config:
        """`[tool.secls]` that applies to a folder; an unreadable pyproject is reported once and ignored."""
        config = self._projects.get(folder)
        if config is None:
            try:
                config = config_for(folder)
            except ConfigError as exc:
                self.warnings.append(f"secls: ignoring [tool.secls]: {exc}")
                config = Config()
            self._projects[folder] = config
        return config

    def config(self, path: str | None, root: str | None) -> Config:
        """The config for a document at `path` (or the workspace root when it has no path)."""
        where = Path(path).parent if path else Path(root) if root else None
        base = self.project_config(where) if where is not None else Config()
        editor = self.editor
        return base.merged(editor) if editor else base

    def debounce_ms(self, root: str | None) -> int:
        """The debounce delay in milliseconds."""
        return self.config(None, root).debounce_ms

    def take_warnings(self) -> list[str]:
        """Warnings not yet shown to the user."""
        out, self.warnings = self.warnings, []
        return out
