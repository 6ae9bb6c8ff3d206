"""The `secls` command: check, review, rule, rules, serve."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from secls import __version__
from secls.baseline import command as baseline
from secls.config import ConfigError

if TYPE_CHECKING:
    from secls.resolve.jedi_resolver import JediResolver

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
_CODE_PREFIX = re.compile(r"SEC\d{0,3}")


class UsageError(Exception):
    """A bad command-line value: `main` prints the message and exits 2."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="secls", description="A live security review of Python code.")
    parser.add_argument("--version", action="version", version=f"secls {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check files and folders",
                           description="Check Python files and requirement files (requirements*.txt, constraints*.txt, "
                                       "*.in, pyproject.toml, setup.cfg, pylock.toml); folders are searched for *.py, "
                                       "requirements*.txt, constraints*.txt and *.in.")
    check.add_argument("paths", nargs="+", metavar="PATH")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument("--select", metavar="CODES",
                       help="comma-separated codes or prefixes to report (replaces the configured selection)")
    check.add_argument("--ignore", metavar="CODES",
                       help="comma-separated codes or prefixes not to report (added to the configured ones)")
    check.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even when findings are reported (usage and internal errors still exit 2)")
    check.add_argument("--config", metavar="FILE", help="a pyproject.toml to read [tool.secls] from")
    check.add_argument("--root", metavar="DIR",
                       help="the workspace whose modules and environment resolve base classes and patch targets "
                            "(default: the current directory)")
    check.add_argument("--no-resolve", action="store_true",
                       help="do not look at other files: unresolved base classes stay unknown")
    check.add_argument("--no-cache", action="store_true",
                       help="do not read or write the results and cross-file answers kept between runs")
    check.add_argument("--jobs", "-j", metavar="N", type=_jobs, default=os.cpu_count() or 1,
                       help="worker processes (default: the number of CPUs; 1 checks in this process)")
    check.add_argument("--file-timeout", metavar="SECONDS", type=float, default=120.0,
                       help="report a file as not checked when a worker spends longer on it (default 120)")
    check.add_argument("--advisory-db", metavar="PATH",
                       help="OSV advisories (a folder or a zip such as osv.dev's PyPI all.zip) to check pins against")
    check.add_argument("--fix", action="store_true", help="apply the safe fixes, then report what remains")
    check.add_argument("--unsafe-fixes", action="store_true",
                       help="with --fix or --diff, also apply the fixes that change behaviour")
    check.add_argument("--diff", action="store_true",
                       help="print the fixes as a unified diff instead of writing them (exit 1 if there are any)")
    check.add_argument("--osv-api", metavar="URL", nargs="?", const="https://api.osv.dev",
                       help="also ask the OSV API about pins (default URL https://api.osv.dev; answers are cached)")
    baseline.add_check_arguments(check)

    review = sub.add_parser("review", help="a per-category security review report",
                            description="Review Python files category by category: what was examined, the findings "
                                        "with their lines, severity and fixes, and a verdict per category and file.")
    review.add_argument("paths", nargs="+", metavar="PATH")
    review.add_argument("--format", choices=("md", "json", "html"), default="md")
    review.add_argument("--output", metavar="FILE", help="write the report to FILE instead of standard output")
    # The options that choose what is analysed are check's own (the same argparse actions).
    for option in ("--select", "--ignore", "--config", "--root", "--no-resolve", "--no-cache"):
        review._add_action(next(a for a in check._actions if option in a.option_strings))

    rule = sub.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", metavar="CODE")
    sub.add_parser("rules", help="list every rule")
    baseline.add_parser(sub)

    serve = sub.add_parser("serve", help="run the language server over stdio")
    serve.add_argument("--stdio", action="store_true", help="accepted for editor compatibility (stdio is the default)")
    return parser


