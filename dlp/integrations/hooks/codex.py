"""Codex CLI hooks (``~/.codex/hooks.json`` / ``.codex/hooks.json``).

Codex speaks Claude Code's hook protocol for the events dlp uses:
``UserPromptSubmit`` answers ``{"decision": "block", "reason": ...}`` and
``PreToolUse`` answers ``hookSpecificOutput.permissionDecision: "deny"``
(Codex routes its shell tool, ``Bash``/``shell``, through PreToolUse with
``tool_input.command``). ``PostToolUse`` is answered like Claude Code's.
The destination is ``api.openai.com`` (or ``OPENAI_BASE_URL``'s host).
"""
from __future__ import annotations

from collections.abc import Mapping

from dlp.integrations.hooks import host_of
from dlp.integrations.hooks.claude_code import HANDLERS, event_of, failure

NAME = "Codex CLI"
DESTINATION = "api.openai.com"

__all__ = ["HANDLERS", "destination", "event_of", "failure"]


def destination(env: Mapping[str, str]) -> str | None:
    return host_of(env.get("OPENAI_BASE_URL")) or DESTINATION
