"""``@path`` mentions in prompts (Claude Code, Cursor, Gemini CLI, Codex).

A module of its own: the hook fast path needs :func:`mentions` and nothing
else of :mod:`dlp.payloads` (whose NamedTuple costs a cold process several
compiles: its annotations, its methods).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# `@path` mentions in prompts (Claude Code, Cursor, Gemini CLI, Codex): @src/a.py, @"my file.py", @./x#L3-9
# (the character before the @ is checked in code: a leading look-behind would
# make the regex engine try every position of an 8 KB prompt)
MENTION = re.compile(r'@("[^"\n]+"|[^\s"\'`<>|;,]+)')
_NOT_BEFORE_MENTION = re.compile(r"[\w@/.]")


def mentions(prompt: str, cwd: Any = None) -> Iterator[tuple[re.Match[str], str]]:
    """``(match, path)`` for every ``@path`` mention that names a path (has a
    slash or a dot, or exists relative to ``cwd``); ``#L3-9`` anchors and
    trailing punctuation are dropped. ``@decorator`` and e-mail addresses are not."""
    import os

    if "@" not in prompt:
        return
    for m in MENTION.finditer(prompt):
        if m.start() > 0 and _NOT_BEFORE_MENTION.match(prompt, m.start() - 1):
            continue
        raw = m.group(1).strip('"')
        target = raw.split("#", 1)[0] if not raw.startswith("#") else raw
        target = target.rstrip(".,;:!?)]}'\"")
        if not target:
            continue
        if "/" in target or "\\" in target or "." in target.lstrip("."):
            yield m, target
            continue
        full = os.path.expanduser(target)
        if not os.path.isabs(full):
            full = os.path.join(str(cwd) if cwd is not None else os.getcwd(), full)
        if os.path.exists(full):
            yield m, target
