"""dlp as a LiteLLM proxy guardrail: redact or block before the call, restore after it.

```yaml
guardrails:
  - guardrail_name: dlp
    litellm_params:
      guardrail: dlp.integrations.litellm.DlpGuardrail
      mode: [pre_call, post_call]
      default_on: true
      dlp_config: /etc/dlp/.dlp.yaml      # optional: policy file (default: .dlp.yaml from the cwd)
      dlp_engine: auto                    # optional: auto | hyperscan | python
      dlp_on_error: block                 # optional: block | allow when dlp itself fails
```

Covers ``/chat/completions``, ``/v1/responses`` and the Anthropic ``/v1/messages``
route (the one Claude Code uses), streaming or not:

- ``async_pre_call_hook`` redacts the request in place (placeholders such as
  ``<SECRET:github-pat:1>``) or blocks it with an ``HTTPException`` (400, an
  ``error`` body every SDK raises on). Other call types (embeddings, text
  completions, ...) are checked as text and blocked when anything is found.
- The vault travels with the request, encrypted (:meth:`dlp.redact.Vault.to_state`),
  in ``data[metadata]["dlp_vault"]``, never on the guardrail object: pre- and
  post-call may run on different instances or workers (they share the vault key:
  ``$DLP_VAULT_KEY`` or the key file in dlp's data directory).
- ``async_post_call_success_hook`` restores whole answers;
  ``async_post_call_streaming_iterator_hook`` restores streams chunk by chunk,
  placeholders split across chunks and tool-call arguments included (chat chunk
  objects, Responses events, and the raw SSE bytes of ``/v1/messages``).
  Reasoning (Anthropic thinking blocks, ``reasoning_content``, Responses
  reasoning items) is never modified.
- Responses API follow-up turns (``previous_response_id``: the history lives on
  the provider, with placeholders in it): the vault of each answered response
  id is kept, encrypted, in the worker's memory (4,096 ids, one hour) and
  carried into the next turn, so placeholders the model repeats from earlier
  turns are restored and new ones go on numbering. A follow-up that reaches
  another worker starts afresh (earlier placeholders then stay placeholders).
- Gemini ``/v1beta/models/{model}:generateContent`` and ``:streamGenerateContent``
  (LiteLLM's Google route): ``contents`` and ``systemInstruction`` are redacted,
  the answer and its raw SSE stream restored; ``thought`` parts are left alone.
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
from pathlib import Path
from typing import Any, AsyncGenerator

from litellm.integrations.custom_guardrail import CustomGuardrail

from dlp.model import Action
from dlp.proxy.gate import ResponseVaults
from dlp.proxy.restore import SSERestorer, restore_json
from dlp.redact import StreamRestorer, Vault, restore_text

log = logging.getLogger("dlp.litellm")

VAULT_KEY = "dlp_vault"
BLOCK_STATUS = 400
# the request fields each payload kind reads (the rest of LiteLLM's data is left alone)
_FIELDS = {
    "openai": ("messages", "tools", "functions"),
    "openai-responses": ("input", "instructions", "tools"),
    "anthropic": ("system", "messages", "tools"),
    "gemini": ("contents", "systemInstruction", "system_instruction", "tools"),
}
_TEXT_FIELDS = ("prompt", "input", "messages", "query", "documents", "text")
_REASONING_ATTRS = frozenset({"reasoning_content", "thinking_blocks", "reasoning", "thinking"})
_REASONING_TYPES = frozenset({"thinking", "redacted_thinking", "reasoning"})
# Responses API: the encrypted vault state of each answered response id, for the
# follow-up turns that name it in previous_response_id (per worker process, bounded)
RESPONSE_VAULTS = ResponseVaults()


def payload_kind(call_type: Any, data: dict) -> str | None:
    """The dlp payload kind of a LiteLLM call, or None (checked as text)."""
    name = str(getattr(call_type, "value", call_type) or "").lower()
    if "anthropic_messages" in name:
        return "anthropic"
    if "responses" in name:
        return "openai-responses"
    if "generate_content" in name:
        return "gemini"
    if name in ("completion", "acompletion"):
        return "openai"
    if not name and isinstance(data.get("messages"), list):
        return "openai"
    return None


def _metadata(data: dict, kind: str | None = None) -> dict:
    """LiteLLM's own metadata of the request. ``metadata`` is also a field of the
    provider APIs (Anthropic and Responses send it on): on those routes, when
    LiteLLM has not made ``litellm_metadata`` yet, that is the one to create."""
    if "litellm_metadata" in data or kind in ("anthropic", "openai-responses"):
        key = "litellm_metadata"
    else:
        key = "metadata"
    meta = data.get(key)
    if not isinstance(meta, dict):
        meta = data[key] = {}
    return meta


def _vault_state(data: dict | None) -> dict | None:
    if not isinstance(data, dict):
        return None
    for key in ("litellm_metadata", "metadata"):
        meta = data.get(key)
        if isinstance(meta, dict) and isinstance(meta.get(VAULT_KEY), dict):
            return meta[VAULT_KEY]
    return None


def _open_vault(state: dict | None, what: str) -> Vault | None:
    if state is None:
        return None
    try:
        vault = Vault.from_state(state)
    except Exception as exc:  # noqa: BLE001 - a bad state only means nothing to restore
        log.warning("dlp: cannot read %s (%s); placeholders left as they are", what, exc.__class__.__name__)
        return None
    return vault if len(vault) else None


def request_vault(data: dict | None) -> Vault | None:
    """The vault the pre-call hook left in the request data (None when nothing was redacted)."""
    return _open_vault(_vault_state(data), "the request's vault")


def provider_response_id(response_id: str) -> str:
    """The provider's own Responses id inside LiteLLM's wrappings: the hooks see
    it base64-wrapped with the deployment (``resp_<b64 of litellm:...;response_id:...>``)
    after the call, and clients send it back encrypted with the proxy's salt key."""
    rid = response_id
    head, sep, tail = rid.partition("resp_")
    if sep and not head and tail:
        try:
            from litellm.proxy.common_utils.encrypt_decrypt_utils import decrypt_value_helper

            plain = decrypt_value_helper(value=tail, key="response_id", exception_type="debug")
        except Exception:  # noqa: BLE001 - not encrypted, or no salt key: keep it as it is
            plain = None
        if isinstance(plain, str) and plain.startswith("litellm_proxy") and "response_id:" in plain:
            rid = plain.split(";", 1)[0].split("response_id:", 1)[1]
    try:
        from litellm.responses.utils import ResponsesAPIRequestUtils

        inner = ResponsesAPIRequestUtils.decode_responses_api_response_id(rid).get("response_id")
    except Exception:  # noqa: BLE001
        inner = None
    return inner if isinstance(inner, str) and inner else rid


