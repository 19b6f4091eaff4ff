"""``python -m dlp.integrations.hooks <tool> [--event E] [--destination H] [--config F]``

The same answer as ``dlp hook <tool>`` without loading the rest of the command
line (click and every other command module): for hook runners where start-up
time matters. Exit codes and output are the tool's protocol, as with ``dlp hook``.
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    # the parser of `dlp hook`'s fast route: the same options in the same forms
    from dlp.cli_argv import parse_hook

    params = parse_hook(list(sys.argv[1:] if argv is None else argv))
    if params is None:
        sys.stderr.write("usage: python -m dlp.integrations.hooks TOOL [--event E] [--destination H] [--config F]\n")
        return 2
    from dlp.errors import DlpError
    from dlp.integrations.hooks import hook_main

    try:
        return hook_main(params["tool"], event=params["event"], destination=params["destination"],
                         config=params["config"])
    except DlpError as exc:
        sys.stderr.write(f"dlp: {exc}\n")
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
