"""The request side of every proxy stage: allow, redact or block one request body.

:class:`Gate` turns a request body into a :class:`Verdict`: the bytes to send
upstream (the original ones when nothing was found), the vault that restores
the answer, or a block with an error body in the provider's own shape. The
built-in proxy and the mitmproxy addon both use it, so they decide alike.

Fail-closed is the default: a body dlp cannot read (bad JSON, an unknown
content encoding, over the size limit) or an internal error blocks the
request. ``fail_open=True`` (or ``on_error: allow`` in the policy) forwards
the original body instead when dlp itself fails; a body that is merely
unreadable is still refused, since the provider would refuse it too.
"""
from __future__ import annotations

import json
import logging
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from dlp.model import Action
from dlp.proxy.providers import ANTHROPIC, GEMINI, OPENAI, Route, error_body, gemini_inner

log = logging.getLogger("dlp.proxy")

DEFAULT_MAX_BODY = 32 * 1024 * 1024
BLOCK_STATUS = 403
_DECODERS = {
    "gzip": lambda data, limit: _bounded_decompress(data, limit, 16 + zlib.MAX_WBITS),
    "x-gzip": lambda data, limit: _bounded_decompress(data, limit, 16 + zlib.MAX_WBITS),
    "deflate": lambda data, limit: _bounded_decompress(data, limit, zlib.MAX_WBITS),
    "identity": lambda data, limit: data,
}


