"""A fake model API for the proxy tests (OpenAI chat + Responses, Anthropic Messages, Gemini).

It records every request it receives and answers by echoing back the
placeholders it saw (``<SECRET:github-pat:1>`` ...), in text and inside a
tool call's arguments, so that the proxy stage under test has to restore
them. Streams are cut into tiny chunks (a placeholder always spans several)
with keep-alive comments and pings between them. An Anthropic ``thinking``
block carrying a placeholder-looking string checks that reasoning is left
untouched.

Request headers steer it: ``x-fake-delay: SECONDS`` (wait before answering),
``x-fake-fail: 500`` (answer an error), ``x-fake-fail: drop`` (cut the stream
mid-way), ``x-fake-stall: SECONDS`` (go silent mid-stream), ``x-fake-set-cookie:
VALUE`` (a GET answers with ``Set-Cookie: lb=VALUE``); so do path
prefixes, for gateways that do not forward headers: ``/slow/...`` (5 s delay),
``/fail/...`` (500).

:class:`LoopThread` runs aiohttp apps on free loopback ports in a background
event loop, so that the synchronous SDK clients can call them from the test.
"""
from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

from aiohttp import web

PLACEHOLDER = re.compile(r"<(?:SECRET|PII|CODE):[a-z0-9-]+:\d+>")
THINKING_TEXT = "thinking about <SECRET:github-pat:1> stays as it is"
CHUNK = 3  # characters per streamed fragment


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    header_list: list[tuple[str, str]] = field(default_factory=list)  # repeated headers kept
    raw_path: str = ""  # path and query as sent, still percent-encoded

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class FakeUpstream:
    received: list[Received] = field(default_factory=list)
    chunk: int = CHUNK
    history: dict[Any, list[str]] = field(default_factory=dict)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    def bodies(self) -> bytes:
        return b"\n".join(r.body for r in self.received)

    def clear(self) -> None:
        self.received.clear()

    # ----------------------------------------------------------------- dispatch

    async def handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        rec = Received(request.method, request.path, request.query_string, dict(request.headers), body,
                       list(request.headers.items()), request.raw_path)
        self.received.append(rec)
        delay = float(request.headers.get("x-fake-delay", "0"))
        if request.path.startswith("/slow/"):  # for clients that cannot send headers (gateways)
            delay = max(delay, 5.0)
        if delay:
            await asyncio.sleep(delay)
        fail = "500" if request.path.startswith("/fail/") else request.headers.get("x-fake-fail", "")
        if fail.isdigit():
            return web.json_response({"error": {"message": "upstream broke", "type": "server_error"}},
                                     status=int(fail))
        if request.method in ("GET", "HEAD"):
            listing = web.json_response({"object": "list", "data": [{"id": "fake-model"}]})
            if "x-fake-set-cookie" in request.headers:
                listing.set_cookie("lb", request.headers["x-fake-set-cookie"])
            return listing
        text = body.decode("utf-8", "replace")
        seen = list(dict.fromkeys(PLACEHOLDER.findall(text)))
        doc = rec.json() if body[:1] in (b"{", b"[") else None
        path = request.path
        if path.endswith("/chat/completions"):
            return await self.openai_chat(request, doc, seen)
        if path.endswith("/responses"):
            return await self.openai_responses(request, doc, seen)
        if path.endswith("/messages"):
            return await self.anthropic(request, doc, seen)
        if ":generateContent" in path or ":streamGenerateContent" in path:
            return await self.gemini(request, doc, seen)
        return web.json_response({"ok": True, "seen": seen})

    @staticmethod
    def reply_text(seen: list[str]) -> str:
        return "echo: " + " ".join(seen) + " done"

    @staticmethod
    def tool_args(seen: list[str]) -> str:
        return json.dumps({"token": seen[0] if seen else None, "all": seen})

    def pieces(self, text: str) -> list[str]:
        return [text[i:i + self.chunk] for i in range(0, len(text), self.chunk)] or [""]

    async def _stream(self, request: web.Request, frames: list[bytes | Callable[[], Awaitable[None]]]
                      ) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await resp.prepare(request)
        fail = request.headers.get("x-fake-fail", "")
        stall = float(request.headers.get("x-fake-stall", "0"))
        for i, frame in enumerate(frames):
            if i == len(frames) // 2:
                if fail == "drop":
                    assert request.transport is not None
                    request.transport.close()
                    return resp
                if stall:
                    await asyncio.sleep(stall)
            if callable(frame):
                await frame()
            else:
                await resp.write(frame)
        await resp.write_eof()
        return resp

    # ----------------------------------------------------------------- OpenAI chat

    async def openai_chat(self, request: web.Request, doc: Any, seen: list[str]) -> web.StreamResponse:
        text = self.reply_text(seen)
        args = self.tool_args(seen)
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000,
                "model": (doc or {}).get("model", "fake")}
        if not (doc or {}).get("stream"):
            return web.json_response({
                "id": "chatcmpl-fake", "object": "chat.completion", "created": 1700000000, "model": base["model"],
                "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                    "role": "assistant", "content": text,
                    "tool_calls": [{"id": "call_1", "type": "function",
                                    "function": {"name": "lookup", "arguments": args}}]}}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

        def chunk(delta: dict, finish: str | None = None) -> bytes:
            data = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return b"data: " + json.dumps(data).encode() + b"\n\n"

        frames: list[Any] = [chunk({"role": "assistant", "content": ""}), b": keep-alive\n\n"]
        frames += [chunk({"content": p}) for p in self.pieces(text)]
        frames.append(chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                              "function": {"name": "lookup", "arguments": ""}}]}))
        frames += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": p}}]}) for p in self.pieces(args)]
        frames.append(chunk({}, "tool_calls"))
        frames.append(b"data: [DONE]\n\n")
        return await self._stream(request, frames)

    # ----------------------------------------------------------------- OpenAI Responses

    async def openai_responses(self, request: web.Request, doc: Any, seen: list[str]) -> web.StreamResponse:
        # history kept server-side: placeholders seen in the earlier turns of previous_response_id
        seen = list(dict.fromkeys(self.history.get((doc or {}).get("previous_response_id"), []) + seen))
        response_id = f"resp_{len(self.received)}"
        self.history[response_id] = seen
        text = self.reply_text(seen)
        args = self.tool_args(seen)
        model = (doc or {}).get("model", "fake")
        msg_item = {"id": "msg_1", "type": "message", "status": "completed", "role": "assistant",
                    "content": [{"type": "output_text", "text": text, "annotations": []}]}
        call_item = {"id": "fc_1", "type": "function_call", "status": "completed", "call_id": "call_1",
                     "name": "lookup", "arguments": args}
        response = {"id": response_id, "object": "response", "created_at": 1700000000, "model": model,
                    "status": "completed", "output": [msg_item, call_item], "parallel_tool_calls": True,
                    "tool_choice": "auto", "tools": [], "text": {"format": {"type": "text"}},
                    "usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2,
                              "input_tokens_details": {"cached_tokens": 0},
                              "output_tokens_details": {"reasoning_tokens": 0}}}
        if not (doc or {}).get("stream"):
            return web.json_response(response)
        seq = iter(range(10_000))

        def event(kind: str, **data: Any) -> bytes:
            payload = {"type": kind, "sequence_number": next(seq), **data}
            return f"event: {kind}\ndata: {json.dumps(payload)}\n\n".encode()

        in_progress = {**response, "status": "in_progress", "output": []}
        frames: list[Any] = [event("response.created", response=in_progress),
                             event("response.in_progress", response=in_progress),
                             event("response.output_item.added", output_index=0,
                                   item={**msg_item, "status": "in_progress", "content": []}),
                             event("response.content_part.added", item_id="msg_1", output_index=0, content_index=0,
                                   part={"type": "output_text", "text": "", "annotations": []})]
        frames += [event("response.output_text.delta", item_id="msg_1", output_index=0, content_index=0, delta=p)
                   for p in self.pieces(text)]
        frames += [event("response.output_text.done", item_id="msg_1", output_index=0, content_index=0, text=text),
                   event("response.content_part.done", item_id="msg_1", output_index=0, content_index=0,
                         part={"type": "output_text", "text": text, "annotations": []}),
                   event("response.output_item.done", output_index=0, item=msg_item),
                   event("response.output_item.added", output_index=1,
                         item={**call_item, "status": "in_progress", "arguments": ""})]
        frames += [event("response.function_call_arguments.delta", item_id="fc_1", output_index=1, delta=p)
                   for p in self.pieces(args)]
        frames += [event("response.function_call_arguments.done", item_id="fc_1", output_index=1, arguments=args),
                   event("response.output_item.done", output_index=1, item=call_item),
                   event("response.completed", response=response)]
        return await self._stream(request, frames)

    # ----------------------------------------------------------------- Anthropic

    async def anthropic(self, request: web.Request, doc: Any, seen: list[str]) -> web.StreamResponse:
        text = self.reply_text(seen)
        args = self.tool_args(seen)
        model = (doc or {}).get("model", "fake")
        thinking = {"type": "thinking", "thinking": THINKING_TEXT, "signature": "sig-abc"}
        message = {"id": "msg_1", "type": "message", "role": "assistant", "model": model,
                   "content": [thinking, {"type": "text", "text": text},
                               {"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": json.loads(args)}],
                   "stop_reason": "tool_use", "stop_sequence": None,
                   "usage": {"input_tokens": 1, "output_tokens": 1}}
        if not (doc or {}).get("stream"):
            return web.json_response(message)

        def event(kind: str, **data: Any) -> bytes:
            return f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n".encode()

        start = {**message, "content": [], "stop_reason": None}
        frames: list[Any] = [event("message_start", message=start), event("ping"),
                             event("content_block_start", index=0,
                                   content_block={"type": "thinking", "thinking": "", "signature": ""})]
        frames += [event("content_block_delta", index=0, delta={"type": "thinking_delta", "thinking": p})
                   for p in self.pieces(THINKING_TEXT)]
        frames += [event("content_block_delta", index=0, delta={"type": "signature_delta", "signature": "sig-abc"}),
                   event("content_block_stop", index=0),
                   event("content_block_start", index=1, content_block={"type": "text", "text": ""})]
        frames += [event("content_block_delta", index=1, delta={"type": "text_delta", "text": p})
                   for p in self.pieces(text)]
        frames += [event("ping"), event("content_block_stop", index=1),
                   event("content_block_start", index=2,
                         content_block={"type": "tool_use", "id": "toolu_1", "name": "lookup", "input": {}})]
        frames += [event("content_block_delta", index=2, delta={"type": "input_json_delta", "partial_json": p})
                   for p in self.pieces(args)]
        frames += [event("content_block_stop", index=2),
                   event("message_delta", delta={"stop_reason": "tool_use", "stop_sequence": None},
                         usage={"output_tokens": 5}),
                   event("message_stop")]
        return await self._stream(request, frames)

    # ----------------------------------------------------------------- Gemini

    async def gemini(self, request: web.Request, doc: Any, seen: list[str]) -> web.StreamResponse:
        text = self.reply_text(seen)
        args = json.loads(self.tool_args(seen))
        usage = {"promptTokenCount": 1, "candidatesTokenCount": 1, "totalTokenCount": 2}
        if ":streamGenerateContent" not in request.path:
            return web.json_response({"candidates": [{"index": 0, "finishReason": "STOP", "content": {
                "role": "model", "parts": [{"text": text}, {"functionCall": {"name": "lookup", "args": args}}]}}],
                "usageMetadata": usage})

        def event(parts: list[dict], finish: str | None = None) -> bytes:
            cand: dict[str, Any] = {"index": 0, "content": {"role": "model", "parts": parts}}
            if finish:
                cand["finishReason"] = finish
            return b"data: " + json.dumps({"candidates": [cand], "usageMetadata": usage}).encode() + b"\r\n\r\n"

        frames: list[Any] = [event([{"text": THINKING_TEXT, "thought": True}])]
        frames += [event([{"text": p}]) for p in self.pieces(text)]
        frames.append(event([{"functionCall": {"name": "lookup", "args": args}}], "STOP"))
        return await self._stream(request, frames)


