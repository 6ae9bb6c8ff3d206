"""`secls baseline create`, and the baseline as `secls check` applies it (reads files from disk)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secls.baseline.model import FILE_NAME, Baseline, BaselineError, Entry, Key, dump_baseline, load_baseline

if TYPE_CHECKING:  # the rest is imported when a command runs: `secls --version` stays fast
    from secls.config import Config
    from secls.output.report import PathFinding, Report

EXIT_OK, EXIT_ERROR = 0, 2


def add_check_arguments(check: argparse.ArgumentParser) -> None:
    """`--baseline FILE` and `--no-baseline` for `secls check`."""
    group = check.add_mutually_exclusive_group()
    group.add_argument("--baseline", metavar="FILE",
                       help=f"hide the findings accepted in this baseline (default: {FILE_NAME} in --root or "
                            "the current directory, when it exists)")
    group.add_argument("--no-baseline", action="store_true", help="show every finding, baselined or not")


def add_parser(sub: Any) -> None:
    """The `baseline` command and its `create` subcommand."""
    baseline = sub.add_parser("baseline", help="accept the current findings (a baseline file)")
    actions = baseline.add_subparsers(dest="baseline_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help=f"write {FILE_NAME} with one entry per current finding",
                                description="Check the paths and accept every finding: `secls check` hides them "
                                            "until the flagged statement changes.")
    create.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="default: the current directory")
    create.add_argument("--reason", metavar="TEXT", help="why these findings are accepted (kept in each entry)")
    create.add_argument("--output", metavar="FILE",
                        help=f"where to write the baseline (default: {FILE_NAME} in --root or the current directory)")
    create.add_argument("--config", metavar="FILE", help="a pyproject.toml to read [tool.secls] from")
    create.add_argument("--root", metavar="DIR", help="the workspace that resolves base classes (default: .)")
    create.add_argument("--no-resolve", action="store_true", help="do not look at other files")
    create.add_argument("--no-cache", action="store_true", help="do not read or write the cross-file answers")
    create.add_argument("--advisory-db", metavar="PATH", help="OSV advisories to check pins against")


def default_file(root: str | None) -> Path:
    """The baseline file of a run: in --root, else in the current directory."""
    return Path(root or ".") / FILE_NAME


def relative(path: str, base: str) -> str:
    """A path as baseline entries spell it: relative to the baseline's folder, with `/`."""
    try:
        return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(os.path.abspath(path)).as_posix()


