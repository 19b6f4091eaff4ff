"""The text inside LLM API request payloads, and how to put redacted text back.

:func:`segments` walks a request body and yields every piece of text a model
would read: system prompts and instructions, every message and content part,
tool-call arguments (OpenAI's JSON strings included), tool results. Anthropic
``thinking`` / ``redacted_thinking`` blocks are never visited (their signature
must round-trip unchanged), nor are images, audio or other binary parts.

A :class:`Segment` is one of three shapes:

- ``text``: a string at ``path``; redaction replaces exact spans;
- ``struct``: a JSON object at ``path`` (Anthropic ``tool_use.input``, Gemini
  ``functionCall.args``); scanned as its JSON text so that key names give
  context, redacted value by value in its string leaves;
- ``json``: a string holding JSON (OpenAI ``function.arguments``); like
  ``struct`` when it parses (and re-serialised only if it changed), else ``text``.

:func:`rebuild` returns the payload with new texts at given paths, copying
only the containers on those paths (the payload itself when there are none);
the input is never mutated.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from dlp.errors import InputError
from dlp.mentions import MENTION, mentions  # noqa: F401 - re-exported

KINDS = ("openai", "openai-responses", "anthropic", "gemini")
Path_ = tuple[Any, ...]


class Segment(NamedTuple):
    """One piece of text in a payload (a NamedTuple: immutable, and cheap to make)."""

    path: Path_  # keys and indexes from the payload root
    shape: str  # text | struct | json
    value: Any  # the string, or the object for struct / parsed json
    role: str | None = None
    message_index: int | None = None

    @property
    def field(self) -> str:
        return field_name(self.path)

    def scan_text(self) -> str:
        if self.shape == "text":
            return self.value
        if self.shape == "json":
            return self.value if isinstance(self.value, str) else json.dumps(self.value, ensure_ascii=False)
        return json.dumps(self.value, ensure_ascii=False)


def field_name(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def segments(payload: Any, kind: str) -> list[Segment]:
    if not isinstance(payload, dict):
        raise InputError(f"{kind} payload: expected a JSON object")
    try:
        walker = _WALKERS[kind]
    except KeyError:
        raise InputError(f"unknown payload kind {kind!r} (choose from {', '.join(KINDS)})") from None
    return list(walker(payload))


def rebuild(payload: dict, replacements: dict[Path_, Any]) -> dict:
    """``payload`` with ``replacements`` (path -> new value) applied, the input
    never mutated. Nothing to replace: ``payload`` itself (no copy). Otherwise
    only the containers along the replaced paths are copied; untouched parts
    are shared with the input (treat the result as read-only, like the input)."""
    if not replacements:
        return payload
    import copy

    out = copy.copy(payload)
    copied: dict[Path_, Any] = {(): out}
    for path, value in replacements.items():
        target: Any = out
        for depth in range(1, len(path)):
            prefix = path[:depth]
            child = copied.get(prefix)
            if child is None:
                child = copied[prefix] = copy.copy(target[path[depth - 1]])
                target[path[depth - 1]] = child
            target = child
        target[path[-1]] = value
    return out


# --------------------------------------------------------------------------- helpers


def _text(path: Path_, value: Any, role: str | None = None, index: int | None = None) -> Iterator[Segment]:
    if isinstance(value, str) and value:
        yield Segment(path, "text", value, role, index)


def _struct(path: Path_, value: Any, role: str | None = None, index: int | None = None) -> Iterator[Segment]:
    if isinstance(value, (dict, list)) and value:
        yield Segment(path, "struct", value, role, index)
    elif isinstance(value, str):
        yield from _json_string(path, value, role, index)


def _json_string(path: Path_, value: Any, role: str | None = None, index: int | None = None) -> Iterator[Segment]:
    if not isinstance(value, str) or not value:
        return
    try:
        parsed = json.loads(value)
    except ValueError:
        yield Segment(path, "text", value, role, index)
        return
    if isinstance(parsed, (dict, list)):
        yield Segment(path, "json", value, role, index)
    else:
        yield Segment(path, "text", value, role, index)


def _role(message: Any) -> str | None:
    role = message.get("role") if isinstance(message, dict) else None
    return role if isinstance(role, str) else None


# --------------------------------------------------------------------------- OpenAI chat


def _openai(payload: dict) -> Iterator[Segment]:
    messages = payload.get("messages")
    if isinstance(messages, list):
        for i, message in enumerate(messages):
            if not isinstance(message, dict):
                continue
            role = _role(message)
            base: Path_ = ("messages", i)
            content = message.get("content")
            if isinstance(content, str):
                yield from _text((*base, "content"), content, role, i)
            elif isinstance(content, list):
                for j, part in enumerate(content):
                    if isinstance(part, str):
                        yield from _text((*base, "content", j), part, role, i)
                    elif isinstance(part, dict) and part.get("type") in ("text", "input_text", "output_text", None):
                        yield from _text((*base, "content", j, "text"), part.get("text"), role, i)
                    elif isinstance(part, dict) and part.get("type") == "refusal":
                        yield from _text((*base, "content", j, "refusal"), part.get("refusal"), role, i)
            for j, call in enumerate(message.get("tool_calls") or ()):
                if isinstance(call, dict) and isinstance(call.get("function"), dict):
                    yield from _json_string((*base, "tool_calls", j, "function", "arguments"),
                                            call["function"].get("arguments"), role, i)
            if isinstance(message.get("function_call"), dict):  # legacy
                yield from _json_string((*base, "function_call", "arguments"),
                                        message["function_call"].get("arguments"), role, i)
    # legacy completions and embeddings
    for key in ("prompt", "input"):
        value = payload.get(key)
        if isinstance(value, str):
            yield from _text((key,), value)
        elif isinstance(value, list):
            for j, item in enumerate(value):
                yield from _text((key, j), item)


# --------------------------------------------------------------------------- OpenAI Responses


def _responses_content(base: Path_, content: Any, role: str | None, index: int) -> Iterator[Segment]:
    if isinstance(content, str):
        yield from _text((*base, "content"), content, role, index)
    elif isinstance(content, list):
        for j, part in enumerate(content):
            if isinstance(part, dict) and part.get("type") in ("input_text", "output_text", "text"):
                yield from _text((*base, "content", j, "text"), part.get("text"), role, index)
            elif isinstance(part, dict) and part.get("type") == "refusal":
                yield from _text((*base, "content", j, "refusal"), part.get("refusal"), role, index)


def _openai_responses(payload: dict) -> Iterator[Segment]:
    yield from _text(("instructions",), payload.get("instructions"), "system")
    items = payload.get("input")
    if isinstance(items, str):
        yield from _text(("input",), items, "user", 0)
        return
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        base: Path_ = ("input", i)
        kind = item.get("type", "message")
        role = _role(item)
        if kind == "message":
            yield from _responses_content(base, item.get("content"), role, i)
        elif kind == "function_call":
            yield from _json_string((*base, "arguments"), item.get("arguments"), "assistant", i)
        elif kind == "function_call_output":
            output = item.get("output")
            if isinstance(output, list):
                yield from _responses_content(base, output, "tool", i)
                # _responses_content uses "content"; outputs live under "output"
            else:
                yield from _text((*base, "output"), output, "tool", i)
        elif kind in ("custom_tool_call",):
            yield from _text((*base, "input"), item.get("input"), "assistant", i)
        elif kind in ("custom_tool_call_output",):
            yield from _text((*base, "output"), item.get("output"), "tool", i)
        elif kind == "local_shell_call" and isinstance(item.get("action"), dict):
            yield from _struct((*base, "action"), item["action"], "assistant", i)
        # reasoning items, images, files: not text a policy can act on


def _fix_output_paths(payload: dict) -> Iterator[Segment]:
    # function_call_output with a list of parts: re-root the "content" paths at "output".
    for seg in _openai_responses(payload):
        path = seg.path
        if (len(path) >= 3 and path[0] == "input" and path[2] == "content"
                and isinstance(payload["input"][path[1]], dict)
                and payload["input"][path[1]].get("type") == "function_call_output"):
            seg = Segment((*path[:2], "output", *path[3:]), seg.shape, seg.value, seg.role, seg.message_index)
        yield seg


# --------------------------------------------------------------------------- Anthropic


_SKIPPED_BLOCKS = {"thinking", "redacted_thinking", "image", "search_result_image"}


def _anthropic_blocks(base: Path_, blocks: Any, role: str | None, index: int | None) -> Iterator[Segment]:
    if isinstance(blocks, str):
        yield from _text(base, blocks, role, index)
        return
    if not isinstance(blocks, list):
        return
    for j, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        btype = block.get("type")
        path = (*base, j)
        if btype in _SKIPPED_BLOCKS:
            continue
        if btype == "text":
            yield from _text((*path, "text"), block.get("text"), role, index)
        elif btype in ("tool_use", "server_tool_use"):
            yield from _struct((*path, "input"), block.get("input"), role, index)
        elif btype == "tool_result":
            yield from _anthropic_blocks((*path, "content"), block.get("content"), "tool", index)
        elif btype == "document":
            source = block.get("source")
            if isinstance(source, dict) and source.get("type") == "text":
                yield from _text((*path, "source", "data"), source.get("data"), role, index)
            elif isinstance(source, dict) and source.get("type") == "content":
                yield from _anthropic_blocks((*path, "source", "content"), source.get("content"), role, index)
        elif btype is None and isinstance(block.get("text"), str):
            yield from _text((*path, "text"), block["text"], role, index)


def _anthropic(payload: dict) -> Iterator[Segment]:
    system = payload.get("system")
    if isinstance(system, str):
        yield from _text(("system",), system, "system")
    elif isinstance(system, list):
        yield from _anthropic_blocks(("system",), system, "system", None)
    messages = payload.get("messages")
    if isinstance(messages, list):
        for i, message in enumerate(messages):
            if not isinstance(message, dict):
                continue
            yield from _anthropic_blocks(("messages", i, "content"), message.get("content"), _role(message), i)


# --------------------------------------------------------------------------- Gemini


def _gemini_parts(base: Path_, parts: Any, role: str | None, index: int | None) -> Iterator[Segment]:
    if not isinstance(parts, list):
        return
    for j, part in enumerate(parts):
        if not isinstance(part, dict):
            continue
        path = (*base, j)
        if part.get("thought") is True:
            continue  # thought summaries are the model's own, like Anthropic thinking
        if isinstance(part.get("text"), str):
            yield from _text((*path, "text"), part["text"], role, index)
        for key, inner in (("functionCall", "args"), ("function_call", "args"),
                           ("functionResponse", "response"), ("function_response", "response")):
            if isinstance(part.get(key), dict):
                yield from _struct((*path, key, inner), part[key].get(inner), role, index)


def _gemini(payload: dict) -> Iterator[Segment]:
    prefix: Path_ = ()
    if "contents" not in payload and isinstance(payload.get("request"), dict):
        prefix = ("request",)  # Code Assist (cloudcode-pa) wrapper used by Gemini CLI
        payload = payload["request"]
    for key in ("systemInstruction", "system_instruction"):
        system = payload.get(key)
        if isinstance(system, dict):
            yield from _gemini_parts((*prefix, key, "parts"), system.get("parts"), "system", None)
        elif isinstance(system, str):
            yield from _text((*prefix, key), system, "system")
    contents = payload.get("contents")
    if isinstance(contents, list):
        for i, content in enumerate(contents):
            if isinstance(content, dict):
                yield from _gemini_parts((*prefix, "contents", i, "parts"), content.get("parts"), _role(content), i)


_WALKERS: dict[str, Callable[[dict], Iterator[Segment]]] = {
    "openai": _openai,
    "openai-responses": _fix_output_paths,
    "anthropic": _anthropic,
    "gemini": _gemini,
}


# --------------------------------------------------------------------------- struct redaction


def replace_in_leaves(obj: Any, replace: Callable[[str], str]) -> Any:
    """A copy of ``obj`` with ``replace`` applied to every string value (not keys)."""
    if isinstance(obj, str):
        return replace(obj)
    if isinstance(obj, list):
        return [replace_in_leaves(v, replace) for v in obj]
    if isinstance(obj, dict):
        return {k: replace_in_leaves(v, replace) for k, v in obj.items()}
    return obj


def string_leaves(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for v in obj:
            yield from string_leaves(v)
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from string_leaves(v)
