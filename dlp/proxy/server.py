"""``dlp proxy``: an asynchronous reverse proxy in front of one model API.

    client ──> dlp proxy ──(redacted request)──> upstream (api.anthropic.com, ...)
           <── restored answer, streamed chunk by chunk <──

Every request body goes through :class:`dlp.proxy.gate.Gate` (destination =
the upstream host). A block is answered at once, in the provider's error
shape, and upstream is never contacted. A redacted request keeps its vault for
the answer: JSON bodies are restored whole, SSE streams event by event with
:class:`dlp.proxy.restore.SSERestorer`; answers to requests where nothing was
redacted pass through untouched.

Bounds: request bodies (``max_body``), buffered JSON answers (``max_response``;
past it the rest streams unrestored, which is safe: it holds placeholders, not
values), SSE events (``max_event``), upstream connect and idle-read timeouts.

Routes of its own: ``POST /v1/scan`` (dlp as a service for other gateways) and
``GET /dlp/health``. With a token, every request must carry it in
``X-DLP-Token`` or ``Proxy-Authorization: Bearer``; ``/v1/scan`` also accepts
``Authorization: Bearer``. Token headers are never forwarded.
"""
from __future__ import annotations

import asyncio
import gc
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from multidict import CIMultiDict
from yarl import URL
from aiohttp import ClientError, ClientSession, ClientTimeout, DummyCookieJar, TCPConnector, web

from dlp.model import Action
from dlp.proxy.gate import DEFAULT_MAX_BODY, Gate, ResponseVaults, Verdict, previous_response_id
from dlp.proxy.providers import Route, classify, error_body, stream_error_event
from dlp.proxy.restore import SSERestorer, restore_body
from dlp.proxy.sse import DEFAULT_MAX_EVENT, SSEError

log = logging.getLogger("dlp.proxy")

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
    "trailer", "trailers", "transfer-encoding", "upgrade", "expect",
})
_NOT_FORWARDED = HOP_BY_HOP | {"host", "content-length", "content-encoding", "accept-encoding", "x-dlp-token"}
_NOT_RETURNED = HOP_BY_HOP | {"content-length", "content-encoding", "server", "date"}
_INLINE_SCAN = 64 * 1024  # bodies up to this are checked on the event loop; larger ones in a thread
_SMALL_BODY = 1024 * 1024  # answers up to this (with a Content-Length) are sent in one write


@dataclass(frozen=True, slots=True)
class ProxySettings:
    upstream: str
    token: str | None = None
    max_body: int = DEFAULT_MAX_BODY
    max_response: int = 64 * 1024 * 1024
    max_event: int = DEFAULT_MAX_EVENT
    connect_timeout: float = 10.0
    read_timeout: float = 600.0  # silence allowed between two chunks of an answer
    max_connections: int = 1024
    fail_open: bool | None = None

    @property
    def upstream_host(self) -> str:
        return urlsplit(self.upstream).hostname or ""


