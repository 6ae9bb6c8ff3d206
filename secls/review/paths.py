"""Review files on disk: the same configuration, discovery, reading and resolution as `secls check`."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secls.analysis import analyze
from secls.config import Config
from secls.check import analysis_path, load_config
from secls.deps.kinds import requirement_kind
from secls.discovery import DecodeError, DiscoveryError, discover, read_source
from secls.review.build import build_review
from secls.review.model import FileReview, Review

if TYPE_CHECKING:
    from secls.resolve.jedi_resolver import JediResolver


def review_file(display: str, config: Config, root: Path | None, resolver: JediResolver | None = None) -> FileReview:
    """Read, analyse and review one Python file; unreadable or undecodable files get an error, not a raise."""
    try:
        text = read_source(display)
    except DecodeError as exc:
        return FileReview(display, error=str(exc))
    except OSError as exc:
        return FileReview(display, error=f"cannot read: {exc.strerror or exc}")
    path = analysis_path(display, root)
    resolution = resolver.resolve(text, os.path.abspath(display)) if resolver is not None else None
    result = analyze(text, path, config, resolver=resolution)
    try:
        return build_review(display, text, path, config, result, resolution)
    except Exception as exc:  # a bug in one file's review must not cost the other files theirs
        return FileReview(display, error=f"internal error: {type(exc).__name__}: {exc}")


def review_paths(paths: Sequence[str], settings: dict[str, Any] | None = None, config_file: str | None = None,
                 resolver: JediResolver | None = None) -> tuple[Review, list[str]]:
    """Review every Python file named or found under `paths`; also returns the paths that do not exist.

    Requirement files found in folders are left to `secls check`; one named explicitly is reported as not
    reviewed. Raises ConfigError for a bad configuration.
    """
    review = Review()
    missing: list[str] = []
    seen: set[str] = set()
    for path in paths:
        config, root = load_config(path, config_file, settings or {})
        for item in discover(path, config.is_excluded):
            if isinstance(item, DiscoveryError):
                if item.missing:
                    missing.append(item.path)
                review.files.append(FileReview(item.path, error=item.message))
            elif item.real not in seen:
                seen.add(item.real)
                if requirement_kind(item.display) is not None:
                    if item.display == path:
                        review.files.append(FileReview(item.display, error="a requirement file: `secls check` "
                                                       "reviews its pins"))
                    continue
                review.files.append(review_file(item.display, config, root, resolver))
    return review, missing