class LoopThread:
    """An asyncio loop in a daemon thread that serves aiohttp apps on loopback."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="test-loop")
        self.thread.start()
        self.runners: list[web.BaseRunner] = []

    def run(self, coro: Awaitable[Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)  # type: ignore[arg-type]

    def serve(self, app: web.Application, port: int | None = None, **runner_options: Any) -> str:
        port = port or free_port()

        async def start() -> None:
            runner = web.AppRunner(app, access_log=None, handle_signals=False, **runner_options)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            self.runners.append(runner)

        self.run(start())
        return f"http://127.0.0.1:{port}"

    def serve_runner(self, make_runner: Any, port: int | None = None) -> str:
        """Serve what ``make_runner()`` builds (an aiohttp runner, built on this loop)."""
        port = port or free_port()

        async def start() -> None:
            runner = make_runner()
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            self.runners.append(runner)

        self.run(start())
        return f"http://127.0.0.1:{port}"

    def close(self) -> None:
        async def stop() -> None:
            for runner in reversed(self.runners):
                await runner.cleanup()

        try:
            self.run(stop(), timeout=15)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=5)


def wait_for_port(port: int, *, timeout: float = 30.0, proc: Any = None) -> None:
    """Until something listens on 127.0.0.1:port (or ``proc`` exits)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


# --------------------------------------------------------------------------- shared test data

# fake, checksum-valid (the same value as tests/conftest.py GITHUB_TOKEN)
SECRET = "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"
# a Malaysian NRIC with its keyword: the test policy blocks personal data
BLOCKED_TEXT = "my nric is 900101-14-5678"
POLICY = """\
actions:
  secret: redact
  pii: block
"""


def write_policy(directory: Any) -> Any:
    """A .dlp.yaml that redacts secrets and blocks personal data; returns its path."""
    from pathlib import Path

    path = Path(directory) / ".dlp.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return path
