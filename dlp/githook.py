"""Plain git hooks, for repositories that do not use the pre-commit framework,
and the entry point of the ``dlp-push`` pre-commit hook.

    python -m dlp.githook install [--hook pre-commit|pre-push] [--force] [--fail-open] [REPO]
    python -m dlp.githook uninstall [--hook pre-commit|pre-push] [REPO]
    python -m dlp.githook pre-push [--baseline FILE] [--rules FILE] ...

``install`` writes ``pre-commit`` into the repository's hooks directory: a
short shell script running ``dlp scan --staged`` with the Python that installed
it (or ``dlp`` on PATH). A hook dlp did not write is never replaced without
``force``; with it, the old hook is kept as ``pre-commit.dlp-backup`` and still
runs first. Installing twice is harmless; ``uninstall`` restores the backup.

``pre-push`` scans the lines each pushed commit adds: from
``$PRE_COMMIT_FROM_REF..$PRE_COMMIT_TO_REF`` under pre-commit, or from the
``<local ref> <local sha> <remote ref> <remote sha>`` lines git writes on a
plain pre-push hook's stdin.
"""
from __future__ import annotations

import argparse
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from dlp.errors import DlpError, ExitCode, InputError

MARKER = "# dlp-git-hook v1"
BACKUP_SUFFIX = ".dlp-backup"
HOOK_NAME = "pre-commit"
HOOKS = ("pre-commit", "pre-push")
_ZERO = "0" * 40

INSTALLED = "installed"
UPDATED = "updated"
UNCHANGED = "unchanged"
REMOVED = "removed"
RESTORED = "removed (previous hook restored)"
NOT_INSTALLED = "not installed"


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, text=True, check=False)
    if proc.returncode != 0:
        raise InputError(f"{repo}: not a git repository")
    return proc.stdout.strip()


