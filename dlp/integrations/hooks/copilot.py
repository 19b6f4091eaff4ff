"""GitHub Copilot CLI hooks (``.github/hooks/*.json``).

- ``preToolUse`` (``toolName``, ``toolArgs`` as a JSON string):
  ``{"permissionDecision": "deny", "permissionDecisionReason": ...}`` for
  ``view``, ``bash``, ``grep``, ``glob``... on proprietary paths or files
  whose content must not go.
- ``userPromptSubmitted``: Copilot ignores this hook's output, so dlp can only
  record the decision in the audit log and warn on stderr.
- The VS Code form (PascalCase events, snake_case fields: ``tool_name``,
  ``tool_input``) is answered Claude-style (``hookSpecificOutput``).

The payload does not name its event: the installed command passes
``--event``; without it the event is guessed from the fields. Copilot never
blocks on a failing hook, so a failure is answered with an explicit deny
(``on_error: block``) or allow.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dlp.integrations.hooks import HookContext, HookResult
from dlp.integrations.hooks.common import check_prompt, check_tool, must_stop, reason
from dlp.model import Action

NAME = "GitHub Copilot CLI"
DESTINATION = "api.githubcopilot.com"


def destination(env: Mapping[str, str]) -> str | None:
    return DESTINATION


def event_of(payload: Mapping[str, Any]) -> str | None:
    if "toolName" in payload and "toolResult" in payload:
        return "postToolUse"
    if "toolName" in payload:
        return "preToolUse"
    if "tool_name" in payload:
        return "PreToolUse"
    if "prompt" in payload:
        return "userPromptSubmitted"
    return None


def pre_tool_use(ctx: HookContext) -> HookResult:
    p = ctx.payload
    snake = "tool_name" in p
    name = p.get("tool_name") if snake else p.get("toolName")
    args: Any = p.get("tool_input") if snake else p.get("toolArgs")
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError:
            args = {"command": args}
    if not isinstance(name, str):
        return failure(ctx, "preToolUse input has no tool name", block=True)
    decision = check_tool(ctx, name, args or {})
    if decision.action is not Action.BLOCK:
        return HookResult.json({"permissionDecision": "allow"} if not snake else {}, decision=decision)
    text = reason(decision, name)
    if snake:
        return HookResult.json({"hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                                                       "permissionDecisionReason": text}}, decision=decision)
    return HookResult.json({"permissionDecision": "deny", "permissionDecisionReason": text}, decision=decision)


def user_prompt_submitted(ctx: HookContext) -> HookResult:
    prompt = ctx.payload.get("prompt")
    if not isinstance(prompt, str):
        return HookResult()
    decision = check_prompt(ctx, prompt)
    if must_stop(ctx, decision):
        # Copilot ignores this hook's output: warn, and rely on preToolUse and the proxy.
        return HookResult("", reason(decision, "nothing (Copilot cannot stop a prompt), but this prompt") , 0,
                          decision)
    return HookResult(decision=decision)


HANDLERS = {
    "preToolUse": pre_tool_use,
    "PreToolUse": pre_tool_use,
    "userPromptSubmitted": user_prompt_submitted,
    "UserPromptSubmit": user_prompt_submitted,
}


def failure(ctx: HookContext | None, message: str, *, block: bool) -> HookResult:
    text = f"dlp: {message}"
    if block:
        return HookResult(json.dumps({"permissionDecision": "deny", "permissionDecisionReason": text}) + "\n",
                          text, 0)
    return HookResult.json({"permissionDecision": "allow"})
