"""Put redacted values back into model answers: whole JSON bodies and SSE streams.

:func:`restore_json` walks a decoded response and restores every string,
except reasoning that must round-trip unchanged (Anthropic ``thinking`` /
``redacted_thinking`` blocks, Responses ``reasoning`` items, Gemini parts
marked ``thought``). Strings that hold JSON (``arguments``, ``partial_json``)
get JSON-escaped values so they still parse.

:class:`SSERestorer` does the same over a byte stream: it parses events,
restores each delta with a :class:`dlp.redact.StreamRestorer` per content
block / tool call (so a placeholder split across chunks is still found), and
when a block ends emits what was held back as one more delta, in the
provider's own event shape. Events it does not change are forwarded byte for
byte, pings and comments included.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from dlp.proxy.sse import DEFAULT_MAX_EVENT, Event, SSEParser, reserialize, serialize
from dlp.redact import StreamRestorer, restore_text

_REASONING_TYPES = frozenset({"thinking", "redacted_thinking", "reasoning"})
_JSON_STRING_KEYS = frozenset({"arguments", "partial_json"})


def _skipped(obj: dict) -> bool:
    return obj.get("type") in _REASONING_TYPES or obj.get("thought") is True


def restore_json(obj: Any, vault: Any, *, _json_text: bool = False) -> Any:
    """A copy of ``obj`` with placeholders restored (``obj`` itself when nothing changed)."""
    if isinstance(obj, str):
        if "<" not in obj:
            return obj
        return restore_text(obj, vault, json_escape=_json_text)
    if isinstance(obj, dict):
        if _skipped(obj):
            return obj
        out: dict | None = None
        for key, value in obj.items():
            new = restore_json(value, vault, _json_text=key in _JSON_STRING_KEYS)
            if new is not value:
                if out is None:
                    out = dict(obj)
                out[key] = new
        return obj if out is None else out
    if isinstance(obj, list):
        lst: list | None = None
        for i, value in enumerate(obj):
            new = restore_json(value, vault)
            if new is not value:
                if lst is None:
                    lst = list(obj)
                lst[i] = new
        return obj if lst is None else lst
    return obj


def restore_body(body: bytes, vault: Any) -> bytes:
    """A JSON response body (object, or a JSON array as Gemini streams without SSE)."""
    if b"<" not in body:
        return body
    try:
        doc = json.loads(body)
    except ValueError:
        text = body.decode("utf-8", "replace")
        return restore_text(text, vault).encode("utf-8")
    new = restore_json(doc, vault)
    if new is doc:
        return body
    return json.dumps(new, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------- streams


class _Handler:
    """Per-provider event rewriting. Returns the bytes to send for one event."""

    def __init__(self, vault: Any) -> None:
        self.vault = vault

    def text_restorer(self) -> StreamRestorer:
        return StreamRestorer(self.vault)

    def json_restorer(self) -> StreamRestorer:
        return StreamRestorer(self.vault, json_escape=True)

    def on_event(self, ev: Event, sep: bytes) -> list[bytes]:
        raise NotImplementedError

    def finish(self) -> list[bytes]:
        return []

    def generic(self, ev: Event, sep: bytes, data: Any) -> list[bytes]:
        new = restore_json(data, self.vault)
        if new is data:
            return [ev.raw + sep]
        return [reserialize(ev, new)]


def _raw(ev: Event, sep: bytes) -> list[bytes]:
    return [ev.raw + sep]


class AnthropicHandler(_Handler):
    """``content_block_delta`` text_delta / input_json_delta per block index;
    thinking blocks (and their deltas) pass untouched."""

    def __init__(self, vault: Any) -> None:
        super().__init__(vault)
        self.blocks: dict[int, StreamRestorer] = {}
        self.delta_type: dict[int, str] = {}
        self.skip: set[int] = set()

    def on_event(self, ev: Event, sep: bytes) -> list[bytes]:
        data = ev.json()
        if not isinstance(data, dict):
            return _raw(ev, sep)
        kind = data.get("type")
        index = data.get("index")
        if kind == "content_block_start" and isinstance(index, int):
            block = data.get("content_block")
            btype = block.get("type") if isinstance(block, dict) else None
            if btype in _REASONING_TYPES:
                self.skip.add(index)
                return _raw(ev, sep)
            if btype == "text":
                self.blocks[index] = self.text_restorer()
                self.delta_type[index] = "text_delta"
            elif btype is not None:
                self.blocks[index] = self.json_restorer()
                self.delta_type[index] = "input_json_delta"
            return self.generic(ev, sep, data)
        if kind == "content_block_delta" and isinstance(index, int):
            delta = data.get("delta")
            if index in self.skip or not isinstance(delta, dict):
                return _raw(ev, sep)
            dtype = delta.get("type")
            key = "text" if dtype == "text_delta" else "partial_json" if dtype == "input_json_delta" else None
            if key is None or not isinstance(delta.get(key), str):
                return _raw(ev, sep)
            restorer = self.blocks.get(index)
            if restorer is None:  # a delta without its start: still restore
                restorer = self.blocks[index] = (self.text_restorer() if key == "text" else self.json_restorer())
                self.delta_type[index] = str(dtype)
            text = delta[key]
            out = restorer.feed(text)
            if out == text:
                return _raw(ev, sep)
            if not out:
                return []
            new = dict(data)
            new["delta"] = {**delta, key: out}
            return [reserialize(ev, new)]
        if kind == "content_block_stop" and isinstance(index, int):
            out_events: list[bytes] = []
            restorer = self.blocks.pop(index, None)
            self.skip.discard(index)
            if restorer is not None:
                rest = restorer.flush()
                if rest:
                    out_events.append(self._delta(index, rest))
            out_events.extend(_raw(ev, sep))
            return out_events
        if kind in ("ping", "error", "message_stop"):
            return _raw(ev, sep)
        return self.generic(ev, sep, data)

    def _delta(self, index: int, text: str) -> bytes:
        dtype = self.delta_type.get(index, "text_delta")
        key = "text" if dtype == "text_delta" else "partial_json"
        return serialize(event="content_block_delta", data={
            "type": "content_block_delta", "index": index, "delta": {"type": dtype, key: text}})

    def finish(self) -> list[bytes]:
        out = []
        for index, restorer in sorted(self.blocks.items()):
            rest = restorer.flush()
            if rest:
                out.append(self._delta(index, rest))
        self.blocks.clear()
        return out


class OpenAIChatHandler(_Handler):
    """``choices[].delta.content`` and ``delta.tool_calls[].function.arguments``
    per choice and tool call; reasoning fields pass untouched."""

    def __init__(self, vault: Any) -> None:
        super().__init__(vault)
        self.content: dict[int, StreamRestorer] = {}
        self.tools: dict[tuple[int, int], StreamRestorer] = {}
        self.last: dict[str, Any] = {}

    def on_event(self, ev: Event, sep: bytes) -> list[bytes]:
        if ev.data is not None and ev.data.strip() == "[DONE]":
            return [*self.finish(), ev.raw + sep]
        data = ev.json()
        if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
            return _raw(ev, sep) if not isinstance(data, dict) else self.generic(ev, sep, data)
        for key in ("id", "object", "created", "model", "system_fingerprint"):
            if key in data:
                self.last[key] = data[key]
        changed = False
        choices = []
        for choice in data["choices"]:
            new_choice = self._choice(choice) if isinstance(choice, dict) else choice
            changed = changed or new_choice is not choice
            choices.append(new_choice)
        if not changed:
            return _raw(ev, sep)
        return [reserialize(ev, {**data, "choices": choices})]

    def _choice(self, choice: dict) -> dict:
        index = choice.get("index", 0)
        delta = choice.get("delta")
        finished = choice.get("finish_reason") is not None
        if not isinstance(delta, dict):
            if not finished:
                return choice
            delta = {}
        new_delta = dict(delta)
        changed = False
        content = delta.get("content")
        if isinstance(content, str) and content:
            restorer = self.content.setdefault(index, self.text_restorer())
            out = restorer.feed(content)
            if out != content:
                new_delta["content"] = out
                changed = True
        calls = delta.get("tool_calls")
        if isinstance(calls, list):
            new_calls = []
            for position, call in enumerate(calls):
                if not isinstance(call, dict):
                    new_calls.append(call)
                    continue
                tindex = call.get("index", position)
                if call.get("id"):  # a new call begins: the earlier ones of this choice are complete
                    for (c, t), restorer in list(self.tools.items()):
                        if c == index and t != tindex:
                            rest = restorer.flush()
                            del self.tools[(c, t)]
                            if rest:
                                new_calls.append({"index": t, "function": {"arguments": rest}})
                                changed = True
                fn_obj = call.get("function")
                fn: dict[str, Any] = fn_obj if isinstance(fn_obj, dict) else {}
                args = fn.get("arguments")
                if isinstance(args, str) and args:
                    restorer = self.tools.setdefault((index, tindex), self.json_restorer())
                    out = restorer.feed(args)
                    if out != args:
                        call = {**call, "function": {**fn, "arguments": out}}
                        changed = True
                new_calls.append(call)
            if changed:
                new_delta["tool_calls"] = new_calls
        if finished:
            flushed = self._flush_choice(index)
            if flushed["content"]:
                new_delta["content"] = (new_delta.get("content") or "") + flushed["content"]
                changed = True
            if flushed["tools"]:
                merged: list[Any] = list(new_delta.get("tool_calls") or [])
                for tail_index, tail in flushed["tools"]:
                    for i, entry in enumerate(merged):
                        if isinstance(entry, dict) and entry.get("index") == tail_index:
                            entry_fn = entry.get("function") or {}
                            merged[i] = {**entry, "function": {**entry_fn,
                                                               "arguments": (entry_fn.get("arguments") or "") + tail}}
                            break
                    else:
                        merged.append({"index": tail_index, "function": {"arguments": tail}})
                new_delta["tool_calls"] = merged
                changed = True
        if not changed:
            return choice
        return {**choice, "delta": new_delta}

    def _flush_choice(self, index: int) -> dict[str, Any]:
        restorer = self.content.pop(index, None)
        content = restorer.flush() if restorer is not None else ""
        tools = []
        for (c, t) in sorted(k for k in self.tools if k[0] == index):
            rest = self.tools.pop((c, t)).flush()
            if rest:
                tools.append((t, rest))
        return {"content": content, "tools": tools}

    def finish(self) -> list[bytes]:
        out = []
        for index in sorted({*self.content, *(c for c, _ in self.tools)}):
            rest = self._flush_choice(index)
            delta: dict[str, Any] = {}
            if rest["content"]:
                delta["content"] = rest["content"]
            if rest["tools"]:
                delta["tool_calls"] = [{"index": t, "function": {"arguments": text}} for t, text in rest["tools"]]
            if delta:
                chunk = {"id": self.last.get("id", "chatcmpl-dlp"), "object": "chat.completion.chunk",
                         "created": self.last.get("created", 0), "model": self.last.get("model", ""),
                         "choices": [{"index": index, "delta": delta, "finish_reason": None}]}
                out.append(serialize(data=chunk))
        return out


class ResponsesHandler(_Handler):
    """OpenAI Responses events: ``response.output_text.delta`` per (item,
    content part), ``response.function_call_arguments.delta`` per item; the
    held-back tail goes out as one more delta before ``.done``, and every later
    ``sequence_number`` is shifted so the numbering stays contiguous."""

    _TEXT = ("response.output_text.delta", "response.output_text.done")
    _ARGS = ("response.function_call_arguments.delta", "response.function_call_arguments.done")

    def __init__(self, vault: Any) -> None:
        super().__init__(vault)
        self.streams: dict[tuple[Any, ...], StreamRestorer] = {}
        self.offset = 0
        self.response_id: str | None = None  # from response.created, for previous_response_id

    def _key(self, data: dict) -> tuple[Any, ...]:
        return (data.get("item_id"), data.get("output_index"), data.get("content_index"))

    def _shift(self, data: dict) -> dict:
        if self.offset and isinstance(data.get("sequence_number"), int):
            data = {**data, "sequence_number": data["sequence_number"] + self.offset}
        return data

    def on_event(self, ev: Event, sep: bytes) -> list[bytes]:
        data = ev.json()
        if not isinstance(data, dict):
            return _raw(ev, sep)
        kind = data.get("type") or ev.event or ""
        if kind == "response.created" and isinstance(data.get("response"), dict):
            response_id = data["response"].get("id")
            self.response_id = response_id if isinstance(response_id, str) else None
        if "reasoning" in kind or kind == "error":
            return self._emit(ev, sep, data, data)
        if kind in (self._TEXT[0], self._ARGS[0]) and isinstance(data.get("delta"), str):
            json_text = kind == self._ARGS[0]
            key = self._key(data)
            restorer = self.streams.get(key)
            if restorer is None:
                restorer = self.streams[key] = self.json_restorer() if json_text else self.text_restorer()
            text = data["delta"]
            out = restorer.feed(text)
            if out == text:
                return self._emit(ev, sep, data, data)
            return [reserialize(ev, self._shift({**data, "delta": out}))]
        if kind in (self._TEXT[1], self._ARGS[1]):
            out_events: list[bytes] = []
            restorer = self.streams.pop(self._key(data), None)
            if restorer is not None:
                rest = restorer.flush()
                if rest:
                    delta_type = self._TEXT[0] if kind == self._TEXT[1] else self._ARGS[0]
                    synthetic = {key: data[key] for key in ("item_id", "output_index", "content_index")
                                 if key in data}
                    synthetic = {"type": delta_type, **synthetic, "delta": rest}
                    if isinstance(data.get("sequence_number"), int):
                        synthetic["sequence_number"] = data["sequence_number"] + self.offset
                        self.offset += 1
                    out_events.append(serialize(event=delta_type if ev.event else None, data=synthetic))
            new = restore_json(data, self.vault)
            out_events.extend(self._emit(ev, sep, data, new))
            return out_events
        return self._emit(ev, sep, data, restore_json(data, self.vault))

    def _emit(self, ev: Event, sep: bytes, data: dict, new: dict) -> list[bytes]:
        shifted = self._shift(new)
        if shifted is data:
            return _raw(ev, sep)
        return [reserialize(ev, shifted)]

    def finish(self) -> list[bytes]:
        out = []
        for key, restorer in self.streams.items():
            rest = restorer.flush()
            if rest:
                item_id, output_index, content_index = key
                kind = self._ARGS[0] if restorer.json_escape else self._TEXT[0]
                data = {"type": kind, "item_id": item_id, "output_index": output_index, "delta": rest}
                if content_index is not None:
                    data["content_index"] = content_index
                out.append(serialize(event=kind, data=data))
        self.streams.clear()
        return out


class GeminiHandler(_Handler):
    """Each event is a whole ``GenerateContentResponse`` (possibly wrapped as
    ``{"response": ...}``); text parts are restored per candidate, thought
    parts pass untouched, ``functionCall.args`` arrive whole."""

    def __init__(self, vault: Any) -> None:
        super().__init__(vault)
        self.streams: dict[int, StreamRestorer] = {}
        self.wrapped = False

    def on_event(self, ev: Event, sep: bytes) -> list[bytes]:
        data = ev.json()
        if not isinstance(data, dict):
            return _raw(ev, sep)
        inner = data
        if "candidates" not in data and isinstance(data.get("response"), dict):
            inner = data["response"]
            self.wrapped = True
        candidates = inner.get("candidates")
        if not isinstance(candidates, list):
            return self.generic(ev, sep, data)
        changed = False
        new_candidates = []
        for position, cand in enumerate(candidates):
            new = self._candidate(cand, position) if isinstance(cand, dict) else cand
            changed = changed or new is not cand
            new_candidates.append(new)
        if not changed:
            return _raw(ev, sep)
        new_inner = {**inner, "candidates": new_candidates}
        return [reserialize(ev, {**data, "response": new_inner} if inner is not data else new_inner)]

    def _candidate(self, cand: dict, position: int) -> dict:
        index = cand.get("index", position)
        content = cand.get("content")
        parts = content.get("parts") if isinstance(content, dict) else None
        changed = False
        new_parts: list[Any] = []
        if isinstance(parts, list):
            for part in parts:
                if not isinstance(part, dict) or part.get("thought") is True:
                    new_parts.append(part)
                    continue
                if isinstance(part.get("text"), str):
                    restorer = self.streams.setdefault(index, self.text_restorer())
                    out = restorer.feed(part["text"])
                    if out != part["text"]:
                        part = {**part, "text": out}
                        changed = True
                    new_parts.append(part)
                    continue
                new = restore_json(part, self.vault)
                changed = changed or new is not part
                new_parts.append(new)
        if cand.get("finishReason") and index in self.streams:
            rest = self.streams.pop(index).flush()
            if rest:
                for i in range(len(new_parts) - 1, -1, -1):
                    p = new_parts[i]
                    if isinstance(p, dict) and isinstance(p.get("text"), str) and p.get("thought") is not True:
                        new_parts[i] = {**p, "text": p["text"] + rest}
                        break
                else:
                    new_parts.append({"text": rest})
                changed = True
        if not changed:
            return cand
        new_content = dict(content) if isinstance(content, dict) else {"role": "model"}
        new_content["parts"] = new_parts
        return {**cand, "content": new_content}

    def finish(self) -> list[bytes]:
        candidates = []
        for index, restorer in sorted(self.streams.items()):
            rest = restorer.flush()
            if rest:
                candidates.append({"index": index, "content": {"role": "model", "parts": [{"text": rest}]}})
        self.streams.clear()
        if not candidates:
            return []
        body: dict[str, Any] = {"candidates": candidates}
        return [serialize(data={"response": body} if self.wrapped else body)]


class GenericHandler(_Handler):
    """Unknown SSE: restore every event's JSON as a whole (no split handling)."""

    def on_event(self, ev: Event, sep: bytes) -> list[bytes]:
        data = ev.json()
        if data is None:
            if ev.data and "<" in ev.data:
                new = restore_text(ev.data, self.vault)
                if new != ev.data:
                    return [reserialize(ev, new)]
            return _raw(ev, sep)
        return self.generic(ev, sep, data)


HANDLERS: dict[str, Callable[[Any], _Handler]] = {
    "openai": OpenAIChatHandler,
    "openai-responses": ResponsesHandler,
    "anthropic": AnthropicHandler,
    "gemini": GeminiHandler,
}


class SSERestorer:
    """Bytes in, bytes out: an SSE response with placeholders restored.

    ``feed`` returns what can be sent now; ``flush`` what is left at the end.
    Memory is bounded by the largest event (``max_event``) plus the restorers'
    held-back tails (each shorter than one placeholder)."""

    def __init__(self, kind: str | None, vault: Any, *, max_event: int = DEFAULT_MAX_EVENT) -> None:
        self.parser = SSEParser(max_event=max_event)
        self.handler = HANDLERS.get(kind or "", GenericHandler)(vault)

    def feed(self, chunk: bytes) -> bytes:
        out: list[bytes] = []
        for ev, sep in self.parser.feed(chunk):
            out.extend(self.handler.on_event(ev, sep))
        return b"".join(out)

    def flush(self) -> bytes:
        out: list[bytes] = []
        for ev, sep in self.parser.flush():
            out.extend(self.handler.on_event(ev, sep))
        out.extend(self.handler.finish())
        return b"".join(out)