def create(args: argparse.Namespace) -> int:
    """Check the paths and write a baseline with an entry per finding; returns the exit status."""
    from secls.baseline.match import new_entries
    from secls.check import check_paths
    from secls.output.text import format_error

    if args.root is not None and not os.path.isdir(args.root):
        print(f"secls: --root: {args.root} is not a folder", file=sys.stderr)
        return EXIT_ERROR
    output = Path(args.output) if args.output else default_file(args.root)
    previous = _previous(output)
    settings = {"advisory_db": args.advisory_db} if args.advisory_db is not None else {}
    resolver = None if args.no_resolve else _resolver(args)
    report = check_paths(args.paths, settings, args.config, resolver)
    if resolver is not None and not args.no_cache:
        resolver.save_cache()
    for error in report.errors:
        print(f"secls: {format_error(error)}", file=sys.stderr)
    if any(e.fatal for e in report.errors):
        print(f"secls: {output} not written", file=sys.stderr)
        return EXIT_ERROR
    base = os.path.dirname(os.path.abspath(output))
    entries: list[Entry] = []
    for display, group in _by_path(report.findings).items():
        text = _text(display)
        if text is not None:
            entries += new_entries(text, relative(display, base), [pf.finding for pf in group], args.reason, previous)
    # A file that could not be checked (a syntax error, say) keeps the entries it had.
    broken = {relative(e.path, base) for e in report.errors}
    entries += [e for e in previous.entries if e.path in broken] if previous else []
    try:
        output.write_text(dump_baseline(entries), encoding="utf-8")
    except OSError as exc:
        print(f"secls: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    files = len({e.path for e in entries})
    print(f"Wrote {len(entries)} {'entry' if len(entries) == 1 else 'entries'} "
          f"({files} {'file' if files == 1 else 'files'}) to {output}.")
    return EXIT_OK


def apply(args: argparse.Namespace, report: Report, settings: dict[str, Any]) -> list[str]:
    """Hide the report's baselined findings (unless --no-baseline); returns notices for stderr.

    Records what was hidden and the entries that matched nothing in `report.baseline` (JSON output).
    Raises ConfigError for a named baseline that is missing, or any baseline that is malformed.
    """
    from secls.baseline.match import split_findings, stale_entries
    from secls.config import ConfigError

    if args.no_baseline:
        return []
    file = Path(args.baseline) if args.baseline else default_file(args.root)
    if args.baseline is None and not os.path.lexists(file):
        return []
    try:
        baseline = load_baseline(file)
    except BaselineError as exc:
        raise ConfigError(f"baseline {file}: {exc}") from None
    base = os.path.dirname(os.path.abspath(file))
    hidden: set[int] = set()
    matched: set[tuple[str, Key]] = set()
    for display, group in _by_path(report.findings).items():
        path = relative(display, base)
        accepted = baseline.keys_for(path)
        text = _text(display) if accepted else None
        if text is None:
            continue
        findings = [pf.finding for pf in group]
        visible, keys = split_findings(text, display, findings, accepted)
        shown = {id(f) for f in visible}
        hidden |= {id(f) for f in findings if id(f) not in shown}
        matched |= {(path, key) for key in keys}
    report.findings = [pf for pf in report.findings if id(pf.finding) not in hidden]
    checked = {relative(p, base) for p in report.checked} | _deleted(baseline, base, args.paths)
    checked -= {relative(e.path, base) for e in report.errors}  # not reviewed: its entries cannot be judged
    stale = stale_entries(baseline, matched, checked)
    if stale:
        from secls.check import load_config

        config, _ = load_config(base, args.config, settings)
        stale = [e for e in stale if _selected(e.code, config)]
    report.baseline = {"file": str(file), "hidden": len(hidden), "stale": [e.to_dict() for e in stale]}
    return _notices(str(file), len(hidden), stale)


def _notices(file: str, hidden: int, stale: list[Entry]) -> list[str]:
    """What a run says on stderr about its baseline: how much it hid, which entries matched nothing."""
    notices = []
    if hidden:
        notices.append(f"secls: {hidden} baselined {'finding' if hidden == 1 else 'findings'} hidden "
                       f"({file}; --no-baseline shows them)")
    if stale:
        notices.append(f"secls: {len(stale)} {'entry' if len(stale) == 1 else 'entries'} of {file} no longer "
                       f"{'matches' if len(stale) == 1 else 'match'} any finding (fixed, or the code changed); "
                       "`secls baseline create` rewrites the file:")
        notices += [f"  {e.path}: {e.code}{' in ' + e.scope if e.scope else ''}: {e.message}" for e in stale]
    return notices


def _selected(code: str, config: Config) -> bool:
    """Whether the run could have reported this rule (an entry of an unselected rule is not stale)."""
    from secls.rules import rule_by_code

    rule = rule_by_code(code)
    if rule is None:
        return True  # a rule that no longer exists can match nothing
    return config.is_enabled(code, rule.enabled_by_default)


def _deleted(baseline: Baseline, base: str, paths: list[str]) -> set[str]:
    """Paths of entries whose file no longer exists in a folder the run checked (their entries are stale)."""
    folders = [os.path.abspath(p) for p in paths if os.path.isdir(p)]
    out = set()
    for path in {e.path for e in baseline.entries}:
        absolute = os.path.normpath(os.path.join(base, path))
        if not os.path.lexists(absolute) and any(absolute.startswith(os.path.join(f, "")) for f in folders):
            out.add(path)
    return out


def _by_path(findings: list[PathFinding]) -> dict[str, list[PathFinding]]:
    groups: dict[str, list[PathFinding]] = {}
    for pf in findings:
        groups.setdefault(pf.path, []).append(pf)
    return groups


def _text(path: str) -> str | None:
    from secls.discovery import DecodeError, read_source

    try:
        return read_source(path)
    except (DecodeError, OSError):  # already reported by the check; its findings stay visible
        return None


def _previous(output: Path) -> Baseline | None:
    """The baseline being replaced, for its reasons; a malformed one is noted and ignored."""
    if not output.exists():
        return None
    try:
        return load_baseline(output)
    except BaselineError as exc:
        print(f"secls: replacing {output}, which could not be read ({exc}); its reasons are lost", file=sys.stderr)
        return None


def _resolver(args: argparse.Namespace) -> Any:
    """The cross-file resolver of a run (as `secls check` builds it)."""
    from secls.cli import _configured_python
    from secls.resolve.jedi_resolver import JediResolver

    root = Path(args.root) if args.root else Path.cwd()
    resolver = JediResolver(root, _configured_python(root, args.config))
    if not args.no_cache:
        resolver.load_cache()
    return resolver
