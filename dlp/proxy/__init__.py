"""Proxy filter stages: the built-in reverse proxy and the pieces the LiteLLM
guardrail and the mitmproxy addon share with it.

    gate       request side: allow / redact / block one body (fail-closed)
    providers  routes (which API a path is) and errors in each provider's shape
    restore    response side: restore placeholders in JSON bodies and SSE streams
    sse        incremental SSE parser that keeps unchanged events byte for byte
    server     ``dlp proxy`` (aiohttp, imported only when asked for)

Only ``server`` needs aiohttp; the rest is pure Python, so the mitmproxy addon
can use it inside mitmproxy's own environment.
"""
from __future__ import annotations

from dlp.proxy.gate import Gate, Verdict
from dlp.proxy.providers import Route, classify, error_body, error_object
from dlp.proxy.restore import SSERestorer, restore_body, restore_json

__all__ = ["Gate", "Route", "SSERestorer", "Verdict", "classify", "error_body", "error_object", "restore_body",
           "restore_json"]
