"""Running the analysis over paths: configuration per path, discovery, reading, collecting a report."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from secls.analysis import analyze
from secls.config import Config, ConfigError, find_project_root, load_pyproject
from secls.deps.kinds import requirement_kind
from secls.discovery import DecodeError, SourceFile, read_source
from secls.output.report import FileError, PathFinding, Report

if TYPE_CHECKING:
    from secls.pipeline import RunOptions
    from secls.resolve.jedi_resolver import JediResolver


def load_config(path: str, config_file: str | None, settings: dict[str, Any]) -> tuple[Config, Path | None]:
    """The configuration for a path given on the command line, and its project root; raises ConfigError."""
    if config_file is not None:
        file = Path(config_file)
        if not file.is_file():
            raise ConfigError(f"{config_file}: no such configuration file")
        config, root = load_pyproject(file), file.resolve().parent
    else:
        root = find_project_root(Path(os.path.realpath(path)))  # not resolve(): it raises on a symlink loop
        config = load_pyproject(root / "pyproject.toml") if root else Config()
    return _with_cli_settings(config, settings), root


def _with_cli_settings(config: Config, settings: dict[str, Any]) -> Config:
    settings = dict(settings)
    # --ignore adds to the configured ignore list; --select replaces the configured selection.
    extra_ignore = settings.pop("ignore", None)
    config = config.merged(settings)
    if extra_ignore:
        added = Config().merged({"ignore": extra_ignore}).ignore
        config = config.merged({"ignore": [*config.ignore, *added]})
    return config


def analysis_path(display: str, root: Path | None) -> PurePath:
    """The path rules see: relative to the project root (so test globs and `tests/` match), else as given."""
    if root is not None:
        absolute = Path(os.path.abspath(display))
        try:
            return PurePath(absolute.relative_to(root))
        except ValueError:
            pass
    return PurePath(display)


def check_file(source: SourceFile, config: Config, root: Path | None, report: Report,
               requirements: bool = False, resolver: JediResolver | None = None,
               keep: list[object] | None = None) -> str | None:
    """Read and analyse one file (as a requirement file when `requirements`, else by its name), adding its
    findings or errors to the report; returns its text. `keep` receives the syntax tree (see `analyze`)."""
    try:
        text = read_source(source.display)
    except DecodeError as exc:
        report.errors.append(FileError(source.display, str(exc)))
        return None
    except OSError as exc:
        report.errors.append(FileError(source.display, f"cannot read: {exc.strerror or exc}"))
        return None
    requirements = requirements or requirement_kind(source.display) is not None
    path = analysis_path(source.display, root)
    if requirements:
        # Imported here: a run whose results all come from the result cache loads no rule, and one that
        # checks no requirement file no advisory database.
        from secls.deps.analyze import analyze_requirements
        from secls.deps.database import try_database_for
        from secls.deps.sources import pins_of, with_api

        db, error = try_database_for(config)
        if error is not None:
            raise ConfigError(f"advisory database: {error}")
        if config.osv_api:
            db = with_api(db, config, pins_of(text, source.display), fetch=True)
        result = analyze_requirements(text, path, config, db)
    elif resolver is None:
        result = analyze(text, path, config, keep=keep)
    else:
        # One parse and one index of the tree serve both the resolver's questions and the analysis.
        from secls.analysis.scope import index_tree
        from secls.resolve.questions import Questions, collect_questions, parse_or_none

        absolute = os.path.abspath(source.display)
        kept = getattr(resolver, "kept_tree", None)  # a test module read already as another's base
        tree = (kept(absolute, text) if kept is not None else None) or parse_or_none(text)
        index = index_tree(tree) if tree is not None else None
        questions = collect_questions(text, tree, index) if tree is not None else Questions()
        resolution = resolver.resolve(text, absolute, questions)
        result = analyze(text, path, config, resolver=resolution, tree=tree, index=index, keep=keep)
        offer = getattr(resolver, "offer_tree", None)  # for a module that names this one as a base later
        if offer is not None and tree is not None:
            offer(absolute, text, tree)
    report.files_checked += 1
    report.checked.append(source.display)
    if result.syntax_error is not None:
        err = result.syntax_error
        report.errors.append(FileError(source.display, err.message, err.line, err.column + 1,
                                       code=err.code, kind="syntax"))
    report.findings.extend(PathFinding(source.display, f) for f in result.findings)
    report.errors.extend(FileError(source.display, message, kind="internal") for message in result.errors)
    return text


def check_paths(paths: Sequence[str], settings: dict[str, Any] | None = None,
                config_file: str | None = None, resolver: JediResolver | None = None,
                options: RunOptions | None = None) -> Report:
    """Check every file named or found under `paths`; raises ConfigError for a bad configuration.

    With a resolver, base classes and patch targets in other files are resolved (never imported).
    Without `options`, in this process and without the result cache (see `secls.pipeline`).
    """
    from secls.pipeline import RunOptions, run_check

    options = options or RunOptions(cache=False, progress=False)
    return run_check(paths, settings, config_file, options, resolver=resolver)


def _check_with_includes(first: SourceFile, config: Config, root: Path | None, report: Report,
                         seen: set[str], resolver: JediResolver | None = None) -> None:
    """Check a file, then the files its `-r`/`-c` lines include, each once (include cycles end)."""
    queue = [first]
    while queue:
        source = queue.pop(0)
        if source.real in seen:
            continue
        seen.add(source.real)
        included = source is not first  # whatever its name, an included file is a requirement file
        text = check_file(source, config, root, report, requirements=included, resolver=resolver)
        if text is None or not (included or requirement_kind(source.display) is not None):
            continue
        from secls.deps.includes import included_paths

        for path in included_paths(text, source.display):
            if os.path.isfile(path):
                queue.append(SourceFile(path, os.path.realpath(path)))
            else:
                report.errors.append(FileError(path, f"included by {source.display} but not found"))
