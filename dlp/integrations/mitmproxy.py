"""dlp as a mitmproxy addon: redact or block requests to model APIs, restore the answers.

    mitmdump -s "$(dlp integrations path mitmproxy)" --mode reverse:https://api.anthropic.com
    mitmdump -s "$(dlp integrations path mitmproxy)"            # regular proxy (HTTPS_PROXY=...)

Options (``--set name=value``):

    dlp_config     policy file (default: .dlp.yaml found from the working directory)
    dlp_engine     auto | hyperscan | python
    dlp_hosts      more hosts to filter, comma separated, globs allowed (``*.example.com``)
    dlp_all_hosts  filter every host (default: the model API hosts, the hosts the policy
                   names under ``destinations``, and every request in reverse mode)
    dlp_on_error   block | allow: what to do when dlp itself fails (default: the policy's
                   ``on_error``, else block)

Requests to the hosts in scope go through the same gate as ``dlp proxy``: a block
is answered here, in the provider's error shape, and never reaches the host; a
redacted request keeps its vault in ``flow.metadata``. Answers to redacted
requests are restored: SSE streams chunk by chunk through ``flow.response.stream``
(placeholders split across chunks included), JSON bodies whole. Nothing here
needs aiohttp: mitmproxy's own environment only needs dlp and its core packages.
"""
from __future__ import annotations

import asyncio
import fnmatch
import json
import logging
from typing import Any

from mitmproxy import ctx, http

from dlp.proxy.gate import Gate, ResponseVaults, previous_response_id
from dlp.proxy.providers import PROVIDER_HOSTS, classify
from dlp.proxy.restore import SSERestorer, restore_body

log = logging.getLogger("dlp.mitmproxy")

_VAULT = "dlp_vault"
_ROUTE = "dlp_route"
_INLINE_SCAN = 64 * 1024