def _caller(user_api_key_dict: Any) -> str:
    """Who asked (a digest of LiteLLM's key token): a vault serves only the key whose turn made it."""
    for name in ("token", "api_key", "user_id"):
        value = getattr(user_api_key_dict, name, None)
        if isinstance(value, str) and value:
            return hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]
    return ""


def remember_response(response_id: Any, data: dict | None, user_api_key_dict: Any = None) -> bool:
    """Keep the request's vault for the Responses API turns that follow ``response_id``."""
    state = _vault_state(data)
    if not isinstance(response_id, str) or not response_id or state is None:
        return False
    RESPONSE_VAULTS.put(f"{_caller(user_api_key_dict)}/{provider_response_id(response_id)}", state)
    return True


def _earlier_vault(data: dict, user_api_key_dict: Any) -> Vault | None:
    previous = data.get("previous_response_id")
    if not isinstance(previous, str) or not previous:
        return None
    state = RESPONSE_VAULTS.get(f"{_caller(user_api_key_dict)}/{provider_response_id(previous)}")
    return _open_vault(state, "the vault of the previous response")


def _http_error(status: int, message: str, details: dict | None = None) -> Exception:
    from fastapi import HTTPException

    detail: dict[str, Any] = {"error": message}
    if details:
        detail["dlp"] = details
    return HTTPException(status_code=status, detail=detail)


# --------------------------------------------------------------------------- restoring objects in place


def _type_name(obj: Any) -> str:
    kind = getattr(obj, "type", None)
    return str(getattr(kind, "value", kind) or "")


