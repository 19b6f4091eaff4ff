"""Codex CLI hooks (``~/.codex/hooks.json`` / ``.codex/hooks.json``).

Codex speaks Claude Code's hook protocol for ``UserPromptSubmit`` (answer
``{"decision": "block", "reason": ...}``) and ``PreToolUse`` (answer
``hookSpecificOutput.permissionDecision: "deny"``; Codex routes its shell
tool, ``Bash``/``shell``, through PreToolUse with ``tool_input.command``).

``PostToolUse`` differs: Codex does not apply ``updatedToolOutput``, and an
answer naming ``updatedMCPToolOutput`` is rejected as unsupported (the hook
counts as failed and the original output goes through). What Codex does
apply is feedback: ``{"decision": "block", "reason": TEXT}`` replaces the
tool result the model sees with TEXT (openai/codex
``codex-rs/core/src/tools/registry.rs``: the PostToolUse ``feedback_message``
becomes the model-visible output; ``codex-rs/hooks/src/events/post_tool_use.rs``
for the answer's schema). So dlp answers a tool output that must not reach
the model with a block whose reason is the redacted output, after a one-line
note of what was redacted. The destination is ``api.openai.com`` (or
``OPENAI_BASE_URL``'s host).
"""
from __future__ import annotations

import json
from collections.abc import Mapping

from dlp.integrations.hooks import HookContext, HookResult, host_of
from dlp.integrations.hooks.claude_code import HANDLERS as _CLAUDE_HANDLERS
from dlp.integrations.hooks.claude_code import event_of, failure, rewrite_tool_output
from dlp.model import Action

NAME = "Codex CLI"
DESTINATION = "api.openai.com"

__all__ = ["HANDLERS", "destination", "event_of", "failure"]


def post_tool_use(ctx: HookContext) -> HookResult:
    decision, new_output, message = rewrite_tool_output(ctx)
    if decision.action is Action.ALLOW:
        return HookResult(decision=decision)
    if isinstance(new_output, str) or new_output is None:
        shown = new_output or ""
    else:
        shown = json.dumps(new_output, ensure_ascii=False)
    return HookResult.json({"decision": "block", "reason": f"[{message}]\n{shown}", "systemMessage": message},
                           decision=decision)


HANDLERS = {**_CLAUDE_HANDLERS, "PostToolUse": post_tool_use}


def destination(env: Mapping[str, str]) -> str | None:
    return host_of(env.get("OPENAI_BASE_URL")) or DESTINATION
