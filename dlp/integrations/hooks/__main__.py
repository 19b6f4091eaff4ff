"""``python -m dlp.integrations.hooks <tool> [--event E] [--destination H] [--config F]``

The same answer as ``dlp hook <tool>`` without loading the rest of the command
line (click and every other command module): for hook runners where start-up
time matters. Exit codes and output are the tool's protocol, as with ``dlp hook``.
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    options: dict[str, str] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("--event", "--destination", "--config", "-c") and i + 1 < len(args):
            options[arg.lstrip("-").replace("c", "config", 1) if arg == "-c" else arg.lstrip("-")] = args[i + 1]
            i += 2
            continue
        if arg.startswith("--") and "=" in arg:
            key, value = arg[2:].split("=", 1)
            options[key] = value
            i += 1
            continue
        positional.append(arg)
        i += 1
    if len(positional) != 1 or set(options) - {"event", "destination", "config"}:
        sys.stderr.write("usage: python -m dlp.integrations.hooks TOOL [--event E] [--destination H] [--config F]\n")
        return 2
    from dlp.errors import DlpError
    from dlp.integrations.hooks import hook_main

    try:
        return hook_main(positional[0], event=options.get("event"), destination=options.get("destination"),
                         config=options.get("config"))
    except DlpError as exc:
        sys.stderr.write(f"dlp: {exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
