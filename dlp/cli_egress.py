"""`dlp check`, `dlp redact`, `dlp hook`, `dlp install`, `dlp uninstall`.

Attached to the `dlp` group by :mod:`dlp.cli`. Exit codes: 0 allow or redact
(the decision is in the output), 1 block, 2 usage / config / bad input.
Heavy modules (ruleset, scanner, crypto) are imported inside the commands.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dlp.errors import ExitCode, InputError

_KINDS = ("openai", "openai-responses", "anthropic", "gemini")
_MAX_INPUT = 10 * 1024 * 1024


class _Exit(Exception):
    pass


def _exit(code: int) -> None:
    from dlp.cli import _ExitWith

    raise _ExitWith(code)


def _read_source(source: str) -> str:
    from dlp.cli import read_input

    name, data = read_input(source, _MAX_INPUT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start})") from None


def _parse_payload(text: str, kind: str) -> dict:
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise InputError(f"--payload {kind}: input is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise InputError(f"--payload {kind}: expected a JSON object")
    return payload


def _egress(config: str | None, index: str | None, engine: str = "auto"):  # type: ignore[no-untyped-def]
    from dlp.egress import Egress

    return Egress.from_config(Path(config) if config else None, index_path=Path(index) if index else None,
                              engine=engine)


def _render_text(decision, *, reveal: bool) -> str:  # type: ignore[no-untyped-def]
    lines = [f"decision: {decision.action}" + (f" (destination {decision.destination})" if decision.destination
                                               else "")]
    for item in decision.findings:
        f = item.finding
        where = f.path or next((v for k, v in f.origin.extra if k == "field"), None) or "input"
        shown = f.value if reveal else f.masked
        lines.append(f"  {item.action!s:<7} {f.category!s:<11} {f.rule_id:<32} {where}:{f.line}:{f.column}  "
                     f"{shown}  {f.message}")
    if decision.reasons and decision.action.value != "allow":
        lines.append("why: " + decision.summary(limit=10))
    return "\n".join(lines) + "\n"


_common_options = [
    click.option("--payload", "kind", type=click.Choice(_KINDS), help="Input is an API request body of this kind."),
    click.option("--destination", metavar="HOST", help="Where the content is going (applies destination policy)."),
    click.option("-c", "--config", "config", type=click.Path(dir_okay=False),
                 help="Policy file (default: .dlp.yaml at the repository root)."),
]


def _with(options):  # type: ignore[no-untyped-def]
    def wrap(f):  # type: ignore[no-untyped-def]
        for option in reversed(options):
            f = option(f)
        return f
    return wrap


@click.command("check")
@click.argument("source", required=False, default="-")
@_with(_common_options)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--index", type=click.Path(dir_okay=False), help="Proprietary code index to match against.")
@click.option("--engine", type=click.Choice(["auto", "hyperscan", "python"]), default="auto", show_default=True)
@click.option("--reveal", is_flag=True, help="Show full values (unsafe: they are secrets).")
def check_command(source: str, kind: str | None, destination: str | None, config: str | None, fmt: str,
                  index: str | None, engine: str, reveal: bool) -> None:
    """Decide whether content may leave: allow, redact or block (exit 1 on block)."""
    text = _read_source(source)
    egress = _egress(config, index, engine)
    if kind:
        decision = egress.check_payload(_parse_payload(text, kind), kind, destination=destination)
    else:  # a prompt: its text and the files it mentions with @path
        decision = egress.check_prompt(text, cwd=Path.cwd(), destination=destination)
    from dlp.audit import record

    record(egress.policy.audit_path, decision, source="dlp check")
    if fmt == "json":
        click.echo(json.dumps(decision.to_record(reveal=reveal), indent=2, ensure_ascii=False))
    else:
        click.echo(_render_text(decision, reveal=reveal), nl=False)
    _exit(ExitCode.FINDINGS if decision.blocked else ExitCode.CLEAN)


@click.command("redact")
@click.argument("source", required=False, default="-")
@_with(_common_options)
@click.option("--session", default="default", show_default=True, help="Vault session: placeholders are stable in it.")
@click.option("--restore", is_flag=True, help="Put the session's originals back into SOURCE (a model answer).")
@click.option("--report", is_flag=True, help="Also print the decision (JSON) on stderr.")
def redact_command(source: str, kind: str | None, destination: str | None, config: str | None, session: str,
                   restore: bool, report: bool) -> None:
    """Print SOURCE with typed placeholders (<SECRET:github-pat:1>), keeping the
    originals in an encrypted local vault; --restore puts them back.

    Exit 0, or 1 when the policy blocks the content (the output is still redacted)."""
    from dlp.redact import VaultStore, restore_text

    text = _read_source(source)
    egress = _egress(config, None)
    policy = egress.policy
    store = VaultStore(policy.vault_dir, ttl=policy.vault_ttl)
    key = f"cli:{session}"
    vault = store.load(key)
    if restore:
        if kind:
            payload = _parse_payload(text, kind)
            from dlp.payloads import replace_in_leaves

            out = json.dumps(replace_in_leaves(payload, lambda s: restore_text(s, vault)), ensure_ascii=False)
            click.echo(out)
        else:
            sys.stdout.write(restore_text(text, vault))
            sys.stdout.flush()
        _exit(ExitCode.CLEAN)
    if kind:
        decision, new_payload = egress.redact_payload(_parse_payload(text, kind), kind, vault,
                                                      destination=destination)
        output = json.dumps(new_payload, ensure_ascii=False) + "\n"
    else:
        decision, output = egress.redact_text(text, vault, destination=destination)
    if len(vault):
        store.save(key, vault)
    from dlp.audit import record

    record(policy.audit_path, decision, source="dlp redact", session=session)
    sys.stdout.write(output)
    sys.stdout.flush()
    if report:
        click.echo(json.dumps(decision.to_record(), ensure_ascii=False), err=True)
    if decision.blocked:
        click.echo(f"dlp: blocked by policy: {decision.summary()}", err=True)
    _exit(ExitCode.FINDINGS if decision.blocked else ExitCode.CLEAN)


@click.command("hook", context_settings={"ignore_unknown_options": False})
@click.argument("tool")
@click.option("--event", help="Event name, when the tool's payload does not carry one (Copilot CLI).")
@click.option("--destination", metavar="HOST", help="Override the tool's model host for destination policy.")
@click.option("-c", "--config", "config", type=click.Path(dir_okay=False), help="Policy file.")
def hook_command(tool: str, event: str | None, destination: str | None, config: str | None) -> None:
    """Answer a hook call from an AI coding tool (JSON on stdin, in the tool's protocol).

    TOOL: claude-code, cursor, gemini-cli, copilot, codex, qoder."""
    from dlp.integrations.hooks import (
        MAX_HOOK_INPUT,
        resolve_tool,
        run_hook,
        write_result,
    )

    tool = resolve_tool(tool)
    raw = sys.stdin.buffer.read(MAX_HOOK_INPUT + 1)
    result = run_hook(tool, raw, event=event, config_path=Path(config) if config else None,
                      destination=destination)
    _exit(write_result(result))


def _install_args(f):  # type: ignore[no-untyped-def]
    f = click.option("--user", "scope", flag_value="user", help="The user's settings (~).")(f)
    f = click.option("--project", "scope", flag_value="project", default=True,
                     help="The project's settings (default).")(f)
    f = click.option("--dir", "root", type=click.Path(file_okay=False), default=".",
                     help="Project directory (default: current).")(f)
    return f


@click.command("install")
@click.argument("tool")
@_install_args
@click.option("--command", "command", help="Command the tool should run (default: dlp hook <tool>).")
@click.option("--force", is_flag=True, help="git-hook: replace an existing hook.")
@click.option("--fail-open", is_flag=True, help="git-hook: let the commit through if dlp itself fails.")
def install_command(tool: str, scope: str, root: str, command: str | None, force: bool, fail_open: bool) -> None:
    """Add dlp's hooks to TOOL's settings (idempotent; a backup is kept).

    TOOL: claude-code, cursor, gemini-cli, copilot, codex, qoder, git-hook."""
    from dlp.integrations.hooks import install as inst
    from dlp.integrations.hooks import resolve_tool

    if tool == "git-hook":
        result = inst.install_git_hook(Path(root), force=force, fail_open=fail_open)
        click.echo(f"dlp: git hook installed{f': {result}' if result else ''}")
        return
    tool = resolve_tool(tool)
    path, changed = inst.install(tool, user=scope == "user", root=Path(root), command=command)
    if changed:
        click.echo(f"dlp: hooks added to {path} (previous version in {path.name}{inst.BACKUP_SUFFIX})")
    else:
        click.echo(f"dlp: {path} already has dlp's hooks")


@click.command("uninstall")
@click.argument("tool")
@_install_args
def uninstall_command(tool: str, scope: str, root: str) -> None:
    """Remove exactly the hooks `dlp install` added to TOOL's settings."""
    from dlp.integrations.hooks import install as inst
    from dlp.integrations.hooks import resolve_tool

    if tool == "git-hook":
        result = inst.uninstall_git_hook(Path(root))
        click.echo(f"dlp: git hook removed{f': {result}' if result else ''}")
        return
    tool = resolve_tool(tool)
    path, changed = inst.uninstall(tool, user=scope == "user", root=Path(root))
    click.echo(f"dlp: dlp's hooks removed from {path}" if changed else f"dlp: no dlp hooks in {path}")
