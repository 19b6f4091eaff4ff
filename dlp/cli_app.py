"""The `dlp` click application: the command group, `scan` and `rules`.

Imported by :func:`dlp.cli.main` only when a command line is not one of the
fast routes (`dlp hook ...`, `dlp scan ...` in the common forms), so that a
hook or a pre-commit run does not pay for click. Commands in their own modules
are attached on first use (:data:`LAZY_COMMANDS`).
"""
from __future__ import annotations

from pathlib import Path

import click

from dlp import __version__
from dlp.cli import _ExitWith
from dlp.errors import ExitCode

# --------------------------------------------------------------------------- group


# Commands that live in their own modules, imported only when they run (a hook
# starts a process per prompt: it must not pay for the proxy's imports).
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "index": ("dlp.cli_index", "index_group"),
    "baseline": ("dlp.cli_baseline", "baseline_group"),
    "check": ("dlp.cli_egress", "check_command"),
    "redact": ("dlp.cli_egress", "redact_command"),
    "hook": ("dlp.cli_egress", "hook_command"),
    "install": ("dlp.cli_egress", "install_command"),
    "uninstall": ("dlp.cli_egress", "uninstall_command"),
    "proxy": ("dlp.cli_proxy", "proxy_command"),
    "integrations": ("dlp.cli_proxy", "integrations_group"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in LAZY_COMMANDS:
            return command
        import importlib

        module, attr = LAZY_COMMANDS[cmd_name]
        loaded = getattr(importlib.import_module(module), attr)
        self.add_command(loaded, cmd_name)
        return loaded


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="dlp")
def cli() -> None:
    """dlp: keep secrets, personal data and proprietary code from leaving the machine."""


# --------------------------------------------------------------------------- scan


@cli.command("scan")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl", "sarif", "summary"]), default="text",
              show_default=True, help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="Config file (default: .dlp.yaml at the repository root).")
@click.option("--engine", type=click.Choice(["auto", "hyperscan", "python"]), default="auto", show_default=True)
@click.option("-j", "--jobs", type=click.IntRange(0, 256), default=0, help="Worker processes (0: all cores).")
@click.option("--reveal", is_flag=True, help="Print full values in reports (unsafe: they are secrets).")
@click.option("--exclude", multiple=True, help="Exclude paths (gitignore syntax); repeatable.")
@click.option("--no-gitignore", is_flag=True, help="Do not honour .gitignore files.")
@click.option("--follow-symlinks", is_flag=True, help="Follow symbolic links (loops are detected).")
@click.option("--max-file-size", help="Skip files larger than this (e.g. 10MB).")
@click.option("--min-severity", type=click.Choice(["low", "medium", "high", "critical"]))
@click.option("--enable", "enable_packs", multiple=True, help="Enable a rule pack (e.g. pii, pii/my).")
@click.option("--disable", "disable_packs", multiple=True, help="Disable a rule pack.")
@click.option("--rules", "extra_rules", multiple=True, type=click.Path(dir_okay=False),
              help="Extra rule file; repeatable.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline.")
@click.option("--staged", is_flag=True, help="Scan what is staged in git (the index).")
@click.option("--diff", "diff_range", metavar="REV[..REV]", help="Scan lines added in a git range.")
@click.option("--history", is_flag=True, help="Scan every commit reachable in git history.")
@click.option("--since", help="With --history: only commits after DATE or REV.")
@click.option("--branch", "branches", multiple=True, help="With --history: only these branches.")
@click.option("--index", "index_path", type=click.Path(dir_okay=False),
              help="Proprietary code index to match against.")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option("--color/--no-color", default=None, help="Colour text output (default: when stdout is a terminal).")
def scan_command(paths: tuple[str, ...], fmt: str, output: str | None, config_path: str | None, engine: str,
                 jobs: int, reveal: bool, exclude: tuple[str, ...], no_gitignore: bool, follow_symlinks: bool,
                 max_file_size: str | None, min_severity: str | None, enable_packs: tuple[str, ...],
                 disable_packs: tuple[str, ...], extra_rules: tuple[str, ...], baseline: str | None,
                 staged: bool, diff_range: str | None, history: bool, since: str | None,
                 branches: tuple[str, ...], index_path: str | None, no_progress: bool,
                 color: bool | None) -> None:
    """Scan files, directories or stdin (-) for secrets and personal data."""
    from dlp.scan_command import run_params

    raise _ExitWith(run_params(
        paths=paths, fmt=fmt, output=output, config_path=config_path, engine=engine, jobs=jobs, reveal=reveal,
        exclude=exclude, no_gitignore=no_gitignore, follow_symlinks=follow_symlinks, max_file_size=max_file_size,
        min_severity=min_severity, enable_packs=enable_packs, disable_packs=disable_packs,
        extra_rules=extra_rules, baseline=baseline, staged=staged, diff_range=diff_range, history=history,
        since=since, branches=branches, index_path=index_path, no_progress=no_progress, color=color,
    ))


# --------------------------------------------------------------------------- rules


@cli.group("rules")
def rules_group() -> None:
    """List, explain and test rules."""