def hooks_dir(repo: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Where git runs this repository's hooks from (worktrees share the main one)."""
    root = Path(repo)
    if not root.is_dir():
        raise InputError(f"{root}: no such directory")
    _git(root, "rev-parse", "--git-dir")
    custom = subprocess.run(["git", "config", "--get", "core.hooksPath"], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, check=False).stdout.strip()
    if custom and not force:
        raise InputError(f"core.hooksPath is set to {custom!r}: git does not run .git/hooks here; add "
                         "`dlp scan --staged` to the hook manager that owns that directory (or use --force)")
    path = Path(_git(root, "rev-parse", "--git-path", "hooks"))
    return path if path.is_absolute() else root / path


def hook_script(*, fail_open: bool = False, python: str | None = None, hook: str = HOOK_NAME) -> str:
    """The shell script of a plain ``pre-commit`` or ``pre-push`` hook."""
    if hook not in HOOKS:
        raise InputError(f"unknown hook {hook!r} (expected one of {', '.join(HOOKS)})")
    python = python or sys.executable
    if hook == "pre-commit":
        what, skip = "commit", "git commit --no-verify"
        keep_input = ""
        backup = f'if [ -x "$0{BACKUP_SUFFIX}" ]; then "$0{BACKUP_SUFFIX}" "$@" || exit $?; fi'
        with_python = '"$DLP_PYTHON" -m dlp scan --staged --no-progress'
        on_path = "dlp scan --staged --no-progress"
    else:  # git passes the refs being pushed on stdin: keep them for the old hook and for dlp
        what, skip = "push", "git push --no-verify"
        keep_input = "refs=$(cat)\n"
        feed = "printf '%s\\n' \"$refs\" | "
        backup = f'if [ -x "$0{BACKUP_SUFFIX}" ]; then {feed}"$0{BACKUP_SUFFIX}" "$@" || exit $?; fi'
        with_python = f'{feed}"$DLP_PYTHON" -m dlp.githook pre-push'
        on_path = f"{feed}python3 -m dlp.githook pre-push"
    on_error = (
        f'if [ "$code" -ge 2 ]; then echo "dlp: scan failed (exit $code); {what} allowed (fail-open)" >&2; exit 0; fi\n'
        if fail_open else ""
    )
    return f"""#!/bin/sh
{MARKER}: installed by dlp; remove with `python -m dlp.githook uninstall`.
# Blocks a {what} that adds a secret or personal data (skip once: {skip}).
{keep_input}{backup}
DLP_PYTHON={shlex.quote(python)}
if [ -x "$DLP_PYTHON" ]; then
    {with_python}
elif command -v dlp >/dev/null 2>&1; then
    {on_path}
else
    echo "dlp: not found; install it, or skip this check once with {skip}" >&2
    {"exit 0" if fail_open else "exit 1"}
fi
code=$?
{on_error}exit $code
"""


def _is_ours(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return MARKER in fh.read(4096)
    except OSError:
        return False


def install_git_hook(repo: str | os.PathLike[str] = ".", *, force: bool = False, fail_open: bool = False,
                     hook_name: str = HOOK_NAME) -> str:
    """Install the ``pre-commit`` (or ``pre-push``) hook; returns INSTALLED, UPDATED or UNCHANGED."""
    script = hook_script(fail_open=fail_open, hook=hook_name)
    directory = hooks_dir(repo, force=force)
    directory.mkdir(parents=True, exist_ok=True)
    hook = directory / hook_name
    status = INSTALLED
    if hook.exists() or hook.is_symlink():
        if _is_ours(hook):
            if hook.read_text(encoding="utf-8") == script and os.access(hook, os.X_OK):
                return UNCHANGED
            status = UPDATED
        elif not force:
            raise InputError(f"{hook} exists and was not written by dlp; use --force to keep it as "
                             f"{hook_name}{BACKUP_SUFFIX} (it will still run first)")
        else:
            backup = hook.with_name(hook_name + BACKUP_SUFFIX)
            if backup.exists():
                raise InputError(f"{backup} already exists; move it away first")
            hook.rename(backup)
    tmp = hook.with_name(f".{hook_name}.dlp-tmp")
    tmp.write_text(script, encoding="utf-8")
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH | stat.S_IRUSR)
    os.replace(tmp, hook)
    return status


def uninstall_git_hook(repo: str | os.PathLike[str] = ".", *, hook_name: str = HOOK_NAME) -> str:
    """Remove dlp's hook (restoring a backed-up one); a foreign hook is left alone."""
    if hook_name not in HOOKS:
        raise InputError(f"unknown hook {hook_name!r} (expected one of {', '.join(HOOKS)})")
    directory = hooks_dir(repo, force=True)
    hook = directory / hook_name
    if not hook.exists() or not _is_ours(hook):
        return NOT_INSTALLED
    hook.unlink()
    backup = hook.with_name(hook_name + BACKUP_SUFFIX)
    if backup.exists():
        backup.rename(hook)
        return RESTORED
    return REMOVED


# --------------------------------------------------------------------------- pre-push


def push_ranges(env: dict[str, str], stdin_lines: Sequence[str]) -> list[tuple[str | None, str]]:
    """(from, to) revisions to scan: pre-commit's environment, else git's pre-push stdin."""
    to_ref = env.get("PRE_COMMIT_TO_REF")
    if to_ref:
        return [(env.get("PRE_COMMIT_FROM_REF") or None, to_ref)]
    if "PRE_COMMIT_REMOTE_NAME" in env or env.get("PRE_COMMIT") == "1":
        return [(None, "HEAD")]  # pre-commit's "push everything" case: no refs given
    ranges: list[tuple[str | None, str]] = []
    for line in stdin_lines:
        parts = line.split()
        if len(parts) != 4:
            continue
        _, local_sha, _, remote_sha = parts
        if local_sha == _ZERO:
            continue  # a deletion pushes nothing
        ranges.append((None if remote_sha == _ZERO else remote_sha, local_sha))
    return ranges


def pre_push(args: argparse.Namespace) -> int:
    from dlp.cli_baseline import _ruleset_and_options
    from dlp.git_scan import run_push_scan
    from dlp.report import render

    stdin_lines: list[str] = []
    if "PRE_COMMIT_TO_REF" not in os.environ and not sys.stdin.isatty():
        stdin_lines = sys.stdin.read().splitlines()
    ranges = push_ranges(dict(os.environ), stdin_lines)
    ruleset, options, config = _ruleset_and_options(
        config_path=args.config, engine="auto", jobs=0, max_file_size=None, min_severity=args.min_severity,
        enable_packs=tuple(args.enable), disable_packs=tuple(args.disable), extra_rules=tuple(args.rules))
    options.progress = False
    baseline_path = args.baseline or (str(config.baseline) if config.baseline else None)
    is_baselined = None
    if baseline_path:
        from dlp.baseline import load_baseline

        is_baselined = load_baseline(baseline_path).contains
    blocked = False
    for from_ref, to_ref in ranges:
        report = run_push_scan(from_ref=from_ref, to_ref=to_ref, paths=args.paths, ruleset=ruleset,
                               options=options, baseline=is_baselined)
        sys.stdout.write(render(report, args.format, color=sys.stdout.isatty() and not os.environ.get("NO_COLOR")))
        blocked = blocked or bool(report.findings)
    return ExitCode.FINDINGS if blocked else ExitCode.CLEAN


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dlp.githook", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_install = sub.add_parser("install", help="install the pre-commit hook")
    p_install.add_argument("repo", nargs="?", default=".")
    p_install.add_argument("--hook", choices=HOOKS, default=HOOK_NAME, help="which hook (default: pre-commit)")
    p_install.add_argument("--force", action="store_true", help="back up and replace a hook dlp did not write")
    p_install.add_argument("--fail-open", action="store_true", help="let the commit through when dlp itself fails")
    p_uninstall = sub.add_parser("uninstall", help="remove the hook (restoring a backed-up one)")
    p_uninstall.add_argument("repo", nargs="?", default=".")
    p_uninstall.add_argument("--hook", choices=HOOKS, default=HOOK_NAME, help="which hook (default: pre-commit)")
    p_push = sub.add_parser("pre-push", help="scan the commits being pushed")
    p_push.add_argument("paths", nargs="*")
    p_push.add_argument("--baseline")
    p_push.add_argument("-c", "--config")
    p_push.add_argument("--rules", action="append", default=[])
    p_push.add_argument("--enable", action="append", default=[])
    p_push.add_argument("--disable", action="append", default=[])
    p_push.add_argument("--min-severity", choices=["low", "medium", "high", "critical"])
    p_push.add_argument("--format", default="text", choices=["text", "json", "jsonl", "sarif"])
    args = parser.parse_args(argv)
    try:
        if args.command == "install":
            status = install_git_hook(args.repo, force=args.force, fail_open=args.fail_open, hook_name=args.hook)
            print(f"dlp: {args.hook} hook {status} in {hooks_dir(args.repo, force=True) / args.hook}")
            return ExitCode.CLEAN
        if args.command == "uninstall":
            print(f"dlp: {args.hook} hook {uninstall_git_hook(args.repo, hook_name=args.hook)}")
            return ExitCode.CLEAN
        return pre_push(args)
    except DlpError as exc:
        print(f"dlp: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    raise SystemExit(main())
