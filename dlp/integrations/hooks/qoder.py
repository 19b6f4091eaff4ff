"""Qoder hooks (``~/.qoder/settings.json`` / ``.qoder/settings.json``).

Qoder's hook protocol is Claude Code's (same events, same stdin fields, same
JSON answers and exit-2 behaviour), so the handlers are Claude Code's. Qoder
does not document the host its model is reached at: give ``--destination`` to
apply a destination policy.
"""
from __future__ import annotations

from collections.abc import Mapping

from dlp.integrations.hooks.claude_code import HANDLERS, event_of, failure

NAME = "Qoder"
DESTINATION = None

__all__ = ["HANDLERS", "destination", "event_of", "failure"]


def destination(env: Mapping[str, str]) -> str | None:
    return DESTINATION
