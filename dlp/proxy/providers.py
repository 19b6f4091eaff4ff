"""Provider adapters: which request is which API, and errors in each provider's shape.

A route is recognised by its path (any prefix, so Azure deployments, DashScope's
``/compatible-mode/v1`` and gateways' own prefixes work):

==========================  =====================  =========
path ends with              payload kind           family
==========================  =====================  =========
``/chat/completions``       ``openai``             openai
``/responses``              ``openai-responses``   openai
``/messages``               ``anthropic``          anthropic
``/messages/count_tokens``  ``anthropic``          anthropic
``:generateContent``        ``gemini``             gemini
``:streamGenerateContent``  ``gemini``             gemini
``:countTokens``            ``gemini``             gemini
anything else with a body   ``None`` (raw text)    guessed
==========================  =====================  =========

Errors are answered the way the provider itself answers, so that SDKs raise
their usual exception and assistants show the message:

- OpenAI: ``{"error": {"message", "type", "param", "code"}}``
- Anthropic: ``{"type": "error", "error": {"type", "message"}}``
- Gemini: ``{"error": {"code", "message", "status"}}``
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

OPENAI = "openai"
ANTHROPIC = "anthropic"
GEMINI = "gemini"
FAMILIES = (OPENAI, ANTHROPIC, GEMINI)

# Hosts of the assistants' model APIs (the mitmproxy addon's default scope).
PROVIDER_HOSTS: tuple[str, ...] = (
    "api.openai.com",
    "*.openai.azure.com",
    "api.anthropic.com",
    "generativelanguage.googleapis.com",
    "cloudcode-pa.googleapis.com",
    "*-aiplatform.googleapis.com",
    "aiplatform.googleapis.com",
    "dashscope.aliyuncs.com",
    "dashscope-intl.aliyuncs.com",
    "api.mistral.ai",
    "api.deepseek.com",
    "api.groq.com",
    "api.x.ai",
    "api.together.xyz",
    "api.fireworks.ai",
    "openrouter.ai",
    "api.moonshot.ai",
    "api.moonshot.cn",
    "open.bigmodel.cn",
    "api.cohere.com",
    "api.githubcopilot.com",
    "chatgpt.com",
)


@dataclass(frozen=True, slots=True)
class Route:
    kind: str | None  # payload kind for Egress (None: scan the body as text)
    family: str  # error shape
    name: str  # for logs and metrics

    @property
    def known(self) -> bool:
        return self.kind is not None


_SUFFIXES: tuple[tuple[str, Route], ...] = (
    ("/chat/completions", Route("openai", OPENAI, "openai-chat")),
    ("/responses", Route("openai-responses", OPENAI, "openai-responses")),
    ("/messages/count_tokens", Route("anthropic", ANTHROPIC, "anthropic-count-tokens")),
    ("/messages", Route("anthropic", ANTHROPIC, "anthropic-messages")),
    (":generatecontent", Route("gemini", GEMINI, "gemini-generate")),
    (":streamgeneratecontent", Route("gemini", GEMINI, "gemini-stream")),
    (":counttokens", Route("gemini", GEMINI, "gemini-count-tokens")),
)


def classify(path: str, headers: Mapping[str, str] | None = None) -> Route:
    """The route for a request path (without the query string)."""
    lowered = path.lower().rstrip("/")
    for suffix, route in _SUFFIXES:
        if lowered.endswith(suffix):
            return route
    return Route(None, guess_family(path, headers), "other")


def guess_family(path: str, headers: Mapping[str, str] | None = None) -> str:
    lowered = path.lower()
    if headers is not None:
        keys = {k.lower() for k in headers}
        if "anthropic-version" in keys or "x-api-key" in keys and "authorization" not in keys:
            return ANTHROPIC
        if "x-goog-api-key" in keys:
            return GEMINI
    if ":" in lowered.rsplit("/", 1)[-1] or "/v1beta/" in lowered or "/v1internal" in lowered:
        return GEMINI
    if "/messages" in lowered or "/complete" == lowered[-9:]:
        return ANTHROPIC
    return OPENAI


def is_streaming_request(route: Route, path: str, query: Mapping[str, str], payload: Any) -> bool:
    if route.family == GEMINI:
        return path.lower().rstrip("/").endswith(":streamgeneratecontent")
    return isinstance(payload, dict) and payload.get("stream") is True


def gemini_inner(payload: Any) -> tuple[Any, bool]:
    """Gemini Code Assist (``v1internal``) wraps the request as ``{"request": {...}}``."""
    if isinstance(payload, dict) and "contents" not in payload and isinstance(payload.get("request"), dict):
        return payload["request"], True
    return payload, False


# --------------------------------------------------------------------------- errors

_ANTHROPIC_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
                    404: "not_found_error", 413: "request_too_large", 415: "invalid_request_error",
                    429: "rate_limit_error", 529: "overloaded_error", 504: "timeout_error"}
_OPENAI_TYPES = {400: "invalid_request_error", 401: "invalid_request_error", 403: "permission_error",
                 404: "invalid_request_error", 413: "invalid_request_error", 415: "invalid_request_error",
                 429: "rate_limit_exceeded"}
_GEMINI_STATUS = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                  413: "INVALID_ARGUMENT", 415: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED",
                  500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}


def error_object(family: str, status: int, message: str, *, code: str = "dlp_error",
                 details: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON body a provider of ``family`` would send with ``status``.

    ``details`` (value-free: rule ids, masked values) go under ``error.dlp``;
    SDKs ignore unknown keys."""
    if family == ANTHROPIC:
        error: dict[str, Any] = {"type": _ANTHROPIC_TYPES.get(status, "api_error"), "message": message}
        body: dict[str, Any] = {"type": "error", "error": error}
    elif family == GEMINI:
        error = {"code": status, "message": message, "status": _GEMINI_STATUS.get(status, "UNKNOWN")}
        body = {"error": error}
    else:
        error = {"message": message, "type": _OPENAI_TYPES.get(status, "server_error"), "param": None,
                 "code": code}
        body = {"error": error}
    if details:
        error["dlp"] = dict(details)
    return body


def error_body(family: str, status: int, message: str, *, code: str = "dlp_error",
               details: Mapping[str, Any] | None = None) -> bytes:
    return json.dumps(error_object(family, status, message, code=code, details=details),
                      ensure_ascii=False).encode("utf-8")


def stream_error_event(route: Route, message: str, *, status: int = 502, code: str = "upstream_error") -> bytes:
    """An SSE event that makes each SDK raise, for a failure after the headers went out."""
    from dlp.proxy.sse import serialize

    if route.family == ANTHROPIC:
        return serialize(event="error", data=error_object(ANTHROPIC, status, message))
    if route.family == GEMINI:
        return serialize(data=error_object(GEMINI, status, message))
    if route.kind == "openai-responses":
        error = error_object(OPENAI, status, message, code=code)["error"]
        return serialize(event="error", data={"type": "error", "code": code, "message": message, "param": None,
                                              "error": error})
    return serialize(data=error_object(OPENAI, status, message, code=code))