class DlpAddon:
    def __init__(self, egress: Any = None) -> None:
        self._egress = egress  # tests and embedders may hand one in
        self._given = egress is not None
        self._gate: Gate | None = None
        self._hosts: tuple[str, ...] = PROVIDER_HOSTS
        self._response_vaults = ResponseVaults()  # Responses API previous_response_id -> vault

    # ----------------------------------------------------------------- options

    def load(self, loader: Any) -> None:
        loader.add_option("dlp_config", str, "", "dlp policy file (default: .dlp.yaml found from the cwd)")
        loader.add_option("dlp_engine", str, "auto", "dlp matcher engine: auto, hyperscan or python")
        loader.add_option("dlp_hosts", str, "", "More hosts for dlp to filter (comma separated, globs)")
        loader.add_option("dlp_all_hosts", bool, False, "dlp filters requests to every host")
        loader.add_option("dlp_on_error", str, "", "block or allow when dlp fails (default: policy on_error)")

    def configure(self, updated: set[str]) -> None:
        if updated & {"dlp_config", "dlp_engine", "dlp_hosts", "dlp_on_error"} or self._gate is None:
            self._setup(updated)

    def _setup(self, updated: set[str]) -> None:
        from pathlib import Path

        from dlp.egress import Egress

        opts = ctx.options
        if not self._given and (self._egress is None or updated & {"dlp_config", "dlp_engine"}):
            config = Path(opts.dlp_config) if opts.dlp_config else None
            self._egress = Egress.from_config(config, cwd=Path.cwd(), engine=opts.dlp_engine or "auto")
            self._egress.check_text("dlp warm-up")  # compile now, not on the first request
        on_error = (opts.dlp_on_error or "").strip().lower()
        fail_open = None if not on_error else on_error == "allow"
        self._gate = Gate(self._egress, fail_open=fail_open)
        hosts = list(PROVIDER_HOSTS)
        for dest in getattr(getattr(self._egress, "policy", None), "destinations", ()) or ():
            host = getattr(dest, "host", None)
            if host and host != "*":
                hosts.append(host)
        hosts.extend(h.strip().lower() for h in opts.dlp_hosts.split(",") if h.strip())
        self._hosts = tuple(dict.fromkeys(hosts))

    # ----------------------------------------------------------------- scope

    def in_scope(self, flow: http.HTTPFlow) -> bool:
        if ctx.options.dlp_all_hosts:
            return True
        mode = getattr(flow.client_conn, "proxy_mode", None)
        if mode is not None and getattr(mode, "type_name", "") == "reverse":
            return True
        host = (flow.request.pretty_host or flow.request.host or "").lower()
        return any(host == h or ("*" in h and fnmatch.fnmatchcase(host, h)) for h in self._hosts)

    # ----------------------------------------------------------------- request

    async def request(self, flow: http.HTTPFlow) -> None:
        if flow.response is not None or not self.in_scope(flow):
            return
        assert self._gate is not None
        route = classify(flow.request.path.split("?", 1)[0], dict(flow.request.headers))
        try:
            body = flow.request.get_content(strict=True) or b""
        except ValueError:  # a content encoding mitmproxy cannot decode
            verdict = self._gate.block(route.family, 415, "dlp: the request body's content encoding cannot be "
                                       "read; it was not sent", code="dlp_unreadable_body")
        else:
            if not body and flow.request.method in ("GET", "HEAD", "DELETE", "OPTIONS"):
                return
            destination = flow.request.pretty_host or flow.request.host
            vault = None
            if route.kind == "openai-responses":
                previous = previous_response_id(body)
                vault = self._response_vaults.get(previous) if previous else None
            if len(body) > _INLINE_SCAN:
                verdict = await asyncio.to_thread(self._gate.inspect, route, body, destination=destination,
                                                  vault=vault)
            else:
                verdict = self._gate.inspect(route, body, destination=destination, vault=vault)
        if verdict.blocked:
            # host and path only: a query string can hold an API key (Gemini's ?key=)
            log.warning("dlp blocked %s %s%s: %s", flow.request.method, flow.request.pretty_host,
                        flow.request.path.split("?", 1)[0], verdict.note)
            flow.response = http.Response.make(verdict.status, verdict.error, {
                "Content-Type": "application/json", "x-dlp-decision": "block"})
            return
        if verdict.changed:
            flow.request.headers.pop("content-encoding", None)
            flow.request.content = verdict.body
        if verdict.restoring:
            flow.metadata[_VAULT] = verdict.vault
            flow.metadata[_ROUTE] = route
            flow.request.headers["accept-encoding"] = "identity"  # so streamed chunks arrive readable

    # ----------------------------------------------------------------- response

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        vault = flow.metadata.get(_VAULT)
        if vault is None or flow.response is None:
            return
        content_type = flow.response.headers.get("content-type", "").lower()
        if not content_type.startswith("text/event-stream"):
            return  # buffered: restored whole in response()
        if flow.response.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
            log.warning("dlp: %s answered an encoded stream; placeholders stay", flow.request.pretty_host)
            return
        restorer = SSERestorer(flow.metadata[_ROUTE].kind, vault)

        def restore(chunk: bytes) -> list[bytes]:
            # never hand back b"" mid-stream: mitmproxy would send it as the chunked terminator
            if chunk:
                out = restorer.feed(chunk)
            else:
                out = restorer.flush()
                self._remember(flow, getattr(restorer.handler, "response_id", None))
            return [out] if out else []

        flow.response.stream = restore

    def response(self, flow: http.HTTPFlow) -> None:
        vault = flow.metadata.get(_VAULT)
        if vault is None or flow.response is None or flow.response.stream:
            return
        try:
            body = flow.response.get_content(strict=True)
        except ValueError:
            return
        if body:
            restored = restore_body(body, vault)
            if restored is not body:
                flow.response.content = restored
            if flow.metadata[_ROUTE].kind == "openai-responses" and flow.response.status_code == 200:
                try:
                    self._remember(flow, json.loads(restored).get("id"))
                except (ValueError, AttributeError):
                    pass

    def _remember(self, flow: http.HTTPFlow, response_id: Any) -> None:
        route = flow.metadata.get(_ROUTE)
        if route is not None and route.kind == "openai-responses" and isinstance(response_id, str):
            self._response_vaults.put(response_id, flow.metadata[_VAULT])


addons = [DlpAddon()]