class BodyError(ValueError):
    """The request body cannot be read (encoding, size, JSON)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _bounded_decompress(data: bytes, limit: int, wbits: int) -> bytes:
    d = zlib.decompressobj(wbits)
    try:
        out = d.decompress(data, limit + 1)
    except zlib.error:
        raise BodyError("request body: corrupt compressed data") from None
    if len(out) > limit or d.unconsumed_tail:
        raise BodyError(f"request body: larger than {limit} bytes once decompressed", 413)
    return out


def decode_body(body: bytes, content_encoding: str | None, *, limit: int = DEFAULT_MAX_BODY) -> bytes:
    """The body without its content encoding (gzip, deflate); other encodings are refused."""
    if not content_encoding:
        return body
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        decoder = _DECODERS.get(coding)
        if decoder is None:
            raise BodyError(f"request body: content encoding {coding!r} is not supported by dlp", 415)
        body = decoder(body, limit)
    return body


@dataclass(slots=True)
class Verdict:
    action: Action
    body: bytes  # what to send upstream (when not blocked)
    changed: bool = False  # body differs from the request's (re-encoded, redacted or decoded)
    vault: Any = None  # set when placeholders were put in
    status: int = 200  # for a block
    error: bytes = b""  # provider-shaped error body for a block
    decision: Any = None
    note: str = ""  # value-free, for logs
    findings: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK

    @property
    def restoring(self) -> bool:
        return self.vault is not None and len(self.vault) > 0


def _details(decision: Any) -> dict[str, Any]:
    record = decision.to_record()
    return {"decision": record["decision"], "reasons": record["reasons"],
            "findings": [{k: f.get(k) for k in ("rule_id", "category", "severity", "masked", "field", "action")
                          if f.get(k) is not None} for f in record["findings"]]}


class Gate:
    """Decides one request body against the policy. Thread-safe (one per process)."""

    def __init__(self, egress: Any, *, fail_open: bool | None = None, max_body: int = DEFAULT_MAX_BODY,
                 vault_factory: Any = None) -> None:
        self.egress = egress
        if fail_open is None:
            on_error = getattr(getattr(egress, "policy", None), "on_error", Action.BLOCK)
            fail_open = on_error is Action.ALLOW or str(on_error) == "allow"
        self.fail_open = fail_open
        self.max_body = max_body
        if vault_factory is None:
            from dlp.redact import Vault

            vault_factory = Vault
        self.vault_factory = vault_factory

    # ----------------------------------------------------------------- verdicts

    def block(self, family: str, status: int, message: str, *, code: str = "dlp_blocked",
              decision: Any = None, note: str = "") -> Verdict:
        details = _details(decision) if decision is not None else None
        return Verdict(Action.BLOCK, b"", status=status, decision=decision, note=note or message,
                       error=error_body(family, status, message, code=code, details=details),
                       findings=len(decision.findings) if decision is not None else 0)

    def inspect(self, route: Route, body: bytes, *, destination: str | None,
                content_encoding: str | None = None, vault: Any = None) -> Verdict:
        """Never raises: every failure is a block (or, fail-open, the original body)."""
        try:
            return self._inspect(route, body, destination=destination, content_encoding=content_encoding,
                                 vault=vault)
        except BodyError as exc:
            return self.block(route.family, exc.status, f"dlp: {exc}; the request was not sent",
                              code="dlp_unreadable_body")
        except Exception as exc:  # noqa: BLE001 - fail-closed is the point
            from dlp.errors import InputError

            if isinstance(exc, InputError):
                return self.block(route.family, 413 if "larger" in str(exc) else 400,
                                  f"dlp: {exc}; the request was not sent", code="dlp_unreadable_body")
            # the class and where it happened, never the message: it could quote content
            tb = exc.__traceback__
            while tb is not None and tb.tb_next is not None:
                tb = tb.tb_next
            where = f" at {tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb is not None else ""
            log.error("dlp proxy: internal error while checking %s: %s%s", route.name,
                      exc.__class__.__name__, where)
            if self.fail_open:
                return Verdict(Action.ALLOW, body, note="internal error; forwarded unchecked (fail-open)")
            return self.block(route.family, 500, "dlp: internal error while checking the request; it was "
                              "not sent (fail-closed)", code="dlp_internal_error", note="internal error")

    def _inspect(self, route: Route, body: bytes, *, destination: str | None, content_encoding: str | None,
                 vault: Any) -> Verdict:
        if len(body) > self.max_body:
            raise BodyError(f"request body: larger than {self.max_body} bytes", 413)
        raw = decode_body(body, content_encoding, limit=self.max_body)
        decoded = raw is not body
        if not raw.strip():
            return Verdict(Action.ALLOW, raw, changed=decoded)
        if route.kind is None:
            return self._inspect_text(route, raw, destination=destination, decoded=decoded)
        try:
            payload = json.loads(raw)
        except ValueError:
            raise BodyError(f"{route.name} request body is not JSON") from None
        if not isinstance(payload, dict):
            raise BodyError(f"{route.name} request body is not a JSON object")
        vault = vault if vault is not None else self.vault_factory()
        if route.kind == "gemini":
            inner, wrapped = gemini_inner(payload)
            decision, new_inner = self.egress.redact_payload(inner, "gemini", vault, destination=destination)
            if new_inner is inner:
                new_payload = payload
            else:
                new_payload = {**payload, "request": new_inner} if wrapped else new_inner
        else:
            decision, new_payload = self.egress.redact_payload(payload, route.kind, vault, destination=destination)
        action = decision.action
        if action is Action.BLOCK:
            return self.block(route.family, BLOCK_STATUS, _block_message(decision), decision=decision,
                              note="; ".join(decision.reasons[:3]))
        # redact_payload hands back the payload itself when it replaced nothing: the original bytes go on
        if action is Action.REDACT and new_payload is not payload:
            out = json.dumps(new_payload, ensure_ascii=False).encode("utf-8")
            return Verdict(Action.REDACT, out, changed=True, vault=vault, decision=decision,
                           findings=len(decision.findings), note=f"{len(vault)} value(s) redacted")
        return Verdict(Action.ALLOW, raw, changed=decoded, decision=decision, findings=len(decision.findings),
                       vault=vault if len(vault) else None)

    def _inspect_text(self, route: Route, raw: bytes, *, destination: str | None, decoded: bool) -> Verdict:
        text = raw.decode("utf-8", "replace")
        decision = self.egress.check_text(text, destination=destination)
        if decision.action is Action.ALLOW:
            return Verdict(Action.ALLOW, raw, changed=decoded, decision=decision, findings=len(decision.findings))
        message = _block_message(decision)
        if decision.action is Action.REDACT:
            message += " (dlp redacts only the chat, Responses, Messages and Gemini APIs; other routes are blocked)"
        return self.block(route.family, BLOCK_STATUS, message, decision=decision,
                          note="; ".join(decision.reasons[:3]))

    # ----------------------------------------------------------------- /v1/scan

    def scan_service(self, request: Any) -> tuple[int, dict[str, Any]]:
        """The ``/v1/scan`` endpoint: ``{"text": ...}`` or ``{"payload": ..., "kind": ...}``,
        optional ``"destination"`` and ``"redact": true``. Answers the decision
        record (masked findings, never values) plus ``verdict`` (false when blocked)."""
        if not isinstance(request, dict):
            return 400, {"error": {"message": "expected a JSON object with 'text' or 'payload'"}}
        destination = request.get("destination")
        if destination is not None and not isinstance(destination, str):
            return 400, {"error": {"message": "'destination' must be a string"}}
        redact = request.get("redact") is True
        try:
            if isinstance(request.get("text"), str):
                if redact:
                    vault = self.vault_factory()
                    decision, text = self.egress.redact_text(request["text"], vault, destination=destination)
                    record = decision.to_record()
                    if decision.action is not Action.BLOCK:
                        record["redacted"] = {"text": text}
                else:
                    record = self.egress.check_text(request["text"], destination=destination).to_record()
            elif isinstance(request.get("payload"), dict):
                kind = request.get("kind")
                if not isinstance(kind, str):
                    return 400, {"error": {"message": "'kind' is required with 'payload' "
                                           "(openai, openai-responses, anthropic, gemini)"}}
                if redact:
                    vault = self.vault_factory()
                    decision, payload = self.egress.redact_payload(request["payload"], kind, vault,
                                                                   destination=destination)
                    record = decision.to_record()
                    if decision.action is not Action.BLOCK:
                        record["redacted"] = {"payload": payload}
                else:
                    record = self.egress.check_payload(request["payload"], kind, destination=destination).to_record()
            else:
                return 400, {"error": {"message": "expected 'text' (a string) or 'payload' (an object)"}}
        except Exception as exc:  # noqa: BLE001
            from dlp.errors import DlpError

            if isinstance(exc, DlpError):
                return 400, {"error": {"message": str(exc)}}
            log.error("dlp proxy: internal error in /v1/scan: %s", exc.__class__.__name__)
            return 500, {"error": {"message": "dlp: internal error"}, "verdict": self.fail_open}
        record["verdict"] = record["decision"] != "block"
        return 200, record


class ResponseVaults:
    """Responses API ``previous_response_id``: the conversation lives on the provider,
    so the vault of the turn that produced a response id serves the next turn
    (placeholders the model repeats from earlier turns are restored, and numbering
    goes on). Bounded: ``max_entries`` ids, each kept ``ttl`` seconds."""

    def __init__(self, *, max_entries: int = 4096, ttl: float = 3600.0) -> None:
        self.max_entries = max_entries
        self.ttl = ttl
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, response_id: str) -> Any:
        item = self._items.get(response_id)
        if item is None:
            return None
        if time.monotonic() - item[0] > self.ttl:
            del self._items[response_id]
            return None
        return item[1]

    def put(self, response_id: str, vault: Any) -> None:
        self._items[response_id] = (time.monotonic(), vault)
        self._items.move_to_end(response_id)
        while len(self._items) > self.max_entries:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def previous_response_id(body: bytes) -> str | None:
    if b"previous_response_id" not in body:
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    value = doc.get("previous_response_id") if isinstance(doc, dict) else None
    return value if isinstance(value, str) else None


def _block_message(decision: Any) -> str:
    return (f"dlp blocked this request before it left the machine: {decision.summary(3)}. "
            "Remove the value (or ask for a policy exception) and try again.")


__all__ = ["ANTHROPIC", "BLOCK_STATUS", "BodyError", "GEMINI", "Gate", "OPENAI", "ResponseVaults", "Verdict",
           "decode_body", "previous_response_id"]
