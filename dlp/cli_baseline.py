"""`dlp baseline create | audit`: record what is already known, label it.

Attached to the `dlp` group by :mod:`dlp.cli` as ``baseline_group``.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from dlp.errors import InputError, UsageError

DEFAULT_BASELINE = ".dlp-baseline.json"


@click.group("baseline")
def baseline_group() -> None:
    """Baselines: known findings that scans with --baseline do not report again."""


def _scan_options(f: Any) -> Any:
    options = [
        click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
                     help="Config file (default: .dlp.yaml at the repository root)."),
        click.option("--engine", type=click.Choice(["auto", "hyperscan", "python"]), default="auto"),
        click.option("-j", "--jobs", type=click.IntRange(0, 256), default=0, help="Worker processes (0: all cores)."),
        click.option("--exclude", multiple=True, help="Exclude paths (gitignore syntax); repeatable."),
        click.option("--no-gitignore", is_flag=True, help="Do not honour .gitignore files."),
        click.option("--max-file-size", help="Skip files larger than this (e.g. 10MB)."),
        click.option("--min-severity", type=click.Choice(["low", "medium", "high", "critical"])),
        click.option("--enable", "enable_packs", multiple=True, help="Enable a rule pack; repeatable."),
        click.option("--disable", "disable_packs", multiple=True, help="Disable a rule pack; repeatable."),
        click.option("--rules", "extra_rules", multiple=True, type=click.Path(dir_okay=False),
                     help="Extra rule file; repeatable."),
        click.option("--staged", is_flag=True, help="Record what is staged in git (the index)."),
        click.option("--diff", "diff_range", metavar="REV[..REV]", help="Record lines added in a git range."),
        click.option("--history", is_flag=True, help="Record every finding in git history."),
        click.option("--since", help="With --history: only commits after DATE or REV."),
        click.option("--branch", "branches", multiple=True, help="With --history: only these branches."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _ruleset_and_options(*, config_path: str | None, engine: str, jobs: int, max_file_size: str | None,
                         min_severity: str | None, enable_packs: tuple[str, ...], disable_packs: tuple[str, ...],
                         extra_rules: tuple[str, ...]) -> tuple[Any, Any, Any]:
    """(ruleset, ScanOptions, config) exactly as `dlp scan` builds them."""
    from dlp.scan_command import setup

    return setup(config_path=config_path, engine=engine, jobs=jobs, max_file_size=max_file_size,
                 min_severity=min_severity, enable_packs=enable_packs, disable_packs=disable_packs,
                 extra_rules=extra_rules, progress=sys.stderr.isatty())


@baseline_group.command("create")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--output", default=DEFAULT_BASELINE, show_default=True, type=click.Path(dir_okay=False),
              help="Baseline file to write (audit labels already in it are kept).")
@_scan_options
def create_command(paths: tuple[str, ...], output: str, config_path: str | None, engine: str, jobs: int,
                   exclude: tuple[str, ...], no_gitignore: bool, max_file_size: str | None,
                   min_severity: str | None, enable_packs: tuple[str, ...], disable_packs: tuple[str, ...],
                   extra_rules: tuple[str, ...], staged: bool, diff_range: str | None, history: bool,
                   since: str | None, branches: tuple[str, ...]) -> None:
    """Scan like `dlp scan` and record every finding (hashes and paths, never values)."""
    import pathspec

    from dlp.baseline import FORMAT_DLP, from_findings, load_baseline
    from dlp.cli import write_output

    if sum((staged, diff_range is not None, history)) > 1:
        raise UsageError("--staged, --diff and --history are exclusive")
    if (since or branches) and not history:
        raise UsageError("--since and --branch go with --history")
    ruleset, options, config = _ruleset_and_options(
        config_path=config_path, engine=engine, jobs=jobs, max_file_size=max_file_size, min_severity=min_severity,
        enable_packs=enable_packs, disable_packs=disable_packs, extra_rules=extra_rules)
    if staged or diff_range is not None or history:
        from dlp.git_scan import run_git_scan

        report = run_git_scan(paths=list(paths), staged=staged, diff_range=diff_range, history=history,
                              since=since, branches=list(branches), ruleset=ruleset, options=options, baseline=None)
    else:
        from dlp.runner import scan_files
        from dlp.sources.files import walk

        # the baseline itself holds hashes, not findings: never scan it
        own = Path(output).as_posix().removeprefix("./")
        excludes = pathspec.PathSpec.from_lines("gitwildmatch", [*exclude, own if Path(output).is_absolute()
                                                                 else "/" + own])
        spec = excludes if config.exclude is None else config.exclude + excludes
        report = scan_files(walk(list(paths) or ["."], exclude=spec, use_gitignore=not no_gitignore),
                            ruleset, options)
    previous = None
    target = Path(output)
    if target.exists():
        previous = load_baseline(target)
        if previous.format != FORMAT_DLP:
            raise InputError(f"{output}: is a {previous.format} baseline; write dlp's baseline elsewhere (-o)")
    baseline = from_findings((item.finding for item in report.findings), previous=previous)
    text = baseline.dumps()
    if previous is not None and target.read_text(encoding="utf-8") == text:
        click.echo(f"dlp: {output} unchanged ({len(baseline)} entries)", err=True)
        return
    write_output(text, output)
    click.echo(f"dlp: wrote {len(baseline)} entries to {output}", err=True)


def _parse_label(text: str) -> tuple[str, bool | None]:
    fingerprint, sep, verdict = text.rpartition("=")
    verdict = verdict.strip().lower()
    values = {"true": True, "yes": True, "y": True, "false": False, "no": False, "n": False,
              "clear": None, "none": None}
    if not sep or not fingerprint or verdict not in values:
        raise UsageError(f"--label {text!r}: expected FINGERPRINT=true|false|clear")
    return fingerprint, values[verdict]


@baseline_group.command("audit")
@click.argument("file", type=click.Path(dir_okay=False), default=DEFAULT_BASELINE)
@click.option("--label", "labels", multiple=True, metavar="FINGERPRINT=true|false",
              help="Label an entry without prompting (a unique prefix of the hash is enough); repeatable.")
@click.option("--all", "review_all", is_flag=True, help="Review entries already labelled too.")
@click.option("--stats", "stats_only", is_flag=True, help="Only print the statistics.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--interactive/--no-interactive", default=None,
              help="Prompt for each entry (default: when stdin is a terminal and no --label is given).")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file whose rules locate entries to show them.")
@click.option("--enable", "enable_packs", multiple=True, help="Enable a rule pack; repeatable.")
@click.option("--disable", "disable_packs", multiple=True, help="Disable a rule pack; repeatable.")
@click.option("--rules", "extra_rules", multiple=True, type=click.Path(dir_okay=False),
              help="Extra rule file; repeatable.")
def audit_command(file: str, labels: tuple[str, ...], review_all: bool, stats_only: bool, fmt: str,
                  interactive: bool | None, config_path: str | None, enable_packs: tuple[str, ...],
                  disable_packs: tuple[str, ...], extra_rules: tuple[str, ...]) -> None:
    """Mark baseline entries as real secrets or false positives, and print statistics.

    Interactive on a terminal: each entry is shown with its line from the
    working tree, the value masked.
    """
    from dlp.baseline import load_baseline
    from dlp.cli import write_output

    baseline = load_baseline(file)
    changed = False
    for text in labels:
        fingerprint, verdict = _parse_label(text)
        indexes = baseline.find(fingerprint)
        if not indexes:
            raise UsageError(f"--label: no single baseline entry has fingerprint {fingerprint!r}")
        for i in indexes:
            if baseline.entries[i].is_secret != verdict:
                baseline.label(i, verdict)
                changed = True
    if interactive is None:
        interactive = not labels and not stats_only and sys.stdin.isatty()
    if interactive:
        def ruleset() -> Any:
            return _ruleset_and_options(config_path=config_path, engine="auto", jobs=1, max_file_size=None,
                                        min_severity=None, enable_packs=("all", *enable_packs),
                                        disable_packs=disable_packs, extra_rules=extra_rules)[0]
        changed = _interactive(baseline, review_all=review_all, ruleset=ruleset) or changed
    if changed:
        write_output(baseline.dumps(), file)
    stats = baseline.stats()
    if fmt == "json":
        import json

        click.echo(json.dumps(stats, indent=2))
        return
    click.echo(f"{stats['entries']} entries: {stats['true_positives']} real secrets, "
               f"{stats['false_positives']} false positives, {stats['unaudited']} not audited")
    for rule_id, n in stats["by_rule"].items():
        click.echo(f"  {rule_id:<40} {n:>5}")


def _interactive(baseline: Any, *, review_all: bool, ruleset: Callable[[], Any]) -> bool:
    from dlp.baseline import FORMAT_DLP

    todo = [i for i, e in enumerate(baseline.entries) if review_all or e.is_secret is None]
    if not todo:
        click.echo("every entry is audited (use --all to review them again)")
        return False
    locator = _Locator(baseline, ruleset)
    changed = False
    for n, i in enumerate(todo, 1):
        e = baseline.entries[i]
        click.echo()
        click.secho(f"[{n}/{len(todo)}] {e.rule_id}  {e.path or '-'}", bold=True)
        click.echo(f"  fingerprint {e.fingerprint}")
        if e.is_secret is not None:
            click.echo(f"  labelled    {'real secret' if e.is_secret else 'false positive'}")
        for line_no, text in locator.lines(e, by_sha1=baseline.format != FORMAT_DLP):
            click.echo(f"  {line_no:>6} | {text}")
        answer = click.prompt("  Is this a real secret? (y)es, (n)o, (s)kip, (q)uit",
                              type=click.Choice(["y", "n", "s", "q"]), default="s", show_choices=False)
        if answer == "q":
            break
        if answer in ("y", "n"):
            baseline.label(i, answer == "y")
            changed = True
    return changed


class _Locator:
    """Finds an entry's lines in the working tree to show them, masked."""

    def __init__(self, baseline: Any, ruleset: Callable[[], Any]) -> None:
        self._baseline = baseline
        self._make_ruleset = ruleset
        self._ruleset: Any = None
        self._cache: dict[str, list[Any]] = {}

    def lines(self, entry: Any, *, by_sha1: bool) -> list[tuple[int, str]]:
        from dlp.baseline import detect_secrets_hashes

        if entry.path is None:
            return []
        root = self._baseline.root or Path.cwd()
        path = root / entry.path
        if entry.path not in self._cache:
            self._cache[entry.path] = self._scan(path)
        out = []
        for f in self._cache[entry.path]:
            keys = detect_secrets_hashes(f.value) if by_sha1 else (f.fingerprint,)
            if entry.fingerprint in keys:
                text = path.read_bytes().split(b"\n")[f.line - 1].decode("utf-8", "replace")
                shown = text[:f.column - 1] + f.masked
                if f.end_line == f.line:
                    shown += text[f.end_column - 1:]
                out.append((f.line, shown[:200]))
        return out[:3]

    def _scan(self, path: Path) -> list[Any]:
        from dlp.scan import scan

        try:
            data = path.read_bytes()
        except OSError:
            return []
        if self._ruleset is None:
            self._ruleset = self._make_ruleset()
        return list(scan(data, self._ruleset))
