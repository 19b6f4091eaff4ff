"""`dlp scan`: options -> sources -> scanner -> report -> exit code."""
from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from dlp.config import Config, _size, find_config, load_config
from dlp.errors import ExitCode, UsageError
from dlp.model import Action, Severity, Skipped
from dlp.report import render
from dlp.ruleset import Ruleset, Selection, load_ruleset
from dlp.runner import ScanOptions, build_report, scan_files
from dlp.sources.files import Document, walk


def run_params(*, paths: Sequence[str], fmt: str, output: str | None, config_path: str | None, engine: str,
               jobs: int, reveal: bool, exclude: Sequence[str], no_gitignore: bool, follow_symlinks: bool,
               max_file_size: str | None, min_severity: str | None, enable_packs: Sequence[str],
               disable_packs: Sequence[str], extra_rules: Sequence[str], baseline: str | None, staged: bool,
               diff_range: str | None, history: bool, since: str | None, branches: Sequence[str],
               index_path: str | None, no_progress: bool, color: bool | None) -> int:
    """`dlp scan` from its command-line parameters (named as the click command
    names them): the click command and the fast route of :mod:`dlp.cli_argv`
    both end here."""
    return run(
        paths=list(paths), fmt=fmt, output=output, config_path=config_path, engine=engine, jobs=jobs,
        reveal=reveal, exclude=list(exclude), use_gitignore=not no_gitignore, follow_symlinks=follow_symlinks,
        max_file_size=max_file_size, min_severity=min_severity, enable_packs=list(enable_packs),
        disable_packs=list(disable_packs), extra_rules=list(extra_rules), baseline=baseline,
        staged=staged, diff_range=diff_range, history=history, since=since, branches=list(branches),
        index_path=index_path, progress=not no_progress and sys.stderr.isatty(),
        color=sys.stdout.isatty() if color is None and output is None else bool(color),
    )


def run(*, paths: list[str], fmt: str, output: str | None, config_path: str | None, engine: str, jobs: int,
        reveal: bool, exclude: list[str], use_gitignore: bool, follow_symlinks: bool,
        max_file_size: str | None, min_severity: str | None, enable_packs: list[str],
        disable_packs: list[str], extra_rules: list[str], baseline: str | None, staged: bool,
        diff_range: str | None, history: bool, since: str | None, branches: list[str],
        index_path: str | None, progress: bool, color: bool) -> int:
    from dlp.cli import _err, read_stdin, write_output

    git_modes = sum((staged, diff_range is not None, history))
    if git_modes > 1:
        raise UsageError("--staged, --diff and --history are exclusive")
    if (since or branches) and not history:
        raise UsageError("--since and --branch go with --history")

    ruleset, options, config = setup(
        config_path=config_path, engine=engine, jobs=jobs, max_file_size=max_file_size,
        min_severity=min_severity, enable_packs=enable_packs, disable_packs=disable_packs,
        extra_rules=extra_rules, progress=progress,
    )
    if index_path:
        options.index_path = Path(index_path)
    baseline_path = Path(baseline) if baseline else config.baseline
    is_baselined = _baseline_filter(baseline_path)

    missing_argument = False
    if git_modes:
        from dlp.git_scan import run_git_scan  # issue: git sources

        report = run_git_scan(
            paths=paths, staged=staged, diff_range=diff_range, history=history, since=since,
            branches=branches, ruleset=ruleset, options=options, baseline=is_baselined,
        )
    else:
        if not paths:
            paths = ["."]
        excludes = None
        if exclude:
            import pathspec

            excludes = pathspec.GitIgnoreSpec.from_lines(exclude)
        config_excludes = ((config.exclude, str(config.root)),) if config.exclude is not None else ()
        documents: list[Document] = []
        roots = []
        for p in paths:
            if p == "-":
                documents.append(Document("-", read_stdin()))
            else:
                roots.append(p)
        items = list(walk(roots, exclude=excludes, excludes_at=config_excludes, use_gitignore=use_gitignore, follow_symlinks=follow_symlinks))
        for item in items:
            if isinstance(item, Skipped) and item.path in roots and "no such file" in item.reason:
                missing_argument = True
        report = scan_files(items, ruleset, options, documents=documents)
        if is_baselined is not None:
            report = build_report((r.finding for r in report.findings), report.skipped, report.files,
                                  report.bytes, report.seconds, config.allowlist, _block,
                                  baseline=is_baselined)

    for skipped in report.skipped:
        if skipped.reason != "binary file":
            _err(f"skipped {skipped.path}: {skipped.reason}")
    write_output(render(report, fmt, reveal=reveal, color=color), output)
    if any(item.action is Action.BLOCK for item in report.findings):
        return ExitCode.FINDINGS
    return ExitCode.USAGE if missing_argument else ExitCode.CLEAN


def setup(*, config_path: str | None, engine: str, jobs: int, max_file_size: str | None,
          min_severity: str | None, enable_packs: Sequence[str], disable_packs: Sequence[str],
          extra_rules: Sequence[str], progress: bool) -> tuple[Ruleset, ScanOptions, Config]:
    """(ruleset, options, config) from the config file and the command line's
    rule options: shared by every command that scans like `dlp scan`."""
    config = load_config(Path(config_path)) if config_path else load_config(find_config())
    selection = config.selection
    selection = Selection(
        enable_packs=(*selection.enable_packs, *enable_packs),
        disable_packs=(*selection.disable_packs, *disable_packs),
        disable_rules=selection.disable_rules,
        only_rules=selection.only_rules,
        extra_files=(*selection.extra_files, *(Path(p) for p in extra_rules)),
        min_severity=Severity.parse(min_severity) if min_severity else selection.min_severity,
        categories=selection.categories,
    )
    if "pii" in config.raw:  # pii.jurisdictions: the countries --enable pii enables (imported only then)
        from dlp.policy import scan_selection

        selection = scan_selection(selection, config)
    ruleset = load_ruleset(selection)
    size_limit = _size("--max-file-size", max_file_size) if max_file_size else config.max_file_size
    options = ScanOptions(engine=engine, jobs=jobs, max_file_size=size_limit,
                          allowlist=config.allowlist, progress=progress)
    return ruleset, options, config


def _block(_: object) -> Action:
    return Action.BLOCK


def _baseline_filter(path: Path | None):  # type: ignore[no-untyped-def]
    if path is None:
        return None
    from dlp.baseline import load_baseline

    return load_baseline(path).contains