def restore_in_place(obj: Any, vault: Vault, *, _json_text: bool = False, _depth: int = 0) -> Any:
    """Restore placeholders inside dicts, lists and LiteLLM / pydantic objects, in place
    where possible; returns the (possibly new) object. Reasoning is skipped."""
    if _depth > 64:
        return obj
    if isinstance(obj, str):
        return restore_text(obj, vault, json_escape=_json_text) if "<" in obj else obj
    if isinstance(obj, dict):
        if obj.get("type") in _REASONING_TYPES or obj.get("thought") is True:
            return obj
        for key in list(obj):
            if key in _REASONING_ATTRS:
                continue
            obj[key] = restore_in_place(obj[key], vault, _json_text=key in ("arguments", "partial_json"),
                                        _depth=_depth + 1)
        return obj
    if isinstance(obj, list):
        for i, value in enumerate(obj):
            obj[i] = restore_in_place(value, vault, _depth=_depth + 1)
        return obj
    if isinstance(obj, type) or isinstance(obj, (int, float, bytes)) or obj is None:
        return obj
    names = list(getattr(type(obj), "model_fields", None) or ())  # pydantic models
    for extra in (getattr(obj, "__dict__", None), getattr(obj, "__pydantic_extra__", None)):
        names += [n for n in (extra or {}) if n not in names]
    if not names or _type_name(obj) in _REASONING_TYPES:
        return obj
    for name in names:
        if name.startswith("_") or name in _REASONING_ATTRS:
            continue
        value = getattr(obj, name, None)
        if value is None or isinstance(value, (int, float, bool)):
            continue
        new = restore_in_place(value, vault, _json_text=name in ("arguments", "partial_json"), _depth=_depth + 1)
        if new is not value:
            try:
                setattr(obj, name, new)
            except Exception:  # noqa: BLE001 - a frozen object keeps its value
                pass
    return obj