def _jobs(text: str) -> int:
    """A --jobs value: a positive number of processes."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number of processes, got {text!r}")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 clean, 1 findings, 2 usage or internal error)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help/--version
        return int(exc.code or 0)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "review":
            return _review(args)
        if args.command == "rule":
            return _rule(args.code)
        if args.command == "rules":
            return _rules()
        if args.command == "baseline":
            return baseline.create(args)
        return _serve()
    except ConfigError as exc:
        print(f"secls: configuration error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except UsageError as exc:
        print(f"secls: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # `secls check ... | head`
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # an internal error must not end in a traceback-only exit 1
        print(f"secls: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _configured_python(root: Path, config_file: str | None) -> str | None:
    """The `python` of [tool.secls] (the interpreter whose packages resolution sees), if set."""
    from secls.config import config_for, load_pyproject

    return (load_pyproject(Path(config_file)) if config_file else config_for(root)).python


def _check(args: argparse.Namespace) -> int:
    from secls.check import check_paths
    from secls.output.json_output import format_json
    from secls.output.text import format_text
    from secls.pipeline import ResolveSpec, RunOptions

    settings = _code_settings(args)
    if args.advisory_db is not None:
        settings["advisory_db"] = args.advisory_db
    if args.osv_api is not None:
        settings["osv_api"] = args.osv_api
    resolve = None
    if not args.no_resolve:
        if args.root is not None and not os.path.isdir(args.root):
            print(f"secls: --root: {args.root} is not a folder", file=sys.stderr)
            return EXIT_ERROR
        root = (Path(args.root) if args.root else Path.cwd()).resolve()
        resolve = ResolveSpec(root, _configured_python(root, args.config), keep_answers=not args.no_cache)
    if args.file_timeout <= 0:
        print("secls: --file-timeout: expected a positive number of seconds", file=sys.stderr)
        return EXIT_ERROR
    fixing = None
    if args.fix or args.diff:
        from secls.fixes.files import fix_paths

        resolver = _resolver(args)
        fixing = fix_paths(args.paths, settings, args.config, resolver, args.unsafe_fixes, write=not args.diff)
        if resolver is not None and not args.no_cache:
            resolver.save_cache()
        fixing.report_problems(sys.stderr)
        if args.diff:
            sys.stdout.write(fixing.diff())
            print(fixing.summary(), file=sys.stderr)
            if fixing.missing:
                return EXIT_ERROR
            return EXIT_FINDINGS if any(f.changed for f in fixing.files) else EXIT_OK
    options = RunOptions(jobs=args.jobs, cache=not args.no_cache, timeout=args.file_timeout, resolve=resolve)
    report = check_paths(args.paths, settings, args.config, options=options)
    notices = baseline.apply(args, report, settings)
    if args.format == "json":
        sys.stdout.write(format_json(report))
    elif args.format == "sarif":
        from secls.output.sarif import format_sarif
        from secls.rules import ALL_RULES

        sys.stdout.write(format_sarif(report, ALL_RULES, __version__))
    else:
        sys.stdout.write(format_text(report))
    if fixing is not None:
        print(fixing.summary(), file=sys.stdout if args.format == "text" else sys.stderr)
    sys.stdout.flush()
    for notice in notices:
        print(notice, file=sys.stderr)
    if any(e.fatal for e in report.errors):
        for error in report.errors:
            if error.fatal and args.format != "text":  # text output already shows them
                print(f"secls: {error.path}: {error.message}", file=sys.stderr)
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    # Syntax errors and unreadable files count like findings (as in ruff): the file was not reviewed.
    return EXIT_FINDINGS if report.has_problems or (fixing is not None and fixing.problems) else EXIT_OK


def _code_settings(args: argparse.Namespace) -> dict[str, Any]:
    """--select/--ignore as settings; raises UsageError for a value that is not a rule code or prefix."""
    settings = {key: getattr(args, key) for key in ("select", "ignore") if getattr(args, key) is not None}
    for key, value in settings.items():
        bad = [code for code in value.replace(",", " ").split() if not _CODE_PREFIX.fullmatch(code.upper())]
        if bad:
            raise UsageError(f"--{key}: {', '.join(bad)} is not a rule code or prefix (like SEC301 or SEC3); "
                             "run `secls rules` to list the codes")
    return settings


def _resolver(args: argparse.Namespace) -> JediResolver | None:
    """The cross-file resolver of --root (None with --no-resolve); raises UsageError for a bad --root."""
    if args.no_resolve:
        return None
    from secls.resolve.jedi_resolver import JediResolver

    if args.root is not None and not os.path.isdir(args.root):
        raise UsageError(f"--root: {args.root} is not a folder")
    root = Path(args.root) if args.root else Path.cwd()
    resolver = JediResolver(root, _configured_python(root, args.config))
    if not args.no_cache:
        resolver.load_cache()
    return resolver


def _review(args: argparse.Namespace) -> int:
    from secls.review.as_json import review_json
    from secls.review.html import review_html
    from secls.review.markdown import review_markdown
    from secls.review.paths import review_paths

    settings = _code_settings(args)
    resolver = _resolver(args)
    review, missing = review_paths(args.paths, settings, args.config, resolver)
    if resolver is not None and not args.no_cache:
        resolver.save_cache()
    render = {"md": review_markdown, "json": review_json, "html": review_html}[args.format]
    text = render(review)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                out.write(text)
        except OSError as exc:
            print(f"secls: --output: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_ERROR
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    for path in missing:
        print(f"secls: {path}: no such file or directory", file=sys.stderr)
    if missing:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(f.error or f.defects for f in review.files) else EXIT_OK


def _rule(code: str) -> int:
    from secls.rules import rule_by_code

    rule = rule_by_code(code)
    if rule is None:
        print(f"secls: unknown rule code {code!r}; run `secls rules` to list the codes", file=sys.stderr)
        return EXIT_ERROR
    sys.stdout.write(rule.docs if rule.docs.endswith("\n") else rule.docs + "\n")
    return EXIT_OK


def _rules() -> int:
    from secls.rules import ALL_RULES

    rows = [(r.code, r.name, r.category, r.severity.label, r.summary + ("" if r.enabled_by_default else
                                                                     " (off by default)"))
            for r in ALL_RULES]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths)) + "  " + row[4])
    return EXIT_OK


def _serve() -> int:
    try:
        from secls.server import serve
    except ImportError as exc:
        print(f"secls: the language server is not available: {exc}", file=sys.stderr)
        return EXIT_ERROR
    serve()
    return EXIT_OK