@rules_group.command("list")
@click.option("--packs", is_flag=True, help="List packs instead of rules.")
@click.option("--all", "show_all", is_flag=True, help="Include packs that are off by default.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_list(packs: bool, show_all: bool, fmt: str) -> None:
    """List the rules (or packs) that a scan would use."""
    import json

    from dlp.ruleset import Selection, builtin_pack_files, load_pack_file, load_ruleset

    if packs:
        rows = []
        for name, path in builtin_pack_files().items():
            default, rules = load_pack_file(path, pack=name)
            rows.append({"pack": name, "default": default, "rules": len(rules)})
        if fmt == "json":
            click.echo(json.dumps(rows, indent=2))
        else:
            for row in rows:
                click.echo(f"{row['pack']:<28} {'on ' if row['default'] else 'off'}  {row['rules']:>4} rules")
        return
    ruleset = load_ruleset(Selection(enable_packs=("all",) if show_all else ()))
    if fmt == "json":
        click.echo(json.dumps([
            {"id": r.id, "name": r.name, "category": str(r.category), "severity": str(r.severity), "pack": r.pack}
            for r in ruleset.rules], indent=2))
        return
    for r in ruleset.rules:
        click.echo(f"{r.id:<44} {r.category!s:<8} {r.severity!s:<9} {r.name}")
    click.echo(f"{len(ruleset)} rules", err=True)


@rules_group.command("explain")
@click.argument("rule_id")
@click.option("--trace", "trace_path", type=click.Path(dir_okay=False),
              help="Also show each match of the rule in FILE and the check that kept or dropped it.")
def rules_explain(rule_id: str, trace_path: str | None) -> None:
    """Show one rule: what it finds, how it validates, its examples (masked)."""
    from dlp.mask import mask
    from dlp.ruleset import Selection, load_ruleset

    ruleset = load_ruleset(Selection(enable_packs=("all",)), examples=True)
    rule = ruleset.get(rule_id)
    lines = [
        f"{rule.id}: {rule.name}",
        f"  category    {rule.category}",
        f"  severity    {rule.severity}",
        f"  pack        {rule.pack} ({rule.source})",
    ]
    if rule.description:
        lines.append(f"  about       {rule.description}")
    if rule.jurisdiction:
        lines.append(f"  law         {rule.jurisdiction} ({rule.pii_class or 'personal'} data)")
    lines.append(f"  pattern     {rule.pattern}")
    if rule.keywords:
        lines.append(f"  keywords    {', '.join(rule.keywords)}")
    if rule.validators:
        lines.append("  validators  " + ", ".join(
            v.name + (f"({', '.join(f'{k}={a!r}' for k, a in v.args)})" if v.args else "") for v in rule.validators))
    if rule.context and rule.context.column:
        lines.append(f"  column      {', '.join(rule.context.words)} (a CSV/TSV column of that name, required)")
        if rule.context.header:
            lines.append(f"  header      {', '.join(rule.context.header)} (the table's header also names one)")
    elif rule.context:
        need = "required" if rule.context.required else "raises confidence"
        where = " on its line" if rule.context.line else ""
        lines.append(f"  context     {', '.join(rule.context.words)} (within {rule.context.window} chars{where}, {need})")
        if rule.context.exclude:
            lines.append(f"  not near    {', '.join(rule.context.exclude)} (without a context word: something else)")
    if rule.tags:
        lines.append(f"  tags        {', '.join(rule.tags)}")
    for ref in rule.references:
        lines.append(f"  see         {ref}")
    lines.append(f"  examples    {len(rule.positive)} positive, {len(rule.negative)} negative, e.g. "
                 f"{mask(rule.positive[0].value or rule.positive[0].text, rule.category)}")
    if trace_path is not None:
        from dlp.errors import InputError
        from dlp.rulecheck import trace_rule

        try:
            data = Path(trace_path).read_bytes()
        except OSError as exc:
            raise InputError(f"{trace_path}: cannot read ({exc.strerror or exc})") from None
        steps = trace_rule(rule, data, trace_path, ruleset)
        lines.append(f"  trace       {trace_path}: {len(steps)} match{'es' if len(steps) != 1 else ''}")
        lines.extend(f"    {step}" for step in steps)
    click.echo("\n".join(lines))


@rules_group.command("test")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--engine", type=click.Choice(["all", "hyperscan", "python"]), default="all", show_default=True)
def rules_test(files: tuple[str, ...], engine: str) -> None:
    """Run every rule's positive and negative examples (built-in packs by default)."""
    from dlp.engine import ENGINES, hyperscan_available, resolve_engine
    from dlp.rulecheck import check_rules, load_rule_files
    from dlp.ruleset import builtin_pack_files

    paths = [Path(f) for f in files] or list(builtin_pack_files().values())
    rules = load_rule_files(paths)
    if engine == "all":
        engines = ENGINES if hyperscan_available() else ("python",)
    else:
        engines = (resolve_engine(engine),)
    failures = check_rules(rules, engines=engines)
    for failure in failures:
        click.echo(str(failure))
    examples = sum(len(r.positive) + len(r.negative) for r in rules)
    click.echo(f"{len(rules)} rules, {examples} examples, engines: {', '.join(engines)}: "
               f"{len(failures)} failure{'s' if len(failures) != 1 else ''}", err=True)
    raise _ExitWith(ExitCode.FINDINGS if failures else ExitCode.CLEAN)


@rules_group.command("validators")
def rules_validators() -> None:
    """List the validators rules can name."""
    from dlp.validators import VALIDATORS

    for name, fn in sorted(VALIDATORS.items()):
        doc = (fn.__doc__ or "").strip().splitlines()
        click.echo(f"{name:<24} {doc[0] if doc else ''}")
