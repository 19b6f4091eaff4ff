"""Claude Code hooks (``~/.claude/settings.json`` / ``.claude/settings.json``).

- ``UserPromptSubmit``: a prompt (and the files it mentions with ``@path``,
  which Claude Code inlines without any tool call) that must not go is blocked:
  ``{"decision": "block", "reason": ...}``. This event cannot rewrite the prompt,
  so a *redact* decision blocks too unless ``actions.unredactable: allow``.
- ``PreToolUse``: ``Read``, ``Grep``, ``Glob``, ``Bash``, ``Edit``... on a
  proprietary path or a file whose content must not go are denied:
  ``hookSpecificOutput.permissionDecision: "deny"``.
- ``PostToolUse``: the tool's output is redacted before the model sees it:
  ``hookSpecificOutput.updatedToolOutput`` (same shape as the tool's output).

Malformed input, or dlp failing, exits 2 with the message on stderr (Claude
Code blocks the prompt or the tool call) when ``on_error: block``; with
``on_error: allow`` it exits 0 with a ``systemMessage``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dlp.integrations.hooks import HookContext, HookResult, host_of
from dlp.integrations.hooks.common import (
    check_prompt,
    check_tool,
    must_stop,
    reason,
    redact_output,
    restore_tool_input,
)
from dlp.model import Action

NAME = "Claude Code"
DESTINATION = "api.anthropic.com"
BASE_URL_ENV = "ANTHROPIC_BASE_URL"
READ_TOOLS = ("Read", "NotebookRead")
_PERSISTED_KEYS = ("persistedOutputPath", "persistedOutputSize")


def destination(env: Mapping[str, str]) -> str | None:
    return host_of(env.get(BASE_URL_ENV)) or DESTINATION


def event_of(payload: Mapping[str, Any]) -> str | None:
    if "prompt" in payload:
        return "UserPromptSubmit"
    if "tool_response" in payload:
        return "PostToolUse"
    if "tool_name" in payload:
        return "PreToolUse"
    return None


def user_prompt_submit(ctx: HookContext) -> HookResult:
    prompt = ctx.payload.get("prompt")
    if not isinstance(prompt, str):
        return failure(ctx, "UserPromptSubmit input has no 'prompt' string", block=_block_on_error(ctx))
    decision = check_prompt(ctx, prompt)
    if must_stop(ctx, decision):
        return HookResult.json({"decision": "block", "reason": reason(decision, "this prompt")}, decision=decision)
    if decision.action is Action.REDACT:
        return HookResult.json({"systemMessage": reason(decision, "nothing, but note")}, decision=decision)
    return HookResult(decision=decision)


def pre_tool_use(ctx: HookContext) -> HookResult:
    tool = ctx.payload.get("tool_name")
    tool_input = ctx.payload.get("tool_input")
    if not isinstance(tool, str):
        return failure(ctx, "PreToolUse input has no 'tool_name'", block=_block_on_error(ctx))
    decision = check_tool(ctx, tool, tool_input if tool_input is not None else {})
    if decision.action is Action.BLOCK:
        return HookResult.json({"hookSpecificOutput": {
            "hookEventName": ctx.event or "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason(decision, f"{tool}"),
        }}, decision=decision)
    restored = restore_tool_input(ctx, tool, tool_input)
    if restored is not None:
        # The model used a placeholder from an earlier redaction: the local tool
        # gets the real value (it does not leave the machine). "ask" keeps the
        # user's confirmation instead of approving the call on their behalf.
        return HookResult.json({"hookSpecificOutput": {
            "hookEventName": ctx.event or "PreToolUse",
            "permissionDecision": "ask",
            "permissionDecisionReason": "dlp put redacted values back into this local tool call",
            "updatedInput": restored,
        }}, decision=decision)
    return HookResult(decision=decision)


def rewrite_tool_output(ctx: HookContext) -> tuple[Any, Any, str]:
    """(decision, the tool output with redactions, the message for the model
    and the user) for a PostToolUse payload (``tool_name``, ``tool_input``,
    ``tool_response``); the output is None when the decision is allow."""
    tool = str(ctx.payload.get("tool_name") or "")
    tool_input = ctx.payload.get("tool_input")
    response = ctx.payload.get("tool_response")
    source = None
    if isinstance(tool_input, dict):
        for key in ("file_path", "notebook_path"):
            if isinstance(tool_input.get(key), str):
                source = tool_input[key]
    decision, new_output = redact_output(ctx, response, source_path=source)
    if decision.action is Action.ALLOW:
        return decision, None, ""
    if isinstance(new_output, dict):
        # A large Bash output is also persisted to a file that Claude Code shows
        # instead of the (rewritten) output: drop the reference.
        new_output = {k: v for k, v in new_output.items() if k not in _PERSISTED_KEYS}
    return decision, new_output, reason(decision, f"the {tool or 'tool'} output", rewritable=True)


def post_tool_use(ctx: HookContext) -> HookResult:
    decision, new_output, message = rewrite_tool_output(ctx)
    if decision.action is Action.ALLOW:
        return HookResult(decision=decision)
    tool = str(ctx.payload.get("tool_name") or "")
    specific: dict[str, Any] = {"hookEventName": ctx.event or "PostToolUse", "updatedToolOutput": new_output,
                                "additionalContext": message}
    if tool.startswith("mcp__"):
        specific["updatedMCPToolOutput"] = new_output  # older Claude Code versions
    # No "decision": "block" here: the output is already rewritten, and a block
    # would end Claude's turn.
    body = _fit({"hookSpecificOutput": specific, "systemMessage": message})
    return HookResult.json(body, decision=decision)


MAX_HOOK_OUTPUT = 9500  # Claude Code cuts hook output at 10,000 characters
_SHORTENED = "\n[dlp: output shortened to fit the hook output limit]"


def _fit(body: dict[str, Any]) -> dict[str, Any]:
    """Shorten the longest strings of the rewritten output until the answer fits
    Claude Code's hook output limit: a cut-off answer is invalid JSON, which
    Claude Code would ignore, letting the original output through."""
    import json

    spec = body["hookSpecificOutput"]
    while len(json.dumps(body, ensure_ascii=False)) > MAX_HOOK_OUTPUT:
        excess = len(json.dumps(body, ensure_ascii=False)) - MAX_HOOK_OUTPUT
        changed = False
        for key in ("updatedToolOutput", "updatedMCPToolOutput"):
            if key in spec:
                spec[key], done = _shorten_longest(spec[key], excess + len(_SHORTENED) + 16)
                changed = changed or done
        if not changed:
            spec.pop("updatedMCPToolOutput", None)
            spec["updatedToolOutput"] = _SHORTENED.strip()
            break
    return body


def _shorten_longest(obj: Any, by: int) -> tuple[Any, bool]:
    """``obj`` with its longest string cut by at least ``by`` characters."""
    paths: list[tuple[int, tuple[Any, ...]]] = []

    def walk(value: Any, path: tuple[Any, ...]) -> None:
        if isinstance(value, str):
            paths.append((len(value), path))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k))

    walk(obj, ())
    if not paths:
        return obj, False
    length, path = max(paths, key=lambda p: p[0])
    if length <= len(_SHORTENED):
        return obj, False
    keep = max(0, length - by)
    if not path:
        return obj[:keep] + _SHORTENED, True
    target = obj
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = target[path[-1]][:keep] + _SHORTENED
    return obj, True


HANDLERS = {
    "UserPromptSubmit": user_prompt_submit,
    "PreToolUse": pre_tool_use,
    "PostToolUse": post_tool_use,
}


def _block_on_error(ctx: HookContext) -> bool:
    try:
        return ctx.policy.on_error is Action.BLOCK
    except Exception:  # noqa: BLE001
        return True


def failure(ctx: HookContext | None, message: str, *, block: bool) -> HookResult:
    """Exit 2 + stderr blocks UserPromptSubmit and PreToolUse (and shows the
    message to Claude on PostToolUse); exit 0 + systemMessage lets it through."""
    text = f"dlp: {message}"
    if block:
        return HookResult("", text + " (blocked: on_error is block)", 2)
    return HookResult.json({"systemMessage": text + " (allowed: on_error is allow)"})