class _Proxy:
    def __init__(self, settings: ProxySettings, gate: Gate) -> None:
        self.settings = settings
        self.gate = gate
        self.response_vaults = ResponseVaults()
        self.base = settings.upstream.rstrip("/")
        self.destination = settings.upstream_host
        self.session: ClientSession | None = None
        self.stats = {"requests": 0, "blocked": 0, "redacted": 0, "upstream_errors": 0, "active": 0}

    async def start(self, app: web.Application | None = None) -> None:
        self.session = ClientSession(
            connector=TCPConnector(limit=self.settings.max_connections, limit_per_host=0, ttl_dns_cache=300),
            timeout=ClientTimeout(total=None, connect=self.settings.connect_timeout,
                                  sock_read=self.settings.read_timeout),
            auto_decompress=True,
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
            # one session serves every client: cookies an upstream sets (load balancer and bot
            # management cookies) go back to the client that got them, never to the others
            cookie_jar=DummyCookieJar(),
        )

    async def stop(self, app: web.Application | None = None) -> None:
        if self.session is not None:
            await self.session.close()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """The one entry point: its own two routes, everything else forwarded."""
        path = request.path
        if path == "/v1/scan" and request.method == "POST":
            return await self.scan(request)
        if path == "/dlp/health" and request.method in ("GET", "HEAD"):
            return await self.health(request)
        return await self.forward(request)

    # ----------------------------------------------------------------- auth

    def _authorized(self, request: web.BaseRequest, *, allow_authorization: bool = False) -> bool:
        token = self.settings.token
        if not token:
            return True
        offered = [request.headers.get("X-DLP-Token", "")]
        for name in ("Proxy-Authorization", *(("Authorization",) if allow_authorization else ())):
            value = request.headers.get(name, "")
            if value[:7].lower() == "bearer ":
                offered.append(value[7:].strip())
        return any(o and hmac.compare_digest(o.encode(), token.encode()) for o in offered)

    # ----------------------------------------------------------------- own routes

    async def health(self, request: web.BaseRequest) -> web.Response:
        return web.json_response({"status": "ok", "upstream": self.destination, **self.stats})

    async def scan(self, request: web.BaseRequest) -> web.Response:
        if not self._authorized(request, allow_authorization=True):
            return web.json_response({"error": {"message": "dlp: missing or wrong token"}}, status=401)
        try:
            raw = await request.read()
            doc = json.loads(raw)
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"error": {"message": f"body larger than {self.settings.max_body} bytes"}},
                                     status=413)
        except ValueError:
            return web.json_response({"error": {"message": "body is not JSON"}}, status=400)
        if len(raw) > _INLINE_SCAN:
            status, record = await asyncio.get_running_loop().run_in_executor(None, self.gate.scan_service, doc)
        else:
            status, record = self.gate.scan_service(doc)
        return web.json_response(record, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False))

    # ----------------------------------------------------------------- forwarding

    async def forward(self, request: web.BaseRequest) -> web.StreamResponse:
        started = time.monotonic()
        route = classify(request.path, request.headers)
        stats = self.stats
        stats["requests"] += 1
        stats["active"] += 1
        try:
            response = await self._forward(request, route)
        finally:
            stats["active"] -= 1
        if log.isEnabledFor(logging.INFO):
            log.info("%s %s -> %s %s (%.1f ms)", request.method, request.path, route.name, response.status,
                     (time.monotonic() - started) * 1000)
        return response

    def _error(self, route: Route, status: int, message: str, *, code: str) -> web.Response:
        return web.Response(status=status, body=error_body(route.family, status, message, code=code),
                            content_type="application/json", headers={"x-dlp-decision": "error"})

    async def _forward(self, request: web.BaseRequest, route: Route) -> web.StreamResponse:
        if not self._authorized(request):
            return self._error(route, 401, "dlp proxy: missing or wrong token (X-DLP-Token)", code="dlp_unauthorized")
        try:
            body = await request.read() if request.body_exists else b""
        except web.HTTPRequestEntityTooLarge:
            return self._error(route, 413, f"dlp proxy: request body larger than {self.settings.max_body} bytes; "
                               "it was not sent", code="dlp_request_too_large")
        vault = None
        if route.kind == "openai-responses":
            previous = previous_response_id(body)
            vault = self.response_vaults.get(previous) if previous else None
        verdict = await self._inspect(request, route, body, vault)
        if verdict.blocked:
            self.stats["blocked"] += 1
            log.warning("blocked %s %s: %s", request.method, request.path, verdict.note)
            return web.Response(status=verdict.status, body=verdict.error, content_type="application/json",
                                headers={"x-dlp-decision": "block"})
        if verdict.action is Action.REDACT:
            self.stats["redacted"] += 1
        headers = self._upstream_headers(request, verdict)
        url = URL(self.base + request.raw_path, encoded=True)  # the client's path and query, as sent
        assert self.session is not None
        try:
            upstream = await self.session.request(
                request.method, url, headers=headers, data=verdict.body if body or verdict.changed else None,
                allow_redirects=False)
        except asyncio.TimeoutError:
            self.stats["upstream_errors"] += 1
            return self._error(route, 504, f"dlp proxy: upstream {self.destination} did not answer in time",
                               code="upstream_timeout")
        except ClientError as exc:
            self.stats["upstream_errors"] += 1
            return self._error(route, 502, f"dlp proxy: cannot reach upstream {self.destination}: "
                               f"{exc.__class__.__name__}", code="upstream_unreachable")
        try:
            return await self._respond(request, route, verdict, upstream)
        finally:
            upstream.release()

    async def _inspect(self, request: web.BaseRequest, route: Route, body: bytes, vault: Any = None) -> Verdict:
        encoding = request.headers.get("Content-Encoding")
        if encoding and body[:1] in (b"{", b"["):
            encoding = None  # already decoded by a server running with aiohttp's auto_decompress
        if len(body) > _INLINE_SCAN:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, lambda: self.gate.inspect(
                route, body, destination=self.destination, content_encoding=encoding, vault=vault))
        return self.gate.inspect(route, body, destination=self.destination, content_encoding=encoding, vault=vault)

    def _remember_response(self, route: Route, verdict: Verdict, response_id: Any) -> None:
        if route.kind == "openai-responses" and verdict.restoring and isinstance(response_id, str):
            self.response_vaults.put(response_id, verdict.vault)

    def _upstream_headers(self, request: web.BaseRequest, verdict: Verdict) -> list[tuple[str, str]]:
        """The client's headers minus hop-by-hop ones (repeated headers stay repeated, in order),
        as pairs: the client session builds its one multidict from them."""
        headers = request.headers
        connection = headers.get("Connection")
        dropped = _NOT_FORWARDED | {t.strip().lower() for t in connection.split(",")} if connection else _NOT_FORWARDED
        out = [(k, v) for k, v in headers.items() if k.lower() not in dropped]
        encoding = headers.get("Content-Encoding")
        if encoding is not None and not verdict.changed:
            out.append(("Content-Encoding", encoding))  # dropped above: only one may go on
        out.append(("Accept-Encoding", "identity"))
        return out

    def _response_headers(self, upstream: Any, verdict: Verdict) -> list[tuple[str, str]]:
        connection = upstream.headers.get("Connection")
        dropped = _NOT_RETURNED | {t.strip().lower() for t in connection.split(",")} if connection else _NOT_RETURNED
        headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in dropped]
        headers.append(("x-dlp-decision", str(verdict.action)))
        return headers

    async def _respond(self, request: web.BaseRequest, route: Route, verdict: Verdict,
                       upstream: Any) -> web.StreamResponse:
        content_type = upstream.headers.get("Content-Type", "")
        is_sse = content_type.lower().startswith("text/event-stream")
        restoring = verdict.restoring
        length = upstream.headers.get("Content-Length")
        if restoring and not is_sse and "json" in content_type.lower() or \
                not is_sse and length is not None and length.isdigit() and int(length) <= _SMALL_BODY:
            # one write for small answers (and whole JSON bodies to restore)
            return await self._respond_json(request, route, verdict, upstream)
        response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
        for name, value in self._response_headers(upstream, verdict):
            response.headers.add(name, value)
        if not is_sse and length is not None and "Content-Encoding" not in upstream.headers and not restoring:
            response.content_length = int(length)
        await response.prepare(request)
        restorer = SSERestorer(route.kind, verdict.vault, max_event=self.settings.max_event) \
            if restoring and is_sse else None
        try:
            async for chunk in upstream.content.iter_any():
                out = restorer.feed(chunk) if restorer is not None else chunk
                if out:
                    await response.write(out)
            if restorer is not None:
                tail = restorer.flush()
                if tail:
                    await response.write(tail)
                self._remember_response(route, verdict, getattr(restorer.handler, "response_id", None))
        except ConnectionResetError:  # the client went away: drop the upstream stream too
            upstream.close()
            return response
        except (asyncio.TimeoutError, ClientError, SSEError) as exc:
            self.stats["upstream_errors"] += 1
            what = "went silent" if isinstance(exc, asyncio.TimeoutError) else "failed"
            message = f"dlp proxy: upstream {self.destination} {what} mid-answer ({exc.__class__.__name__})"
            log.warning("%s %s: %s", request.method, request.path, message)
            if is_sse:
                try:
                    await response.write(stream_error_event(route, message, status=504 if what == "went silent"
                                                            else 502))
                except ConnectionResetError:
                    return response
            else:
                # a truncated plain body: close without the final chunk, so the client sees the cut
                if request.transport is not None:
                    request.transport.close()
                return response
        await response.write_eof()
        return response

    async def _respond_json(self, request: web.BaseRequest, route: Route, verdict: Verdict,
                            upstream: Any) -> web.StreamResponse:
        limit = self.settings.max_response
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in upstream.content.iter_any():
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    break
        except asyncio.TimeoutError:
            self.stats["upstream_errors"] += 1
            return self._error(route, 504, f"dlp proxy: upstream {self.destination} did not answer in time",
                               code="upstream_timeout")
        except ClientError as exc:
            self.stats["upstream_errors"] += 1
            return self._error(route, 502, f"dlp proxy: upstream {self.destination} failed mid-answer: "
                               f"{exc.__class__.__name__}", code="upstream_error")
        headers = self._response_headers(upstream, verdict)
        if size > limit:  # too large to restore: send what we have and stream the rest as it is
            response = web.StreamResponse(status=upstream.status, reason=upstream.reason)
            for name, value in headers:
                response.headers.add(name, value)
            await response.prepare(request)
            for chunk in chunks:
                await response.write(chunk)
            async for chunk in upstream.content.iter_any():
                await response.write(chunk)
            await response.write_eof()
            return response
        body = b"".join(chunks)
        if verdict.restoring:
            body = restore_body(body, verdict.vault)
            if route.kind == "openai-responses" and upstream.status == 200:
                try:
                    self._remember_response(route, verdict, json.loads(body).get("id"))
                except (ValueError, AttributeError):
                    pass
        return web.Response(status=upstream.status, reason=upstream.reason, body=body,
                            headers=CIMultiDict(headers))


