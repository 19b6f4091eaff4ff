"""Gemini CLI hooks (``.gemini/settings.json`` / ``~/.gemini/settings.json``).

- ``BeforeAgent`` (``prompt``): ``{"decision": "deny", "reason"}`` drops a
  prompt that must be blocked (including proprietary ``@path`` mentions).
- ``BeforeModel`` (``llm_request.messages[].content``): the outgoing request is
  rewritten with placeholders (``hookSpecificOutput.llm_request.messages``),
  or denied when the decision is block. Placeholders are stable per session
  (the vault is kept encrypted under the user's data directory).
- ``AfterModel`` (``llm_response.candidates[].content.parts``, once per
  streamed chunk): placeholders are put back. A placeholder split across two
  chunks is held back (the tail is kept in a small per-session state file) and
  released with the next chunk.
- ``BeforeTool``: ``{"decision": "deny", "reason"}`` for ``read_file``,
  ``read_many_files``, ``run_shell_command``, ``search_file_content``... on
  proprietary paths or files whose content must not go.
- ``AfterTool``: the tool's ``llmContent`` is redacted
  (``hookSpecificOutput.tool_output``), or withheld (``decision: deny``).

Failures: exit 2 with the message on stderr blocks (``on_error: block``);
``{}`` with a ``systemMessage`` otherwise.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dlp.integrations.hooks import HookContext, HookResult, host_of
from dlp.integrations.hooks.common import (
    check_prompt,
    check_tool,
    reason,
    redact_output,
    restore_tool_input,
)
from dlp.model import Action

NAME = "Gemini CLI"
DESTINATION = "generativelanguage.googleapis.com"


def destination(env: Mapping[str, str]) -> str | None:
    return host_of(env.get("GOOGLE_GEMINI_BASE_URL")) or DESTINATION


def event_of(payload: Mapping[str, Any]) -> str | None:
    if "llm_response" in payload:
        return "AfterModel"
    if "llm_request" in payload:
        return "BeforeModel"
    if "tool_response" in payload:
        return "AfterTool"
    if "tool_name" in payload:
        return "BeforeTool"
    if "prompt" in payload:
        return "BeforeAgent"
    return None


def _deny(decision: Any, what: str) -> HookResult:
    return HookResult.json({"decision": "deny", "reason": reason(decision, what)}, decision=decision)


def before_agent(ctx: HookContext) -> HookResult:
    prompt = ctx.payload.get("prompt")
    if not isinstance(prompt, str):
        return failure(ctx, "BeforeAgent input has no 'prompt' string", block=True)
    decision = check_prompt(ctx, prompt)
    if decision.action is Action.BLOCK:
        return _deny(decision, "this prompt")
    return HookResult.json({}, decision=decision)  # redaction happens in BeforeModel


def before_model(ctx: HookContext) -> HookResult:
    request = ctx.payload.get("llm_request")
    if not isinstance(request, dict) or not isinstance(request.get("messages"), list):
        return failure(ctx, "BeforeModel input has no llm_request.messages", block=True)
    messages = request["messages"]
    egress = ctx.egress
    from dlp.egress import combine
    from dlp.model import Origin

    decisions = []
    per_message: dict[int, Any] = {}
    for i, message in enumerate(messages):
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(content, str) or not content:
            continue
        role = str(message.get("role") or "")
        found = egress.findings(content, origin=Origin(message_index=i, extra=(
            ("field", f"llm_request.messages[{i}].content"), ("role", role))))
        if found:
            d = egress.decide(found, destination=ctx.destination)
            decisions.append(d)
            if d.action is not Action.ALLOW:
                per_message[i] = d
    decision = combine(decisions, ctx.destination)
    if decision.action is Action.BLOCK:
        return _deny(decision, "this request")
    if not per_message:
        return HookResult.json({}, decision=decision)
    store = ctx.vault_store()
    vault = store.load(ctx.session_key())
    new_messages = []
    for i, message in enumerate(messages):
        d = per_message.get(i)
        if d is None:
            new_messages.append(message)
        else:
            new_messages.append({**message, "content": egress._redact_spans(message["content"], d, vault)})
    store.save(ctx.session_key(), vault)
    return HookResult.json({
        "hookSpecificOutput": {"hookEventName": "BeforeModel", "llm_request": {**request, "messages": new_messages}},
        "systemMessage": reason(decision, "the request", rewritable=True),
    }, decision=decision)


def _pending_path(ctx: HookContext, index: int) -> Path:
    store = ctx.vault_store()
    digest = hashlib.sha256(ctx.session_key().encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return store.directory / f"{digest}.{index}.pending"


def after_model(ctx: HookContext) -> HookResult:
    response = ctx.payload.get("llm_response")
    if not isinstance(response, dict):
        return failure(ctx, "AfterModel input has no llm_response", block=False)
    candidates = response.get("candidates")
    if not isinstance(candidates, list):
        return HookResult.json({})
    store = ctx.vault_store()
    if not store.path_for(ctx.session_key()).exists():
        return HookResult.json({})  # nothing was redacted in this session: nothing to restore
    from dlp.redact import StreamRestorer

    vault = store.load(ctx.session_key())
    changed = False
    new_candidates = []
    for index, candidate in enumerate(candidates):
        content = candidate.get("content") if isinstance(candidate, dict) else None
        parts = content.get("parts") if isinstance(content, dict) else None
        if not isinstance(content, dict) or not isinstance(parts, list):
            new_candidates.append(candidate)
            continue
        pending_file = _pending_path(ctx, index)
        restorer = StreamRestorer(vault)
        try:
            restorer.pending = pending_file.read_text(encoding="utf-8")
        except OSError:
            restorer.pending = ""
        had_pending = bool(restorer.pending)
        new_parts: list[Any] = []
        for part in parts:
            if isinstance(part, str):
                new_parts.append(restorer.feed(part))
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                new_parts.append({**part, "text": restorer.feed(part["text"])})
            else:
                new_parts.append(part)
        if candidate.get("finishReason"):
            tail = restorer.flush()
            if tail:
                if new_parts and isinstance(new_parts[-1], str):
                    new_parts[-1] += tail
                else:
                    new_parts.append(tail)
        if restorer.pending:
            pending_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            pending_file.write_text(restorer.pending, encoding="utf-8")
        elif had_pending:
            pending_file.unlink(missing_ok=True)
        if new_parts != parts:
            changed = True
        new_candidates.append({**candidate, "content": {**content, "parts": new_parts}})
    if not changed:
        return HookResult.json({})
    return HookResult.json({"hookSpecificOutput": {
        "hookEventName": "AfterModel", "llm_response": {**response, "candidates": new_candidates}}})


def before_tool(ctx: HookContext) -> HookResult:
    tool = ctx.payload.get("tool_name")
    if not isinstance(tool, str):
        return failure(ctx, "BeforeTool input has no 'tool_name'", block=True)
    tool_input = ctx.payload.get("tool_input") or {}
    decision = check_tool(ctx, tool, tool_input)
    if decision.action is Action.BLOCK:
        return _deny(decision, tool)
    restored = restore_tool_input(ctx, tool, tool_input)
    if isinstance(restored, dict):  # merged over the model's arguments by Gemini CLI
        return HookResult.json({"hookSpecificOutput": {"hookEventName": "BeforeTool", "tool_input": restored}},
                               decision=decision)
    return HookResult.json({}, decision=decision)


def after_tool(ctx: HookContext) -> HookResult:
    tool = str(ctx.payload.get("tool_name") or "tool")
    response = ctx.payload.get("tool_response")
    tool_input = ctx.payload.get("tool_input")
    source = None
    if isinstance(tool_input, dict):
        for key in ("absolute_path", "file_path", "path"):
            if isinstance(tool_input.get(key), str):
                source = tool_input[key]
                break
    content = response.get("llmContent") if isinstance(response, dict) else response
    decision, new_content = redact_output(ctx, content, source_path=source)
    if decision.action is Action.ALLOW:
        return HookResult.json({}, decision=decision)
    if decision.action is Action.BLOCK and new_content == content:
        return _deny(decision, f"the {tool} output")
    text = new_content if isinstance(new_content, str) else json.dumps(new_content, ensure_ascii=False)
    return HookResult.json({"hookSpecificOutput": {"hookEventName": "AfterTool", "tool_output": text},
                            "systemMessage": reason(decision, f"the {tool} output", rewritable=True)},
                           decision=decision)


HANDLERS = {
    "BeforeAgent": before_agent,
    "BeforeModel": before_model,
    "AfterModel": after_model,
    "BeforeTool": before_tool,
    "AfterTool": after_tool,
}


def failure(ctx: HookContext | None, message: str, *, block: bool) -> HookResult:
    text = f"dlp: {message}"
    if block:
        return HookResult("", text + " (blocked: on_error is block)", 2)
    return HookResult.json({"systemMessage": text + " (allowed: on_error is allow)"})
