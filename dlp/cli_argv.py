"""Fast routes for the command lines that start a process each time.

`dlp hook TOOL ...` (every prompt and tool call of an AI assistant) and
`dlp scan ...` (every commit, through pre-commit) are parsed here without
importing click, and run the same implementation as the click commands in
:mod:`dlp.cli_app`. The parser is deliberately narrow: it accepts exactly the
options those commands declare, in the forms click accepts them (options
before or after arguments, ``--name value``, ``--name=value``, ``-x value``,
repeats: the last value wins, multiple options collect), and checks values as
click's types would (choices, integer ranges, ``click.Path`` file checks).
Anything else (help, ``--``, an unknown option, a bad value, attached short
values such as ``-j4``) returns None and click parses the command line, with
its own messages. ``tests/test_cli_argv.py`` checks that both parsers give the
same parameters, and that the declarations below match the click commands.
"""
from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

# option kinds
FLAG = "flag"  # sets the parameter to the given constant
VALUE = "value"  # one string
FILE = "file"  # one string, checked like click.Path(dir_okay=False)
CHOICE = "choice"  # one of the given strings
JOBS = "jobs"  # an integer from 0 to 256 (click.IntRange(0, 256))
MULTIPLE = "multiple"  # repeatable string
MULTIPLE_FILE = "multiple-file"  # repeatable string, checked like click.Path(dir_okay=False)

_Option = tuple[str, str, Any]  # (parameter name, kind, constant for FLAG / choices for CHOICE)

SCAN_OPTIONS: dict[str, _Option] = {
    "--format": ("fmt", CHOICE, ("text", "json", "jsonl", "sarif", "summary")),
    "-o": ("output", FILE, None),
    "--output": ("output", FILE, None),
    "-c": ("config_path", FILE, None),
    "--config": ("config_path", FILE, None),
    "--engine": ("engine", CHOICE, ("auto", "hyperscan", "python")),
    "-j": ("jobs", JOBS, None),
    "--jobs": ("jobs", JOBS, None),
    "--reveal": ("reveal", FLAG, True),
    "--exclude": ("exclude", MULTIPLE, None),
    "--no-gitignore": ("no_gitignore", FLAG, True),
    "--follow-symlinks": ("follow_symlinks", FLAG, True),
    "--max-file-size": ("max_file_size", VALUE, None),
    "--min-severity": ("min_severity", CHOICE, ("low", "medium", "high", "critical")),
    "--enable": ("enable_packs", MULTIPLE, None),
    "--disable": ("disable_packs", MULTIPLE, None),
    "--rules": ("extra_rules", MULTIPLE_FILE, None),
    "--baseline": ("baseline", FILE, None),
    "--staged": ("staged", FLAG, True),
    "--diff": ("diff_range", VALUE, None),
    "--history": ("history", FLAG, True),
    "--since": ("since", VALUE, None),
    "--branch": ("branches", MULTIPLE, None),
    "--index": ("index_path", FILE, None),
    "--no-progress": ("no_progress", FLAG, True),
    "--color": ("color", FLAG, True),
    "--no-color": ("color", FLAG, False),
}
SCAN_DEFAULTS: dict[str, Any] = {
    "paths": (), "fmt": "text", "output": None, "config_path": None, "engine": "auto", "jobs": 0,
    "reveal": False, "exclude": (), "no_gitignore": False, "follow_symlinks": False, "max_file_size": None,
    "min_severity": None, "enable_packs": (), "disable_packs": (), "extra_rules": (), "baseline": None,
    "staged": False, "diff_range": None, "history": False, "since": None, "branches": (), "index_path": None,
    "no_progress": False, "color": None,
}

HOOK_OPTIONS: dict[str, _Option] = {
    "--event": ("event", VALUE, None),
    "--destination": ("destination", VALUE, None),
    "-c": ("config", FILE, None),
    "--config": ("config", FILE, None),
}
HOOK_DEFAULTS: dict[str, Any] = {"event": None, "destination": None, "config": None}


def parse(args: Sequence[str], options: Mapping[str, _Option], defaults: Mapping[str, Any]
          ) -> tuple[dict[str, Any], list[str]] | None:
    """(parameters, positional arguments) as click would parse ``args`` for a
    command declaring ``options``, or None when click must decide."""
    params = dict(defaults)
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-" or not arg.startswith("-"):
            positional.append(arg)
            continue
        name, eq, attached = arg.partition("=")
        if eq and not name.startswith("--"):
            return None  # "-o=x": click reads "=x" as the value; rare, let click do it
        spec = options.get(name)
        if spec is None:
            return None  # help, "--", an unknown option, "-j4"
        param, kind, extra = spec
        if kind == FLAG:
            if eq:
                return None  # click: "does not take a value"
            params[param] = extra
            continue
        if eq:
            value = attached
        elif i < len(args):
            value = args[i]
            i += 1
        else:
            return None  # click: "requires an argument"
        if kind == CHOICE and value not in extra:
            return None
        if kind == JOBS:
            if not (value.isascii() and value.isdigit()) or not 0 <= int(value) <= 256:
                return None
            params[param] = int(value)
            continue
        if kind in (FILE, MULTIPLE_FILE) and not path_ok(value, dir_okay=False):
            return None
        if kind in (MULTIPLE, MULTIPLE_FILE):
            params[param] = (*params[param], value)
        else:
            params[param] = value
    return params, positional


def path_ok(value: str, *, dir_okay: bool = True) -> bool:
    """What ``click.Path(dir_okay=...)`` (readable, need not exist) accepts."""
    try:
        st = os.stat(value)
    except (OSError, ValueError):
        return True
    if not dir_okay and stat.S_ISDIR(st.st_mode):
        return False
    return os.access(value, os.R_OK)


def parse_scan(args: Sequence[str]) -> dict[str, Any] | None:
    """The parameters of `dlp scan ARGS` (named as the click command names them)."""
    parsed = parse(args, SCAN_OPTIONS, SCAN_DEFAULTS)
    if parsed is None:
        return None
    params, paths = parsed
    if not all(path_ok(p) for p in paths):
        return None
    params["paths"] = tuple(paths)
    return params


def parse_hook(args: Sequence[str]) -> dict[str, Any] | None:
    """The parameters of `dlp hook ARGS`."""
    parsed = parse(args, HOOK_OPTIONS, HOOK_DEFAULTS)
    if parsed is None or len(parsed[1]) != 1:
        return None
    params, (tool,) = parsed
    params["tool"] = tool
    return params


def route(args: Sequence[str]) -> Callable[[], int] | None:
    """The command to run for the whole command line ``args``, or None for click."""
    if not args:
        return None
    if args[0] == "hook":
        hook_params = parse_hook(args[1:])
        if hook_params is not None:
            return lambda: _hook(**hook_params)
    elif args[0] == "scan":
        scan_params = parse_scan(args[1:])
        if scan_params is not None:
            return lambda: _scan(scan_params)
    return None


def _hook(tool: str, event: str | None, destination: str | None, config: str | None) -> int:
    from dlp.integrations.hooks import hook_main

    return hook_main(tool, event=event, destination=destination, config=config, stdin=sys.stdin.buffer)


def _scan(params: dict[str, Any]) -> int:
    from dlp.scan_command import run_params

    return run_params(**params)