PROXY_KEY = web.AppKey("dlp_proxy", _Proxy)


def warm_up(egress: Any) -> None:
    """Compile the matcher now rather than on the first request."""
    egress.check_text("dlp warm-up")


class ProxyRunner(web.BaseRunner):
    """Runs the proxy on aiohttp's low-level server: one handler, no router, no
    middlewares, no access log (what ``dlp proxy`` serves; use it with a
    ``web.TCPSite``). Request bodies are never decompressed by aiohttp: the gate
    decodes them within its own size bound (no zip bombs)."""

    __slots__ = ("proxy",)

    def __init__(self, settings: ProxySettings, egress: Any, *, gate: Gate | None = None, **kwargs: Any) -> None:
        super().__init__(handle_signals=False, **kwargs)
        self.proxy = _Proxy(settings, gate or Gate(egress, fail_open=settings.fail_open, max_body=settings.max_body))

    async def shutdown(self) -> None:
        pass

    async def _make_server(self) -> web.Server:
        await self.proxy.start()
        loop = asyncio.get_running_loop()
        max_body = self.proxy.settings.max_body

        def request(message: Any, payload: Any, protocol: Any, writer: Any, task: Any) -> web.BaseRequest:
            return web.BaseRequest(message, payload, protocol, writer, task, loop, client_max_size=max_body)

        options = {"access_log": None, **self._kwargs, "auto_decompress": False}
        return web.Server(self.proxy.handle, request_factory=request, **options)

    async def _cleanup_server(self) -> None:
        await self.proxy.stop()