class _ChatStream:
    """Chat completion chunk objects: ``delta.content`` and tool-call arguments."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.content: dict[int, StreamRestorer] = {}
        self.tools: dict[tuple[int, int], StreamRestorer] = {}
        self.last: Any = None

    def feed(self, chunk: Any) -> list[Any]:
        self.last = chunk
        for choice in getattr(chunk, "choices", None) or []:
            index = getattr(choice, "index", 0) or 0
            delta = getattr(choice, "delta", None)
            if delta is None:
                continue
            content = getattr(delta, "content", None)
            if isinstance(content, str) and content:
                delta.content = self.content.setdefault(index, StreamRestorer(self.vault)).feed(content)
            for position, call in enumerate(getattr(delta, "tool_calls", None) or []):
                fn = getattr(call, "function", None)
                args = getattr(fn, "arguments", None)
                if fn is not None and isinstance(args, str) and args:
                    tindex = getattr(call, "index", None)
                    key = (index, position if tindex is None else tindex)
                    fn.arguments = self.tools.setdefault(key, StreamRestorer(self.vault, json_escape=True)).feed(args)
            if getattr(choice, "finish_reason", None):
                self._flush_into(index, delta)
        return [chunk]

    def _flush_into(self, index: int, delta: Any) -> bool:
        restorer = self.content.pop(index, None)
        rest = restorer.flush() if restorer is not None else ""
        added = False
        if rest:
            delta.content = (getattr(delta, "content", None) or "") + rest
            added = True
        for key in sorted(k for k in self.tools if k[0] == index):
            tail = self.tools.pop(key).flush()
            if tail:
                from litellm.types.utils import ChatCompletionDeltaToolCall, Function

                calls = list(getattr(delta, "tool_calls", None) or [])
                calls.append(ChatCompletionDeltaToolCall(index=key[1], function=Function(arguments=tail)))
                delta.tool_calls = calls
                added = True
        return added

    def finish(self) -> list[Any]:
        if self.last is None or not (self.content or self.tools):
            return []
        chunk = copy.deepcopy(self.last)
        out = False
        for choice in getattr(chunk, "choices", None) or []:
            delta = getattr(choice, "delta", None)
            if delta is None:
                continue
            delta.content = None
            delta.tool_calls = None
            out = self._flush_into(getattr(choice, "index", 0) or 0, delta) or out
        self.content.clear()
        self.tools.clear()
        return [chunk] if out else []


class _ResponsesStream:
    """Responses API event objects."""

    _TEXT_DELTA = "response.output_text.delta"
    _TEXT_DONE = "response.output_text.done"
    _ARGS_DELTA = "response.function_call_arguments.delta"
    _ARGS_DONE = "response.function_call_arguments.done"

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.streams: dict[tuple[Any, ...], StreamRestorer] = {}
        self.last_delta: dict[tuple[Any, ...], Any] = {}
        self.offset = 0

    def _key(self, event: Any) -> tuple[Any, ...]:
        return (getattr(event, "item_id", None), getattr(event, "output_index", None),
                getattr(event, "content_index", None))

    def _shift(self, event: Any) -> None:
        number = getattr(event, "sequence_number", None)
        if self.offset and isinstance(number, int):
            try:
                event.sequence_number = number + self.offset
            except Exception:  # noqa: BLE001
                pass

    def feed(self, event: Any) -> list[Any]:
        kind = _type_name(event)
        out: list[Any] = []
        if "reasoning" in kind:
            pass
        elif kind in (self._TEXT_DELTA, self._ARGS_DELTA) and isinstance(getattr(event, "delta", None), str):
            key = self._key(event)
            restorer = self.streams.get(key)
            if restorer is None:
                restorer = self.streams[key] = StreamRestorer(self.vault, json_escape=kind == self._ARGS_DELTA)
            event.delta = restorer.feed(event.delta)
            self.last_delta[key] = event
        elif kind in (self._TEXT_DONE, self._ARGS_DONE):
            key = self._key(event)
            restorer = self.streams.pop(key, None)
            template = self.last_delta.pop(key, None)
            if restorer is not None and template is not None:
                rest = restorer.flush()
                if rest:
                    extra = copy.deepcopy(template)
                    extra.delta = rest
                    number = getattr(event, "sequence_number", None)
                    if isinstance(number, int):
                        extra.sequence_number = number + self.offset
                        self.offset += 1
                    out.append(extra)
            restore_in_place(event, self.vault)
        else:
            restore_in_place(event, self.vault)
        self._shift(event)
        out.append(event)
        return out

    def finish(self) -> list[Any]:
        out = []
        for key, restorer in self.streams.items():
            rest = restorer.flush()
            template = self.last_delta.get(key)
            if rest and template is not None:
                extra = copy.deepcopy(template)
                extra.delta = rest
                out.append(extra)
        self.streams.clear()
        return out


# --------------------------------------------------------------------------- the guardrail


class DlpGuardrail(CustomGuardrail):
    """Redact or block requests with dlp's policy; restore the answers."""

    def __init__(self, dlp_config: str | None = None, dlp_engine: str = "auto", dlp_on_error: str | None = None,
                 egress: Any = None, **kwargs: Any) -> None:
        from dlp.egress import Egress
        from dlp.proxy.gate import Gate

        if egress is None:
            egress = Egress.from_config(Path(dlp_config) if dlp_config else None, cwd=Path.cwd(),
                                        engine=dlp_engine or "auto")
            egress.check_text("dlp warm-up")  # compile at startup, not on the first request
        self.egress = egress
        fail_open = None if not dlp_on_error else str(dlp_on_error).lower() == "allow"
        self.gate = Gate(egress, fail_open=fail_open)  # holds policy only: no per-request state
        super().__init__(**kwargs)

    # ----------------------------------------------------------------- before the call

    async def async_pre_call_hook(self, user_api_key_dict: Any, cache: Any, data: dict, call_type: Any
                                  ) -> dict | None:
        try:
            return self._pre_call(data, call_type, user_api_key_dict)
        except Exception as exc:  # noqa: BLE001 - translate, keeping fail-closed
            if exc.__class__.__name__ == "HTTPException":
                raise
            log.error("dlp: internal error before the call: %s", exc.__class__.__name__)
            if self.gate.fail_open:
                return data
            raise _http_error(500, "dlp: internal error while checking the request; it was not sent "
                              "(fail-closed)") from None

    def _pre_call(self, data: dict, call_type: Any, user_api_key_dict: Any = None) -> dict:
        destination = self._destination(data)
        kind = payload_kind(call_type, data)
        if kind is None:
            fields = {k: data[k] for k in _TEXT_FIELDS if k in data}
            if not fields:
                return data
            decision = self.egress.check_text(json.dumps(fields, ensure_ascii=False, default=str),
                                              destination=destination)
            if decision.action is not Action.ALLOW:
                self._block(decision, note=" (dlp redacts only chat, Responses and Messages calls)")
            return data
        payload = {k: data[k] for k in _FIELDS[kind] if k in data}
        # a Responses follow-up goes on with the vault of the turn it follows
        vault = (_earlier_vault(data, user_api_key_dict) if kind == "openai-responses" else None) or Vault()
        before = len(vault)
        if payload:
            decision, new_payload = self.egress.redact_payload(payload, kind, vault, destination=destination)
            if decision.action is Action.BLOCK:
                self._block(decision)
            for key, value in new_payload.items():
                if value is not payload.get(key):
                    data[key] = value
        if len(vault):
            _metadata(data, kind)[VAULT_KEY] = vault.to_state()
            if len(vault) > before:
                log.info("dlp: %d value(s) redacted before the call", len(vault) - before)
        return data

    def _destination(self, data: dict) -> str | None:
        from urllib.parse import urlsplit

        for key in ("api_base", "base_url"):
            value = data.get(key)
            if isinstance(value, str) and "://" in value:
                return urlsplit(value).hostname
        model = data.get("model")
        return str(model) if model else None

    def _block(self, decision: Any, note: str = "") -> None:
        from dlp.proxy.gate import _block_message, _details

        log.warning("dlp blocked a request: %s", "; ".join(decision.reasons[:3]))
        raise _http_error(BLOCK_STATUS, _block_message(decision) + note, _details(decision))

    # ----------------------------------------------------------------- after the call

    async def async_post_call_success_hook(self, data: dict, user_api_key_dict: Any, response: Any) -> Any:
        vault = request_vault(data)
        if vault is None or response is None:
            return response
        if getattr(response, "object", None) == "response" or \
                isinstance(response, dict) and response.get("object") == "response":
            remember_response(getattr(response, "id", None) or
                              (response.get("id") if isinstance(response, dict) else None), data, user_api_key_dict)
        try:
            return restore_in_place(response, vault)
        except Exception as exc:  # noqa: BLE001 - the answer only holds placeholders: safe to pass on
            log.error("dlp: cannot restore the answer (%s)", exc.__class__.__name__)
            return response

    async def async_post_call_streaming_iterator_hook(self, user_api_key_dict: Any, response: Any,
                                                      request_data: dict) -> AsyncGenerator[Any, None]:
        vault = request_vault(request_data)
        if vault is None:
            async for item in response:
                yield item
            return
        raw_kind = "gemini" if "contents" in request_data else "anthropic"  # raw SSE frames
        sse: SSERestorer | None = None
        chat: _ChatStream | None = None
        events: _ResponsesStream | None = None
        remembered = False
        async for item in response:
            if isinstance(item, (bytes, str)):
                if sse is None:
                    sse = SSERestorer(raw_kind, vault)
                raw = item.encode("utf-8") if isinstance(item, str) else item
                out = sse.feed(raw)
                if out:
                    yield out if isinstance(item, bytes) else out.decode("utf-8")
                continue
            if type(item).__name__ == "ModelResponseStream" or getattr(item, "choices", None) is not None:
                chat = chat or _ChatStream(vault)
                for chunk in chat.feed(item):
                    yield chunk
                continue
            if _type_name(item).startswith("response."):
                if events is None:
                    events = _ResponsesStream(vault)
                if not remembered:  # as soon as the id shows: the client may hang up before the end
                    remembered = remember_response(getattr(getattr(item, "response", None), "id", None),
                                                   request_data, user_api_key_dict)
                for event in events.feed(item):
                    yield event
                continue
            yield restore_in_place(item, vault)
        if sse is not None:
            tail = sse.flush()
            if tail:
                yield tail
        for pending in (chat, events):
            if pending is not None:
                for extra in pending.finish():
                    yield extra


def restore_response_dict(doc: Any, vault: Vault) -> Any:
    """For embedders: restore a response already turned into JSON."""
    return restore_json(doc, vault)
