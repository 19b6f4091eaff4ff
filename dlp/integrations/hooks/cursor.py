"""Cursor hooks (``.cursor/hooks.json`` / ``~/.cursor/hooks.json``).

- ``beforeSubmitPrompt`` (``prompt``, ``attachments``): ``{"continue": false,
  "user_message": ...}`` stops a prompt; Cursor cannot rewrite it, so a
  *redact* decision stops it too unless ``actions.unredactable: allow``.
- ``beforeReadFile`` (``file_path``, ``content``): ``{"permission": "deny"}``
  for a proprietary path or content that must not go.
- ``beforeShellExecution``, ``beforeMCPExecution``, ``preToolUse``:
  ``{"permission": "deny", "user_message", "agent_message"}`` on the same grounds.

Malformed input or a dlp failure: exit 2 (Cursor denies) with both
``continue: false`` and ``permission: deny`` in the JSON when ``on_error:
block``; ``{"continue": true, "permission": "allow"}`` otherwise.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dlp.integrations.hooks import HookContext, HookResult
from dlp.integrations.hooks.common import check_prompt, check_tool, must_stop, reason
from dlp.model import Action

NAME = "Cursor"
DESTINATION = "api2.cursor.sh"


def destination(env: Mapping[str, str]) -> str | None:
    return DESTINATION


def event_of(payload: Mapping[str, Any]) -> str | None:
    if "prompt" in payload:
        return "beforeSubmitPrompt"
    if "file_path" in payload and "content" in payload:
        return "beforeReadFile"
    if "command" in payload:
        return "beforeShellExecution"
    return None


def _attachments(payload: Mapping[str, Any]) -> tuple[str, ...]:
    out = []
    for item in payload.get("attachments") or ():
        if isinstance(item, dict):
            for key in ("file_path", "filePath", "path"):
                if isinstance(item.get(key), str):
                    out.append(item[key])
                    break
        elif isinstance(item, str):
            out.append(item)
    return tuple(out)


def before_submit_prompt(ctx: HookContext) -> HookResult:
    prompt = ctx.payload.get("prompt")
    if not isinstance(prompt, str):
        return failure(ctx, "beforeSubmitPrompt input has no 'prompt' string", block=True)
    decision = check_prompt(ctx, prompt, _attachments(ctx.payload))
    if must_stop(ctx, decision):
        return HookResult.json({"continue": False, "user_message": reason(decision, "this prompt")},
                               decision=decision)
    return HookResult.json({"continue": True}, decision=decision)


def before_read_file(ctx: HookContext) -> HookResult:
    path = ctx.payload.get("file_path")
    content = ctx.payload.get("content")
    egress = ctx.egress
    if not isinstance(path, str):
        return failure(ctx, "beforeReadFile input has no 'file_path'", block=True)
    if isinstance(content, str):
        decision = egress.check_text(content, destination=ctx.destination, path=egress._shown(path, ctx.cwd))
        if egress.policy.is_proprietary(path, cwd=ctx.cwd) and not decision.findings:
            decision = egress.check_path(path, cwd=ctx.cwd, destination=ctx.destination, read=False)
    else:
        decision = egress.check_path(path, cwd=ctx.cwd, destination=ctx.destination)
    if must_stop(ctx, decision):
        return HookResult.json({"permission": "deny", "user_message": reason(decision, f"reading {path}")},
                               decision=decision)
    return HookResult.json({"permission": "allow"}, decision=decision)


def before_tool(ctx: HookContext) -> HookResult:
    payload = ctx.payload
    name = payload.get("tool_name") or ("Shell" if "command" in payload else ctx.event)
    tool_input = payload.get("tool_input")
    if isinstance(tool_input, str):
        try:
            tool_input = json.loads(tool_input)
        except ValueError:
            tool_input = {"input": tool_input}
    if tool_input is None:
        tool_input = {k: payload[k] for k in ("command", "url") if k in payload}
    if ctx.event == "beforeMCPExecution":
        name = f"mcp__{payload.get('tool_name') or 'tool'}"
    decision = check_tool(ctx, str(name), tool_input)
    if decision.action is Action.BLOCK:
        message = reason(decision, str(name))
        return HookResult.json({"permission": "deny", "user_message": message, "agent_message": message},
                               decision=decision)
    return HookResult.json({"permission": "allow"}, decision=decision)


HANDLERS = {
    "beforeSubmitPrompt": before_submit_prompt,
    "beforeReadFile": before_read_file,
    "beforeShellExecution": before_tool,
    "beforeMCPExecution": before_tool,
    "preToolUse": before_tool,
}


def failure(ctx: HookContext | None, message: str, *, block: bool) -> HookResult:
    text = f"dlp: {message}"
    if block:
        return HookResult(json.dumps({"continue": False, "permission": "deny", "user_message": text + " (blocked)",
                                      "agent_message": text}) + "\n", text, 2)
    return HookResult.json({"continue": True, "permission": "allow"})