def make_app(settings: ProxySettings, egress: Any, *, gate: Gate | None = None) -> web.Application:
    """The proxy as an aiohttp application, for embedders that mount it in their own
    (run it with ``auto_decompress=False``); ``dlp proxy`` itself uses :class:`ProxyRunner`."""
    gate = gate or Gate(egress, fail_open=settings.fail_open, max_body=settings.max_body)
    proxy = _Proxy(settings, gate)
    app = web.Application(client_max_size=settings.max_body)
    app[PROXY_KEY] = proxy
    app.on_startup.append(proxy.start)
    app.on_cleanup.append(proxy.stop)
    app.router.add_route("*", "/{tail:.*}", proxy.handle)
    return app


async def serve(settings: ProxySettings, egress: Any, *, host: str, port: int,
                ready: Any = None) -> None:
    """Run until cancelled. ``ready(port)`` is called once listening (the rules
    are compiled before that, so the first request does not pay for it)."""
    await asyncio.get_running_loop().run_in_executor(None, warm_up, egress)
    runner = ProxyRunner(settings, egress)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=1024, reuse_address=True)
    await site.start()
    # the rules, compiled patterns and imported modules live as long as the process: move them out
    # of the garbage collector's reach, so that a full collection does not walk some 40,000
    # objects (10-20 ms) while every stream in flight waits
    gc.collect()
    gc.freeze()
    bound = port
    server = getattr(site, "_server", None)
    if server is not None and server.sockets:
        bound = server.sockets[0].getsockname()[1]
    if ready is not None:
        ready(bound)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
