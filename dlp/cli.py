"""The `dlp` command line: the entry point and what every command shares.

Exit codes (a contract): 0 nothing blocked, 1 findings the policy blocks,
2 usage or configuration error, 3 internal error.

:func:`main` first tries the fast routes of :mod:`dlp.cli_argv`: `dlp hook
TOOL ...` and `dlp scan ...` in their common forms go straight to their
implementation without importing click (a hook and a pre-commit run start a
process each time). Every other command line, and any that the fast parser
is not certain about (help, a bad option or value), goes to the click
application in :mod:`dlp.cli_app`, which gives the same answer for what both
accept (a test compares them).
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dlp.errors import DlpError, ExitCode, InputError

_MAX_STDIN = 64 * 1024 * 1024


class _ExitWith(Exception):
    """Raised inside a command to return an exit code through main()."""

    def __init__(self, code: int) -> None:
        self.code = code


def _err(message: str) -> None:
    sys.stderr.write(f"dlp: {message}\n")
    sys.stderr.flush()


def write_output(text: str, output: str | None) -> None:
    """Print, or write ``output`` atomically (a failed write leaves the old file intact)."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    import tempfile

    target = Path(output)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"{output}: cannot write report: {exc.strerror or exc}") from None


def read_input(source: str, limit: int = _MAX_STDIN) -> tuple[str, bytes]:
    """(name for messages, at most ``limit`` bytes) of a file, or of stdin for "-"."""
    if source == "-":
        name, data = "stdin", sys.stdin.buffer.read(limit + 1)
    else:
        name = source
        try:
            with open(source, "rb") as fh:
                data = fh.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{name}: input larger than {limit} bytes")
    return name, data


def read_stdin(limit: int = _MAX_STDIN) -> bytes:
    return read_input("-", limit)[1]


# --------------------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None, *, fast: bool = True) -> int:
    """Run one command line; ``fast=False`` always goes through click."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if fast:
            from dlp.cli_argv import route

            command = route(args)
            if command is not None:
                return command()
        return _click_main(args)
    except _ExitWith as done:
        return done.code
    except DlpError as exc:
        _err(str(exc))
        return exc.exit_code
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return ExitCode.CLEAN
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except Exception as exc:
        if os.environ.get("DLP_DEBUG"):
            raise
        _err(f"internal error: {exc.__class__.__name__}: {_first_line(exc)} (set DLP_DEBUG=1 for a traceback)")
        return ExitCode.INTERNAL


def _click_main(args: list[str]) -> int:
    import click

    from dlp.cli_app import cli

    try:
        cli.main(args=args, prog_name="dlp", standalone_mode=False)
        return ExitCode.CLEAN
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.exceptions.Abort:
        _err("aborted")
        return 130
    except click.ClickException as exc:
        exc.show()
        return ExitCode.USAGE


def __getattr__(name: str) -> Any:
    # `dlp.cli.cli` (the click group) and friends, for code written before
    # the group moved to dlp.cli_app: loaded on first access only.
    if name in ("cli", "LAZY_COMMANDS", "scan_command", "rules_group"):
        from dlp import cli_app

        return getattr(cli_app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


if __name__ == "__main__":
    raise SystemExit(main())
