"""Decisions shared by the tool modules: prompts, tool calls, tool output."""
from __future__ import annotations

from typing import Any

from dlp.integrations.hooks import HookContext
from dlp.model import Action, Category

WITHHELD = "[dlp: withheld: proprietary content]"


def must_stop(ctx: HookContext, decision: Any) -> bool:
    """True when content that this hook cannot rewrite must not go: a block, or a
    redact when the policy's ``actions.unredactable`` is block (the default)."""
    if decision.action is Action.BLOCK:
        return True
    return decision.action is Action.REDACT and ctx.policy.unredactable is Action.BLOCK


def reason(decision: Any, what: str, *, rewritable: bool = False) -> str:
    """``dlp blocked this prompt: <reasons>`` with a hint for the user."""
    verb = "blocked" if decision.action is Action.BLOCK or not rewritable else "redacted"
    text = f"dlp {verb} {what}: {decision.summary()}"
    if decision.action is Action.REDACT and not rewritable:
        text += " (this tool cannot redact here; remove the value, or send through the dlp proxy)"
    return text


def check_prompt(ctx: HookContext, prompt: str, attachments: tuple[str, ...] = ()) -> Any:
    return ctx.egress.check_prompt(prompt, cwd=ctx.cwd, destination=ctx.destination, attachments=attachments)


def check_tool(ctx: HookContext, tool_name: str, tool_input: Any) -> Any:
    return ctx.egress.check_tool_call(tool_name, tool_input, cwd=ctx.cwd, destination=ctx.destination)


def redact_output(ctx: HookContext, output: Any, *, source_path: str | None = None) -> tuple[Any, Any]:
    """(decision, output with every string leaf redacted) for a tool's result.

    Leaves holding blocked proprietary content are replaced whole by
    :data:`WITHHELD`; other findings that are not allowed become placeholders
    from the session's vault (saved, so the same value keeps its placeholder)."""
    from dlp.egress import combine
    from dlp.model import Origin

    egress = ctx.egress
    shown = egress._shown(source_path, ctx.cwd) if source_path else None
    path_decision = None
    if source_path and egress.policy.is_proprietary(source_path, cwd=ctx.cwd):
        path_decision = egress.decide([egress._path_finding(shown or source_path)], destination=ctx.destination)
    decisions = []
    leaf_decisions: dict[int, Any] = {}
    leaves: list[str] = []

    def collect(obj: Any) -> None:
        if isinstance(obj, str):
            if obj:
                found = egress.findings(obj, origin=Origin(path=shown))
                if found:
                    d = egress.decide(found, destination=ctx.destination)
                    leaf_decisions[len(leaves)] = d
                    decisions.append(d)
            leaves.append(obj)
        elif isinstance(obj, list):
            for v in obj:
                collect(v)
        elif isinstance(obj, dict):
            for v in obj.values():
                collect(v)

    collect(output)
    if path_decision is not None:
        decisions.insert(0, path_decision)
    decision = combine(decisions, ctx.destination)
    if decision.action is Action.ALLOW:
        return decision, output
    whole = path_decision is not None and path_decision.action is not Action.ALLOW
    store = vault = None
    counter = iter(range(len(leaves)))

    def rewrite(obj: Any) -> Any:
        nonlocal store, vault
        if isinstance(obj, str):
            i = next(counter)
            if whole and obj:
                return WITHHELD
            d = leaf_decisions.get(i)
            if d is None or d.action is Action.ALLOW:
                return obj
            if any(r.action is Action.BLOCK and r.finding.category is Category.PROPRIETARY for r in d.findings):
                return WITHHELD
            if vault is None:
                store = ctx.vault_store()
                vault = store.load(ctx.session_key())
            return egress._redact_spans(obj, d, vault)
        if isinstance(obj, list):
            return [rewrite(v) for v in obj]
        if isinstance(obj, dict):
            return {k: rewrite(v) for k, v in obj.items()}
        return obj

    new_output = rewrite(output)
    if vault is not None and store is not None and len(vault):
        store.save(ctx.session_key(), vault)
    return decision, new_output


def restore_tool_input(ctx: HookContext, tool_name: str, tool_input: Any) -> Any | None:
    """``tool_input`` with the session's placeholders put back, or None if it
    holds none the vault knows. Never for tools that send their arguments out
    (web fetches, MCP servers): there the placeholder stays."""
    import json

    from dlp.egress import outbound_tools
    from dlp.redact import PLACEHOLDER_RE, restore_text

    if tool_input is None or outbound_tools().match(tool_name or ""):
        return None
    if not PLACEHOLDER_RE.search(json.dumps(tool_input, ensure_ascii=False)):
        return None
    store = ctx.vault_store()
    if not store.path_for(ctx.session_key()).exists():
        return None
    vault = store.load(ctx.session_key())
    from dlp.payloads import replace_in_leaves

    restored = replace_in_leaves(tool_input, lambda s: restore_text(s, vault))
    return restored if restored != tool_input else None
