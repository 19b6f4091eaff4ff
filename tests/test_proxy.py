"""`dlp proxy` end to end: real SDK clients -> dlp proxy -> fake upstream, all on loopback."""
from __future__ import annotations

import asyncio
import gzip
import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("aiohttp", reason="dlp proxy needs the 'proxy' extra (aiohttp)")
openai = pytest.importorskip("openai", reason="the end-to-end tests need the openai SDK")
anthropic = pytest.importorskip("anthropic", reason="the end-to-end tests need the anthropic SDK")
httpx = pytest.importorskip("httpx")

from fake_upstream import (  # noqa: E402
    BLOCKED_TEXT, SECRET, THINKING_TEXT, FakeUpstream, LoopThread, free_port, wait_for_port, write_policy,
)

from dlp.egress import Egress  # noqa: E402
from dlp.proxy.gate import Gate  # noqa: E402
from dlp.proxy.server import ProxyRunner, ProxySettings, make_app  # noqa: E402

PROMPT = f"deploy with token {SECRET} please"


class Stack:
    def __init__(self, loop: LoopThread, fake: FakeUpstream, upstream: str, proxy: str) -> None:
        self.loop, self.fake, self.upstream, self.proxy = loop, fake, upstream, proxy

    def add_proxy(self, egress: Any = None, **settings: Any) -> str:
        settings.setdefault("upstream", self.upstream)
        gate = settings.pop("gate", None)
        return self.loop.serve_runner(lambda: ProxyRunner(ProxySettings(**settings), egress or EGRESS[0], gate=gate))

    def openai(self, base: str | None = None, **kw: Any) -> Any:
        return openai.OpenAI(base_url=(base or self.proxy) + "/v1", api_key="sk-test", max_retries=0,
                             timeout=20, **kw)

    def anthropic(self, base: str | None = None, **kw: Any) -> Any:
        return anthropic.Anthropic(base_url=base or self.proxy, api_key="sk-ant-test", max_retries=0,
                                   timeout=20, **kw)

    def assert_clean(self) -> None:
        assert self.fake.received, "upstream was not called"
        assert SECRET.encode() not in self.fake.bodies(), "the secret reached upstream"


EGRESS: list[Any] = []


@pytest.fixture(scope="module")
def policy_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_policy(tmp_path_factory.mktemp("policy"))


@pytest.fixture(scope="module")
def stack(policy_path: Path) -> Any:
    EGRESS[:] = [Egress.from_config(policy_path, engine="python")]
    records: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    keep = _Keep(level=logging.DEBUG)
    logger = logging.getLogger("dlp")
    old_level = logger.level
    logger.addHandler(keep)
    logger.setLevel(logging.DEBUG)
    loop = LoopThread()
    fake = FakeUpstream()
    upstream = loop.serve(fake.app())
    proxy = loop.serve_runner(lambda: ProxyRunner(ProxySettings(upstream=upstream, read_timeout=5), EGRESS[0]))
    try:
        yield Stack(loop, fake, upstream, proxy)
    finally:
        loop.close()
        logger.removeHandler(keep)
        logger.setLevel(old_level)
    assert records, "the proxy logged nothing"
    assert not [r for r in records if SECRET in r or "900101-14-5678" in r], "a value reached the logs"


@pytest.fixture(autouse=True)
def _clear(request: pytest.FixtureRequest) -> None:
    if "stack" in request.fixturenames:
        request.getfixturevalue("stack").fake.clear()


def expected_args() -> dict[str, Any]:
    return {"token": SECRET, "all": [SECRET]}


# --------------------------------------------------------------------------- OpenAI chat


def test_openai_chat_redacts_request_and_restores_answer(stack: Stack) -> None:
    r = stack.openai().chat.completions.create(model="gpt-x", messages=[{"role": "user", "content": PROMPT}])
    stack.assert_clean()
    sent = stack.fake.received[0].json()
    assert "<SECRET:github-pat:1>" in sent["messages"][0]["content"]
    msg = r.choices[0].message
    assert msg.content == f"echo: {SECRET} done"
    assert json.loads(msg.tool_calls[0].function.arguments) == expected_args()


def test_openai_chat_stream_restores_split_placeholders_and_tool_arguments(stack: Stack) -> None:
    stream = stack.openai().chat.completions.create(
        model="gpt-x", messages=[{"role": "user", "content": PROMPT}], stream=True)
    text, args, chunks = "", "", 0
    for chunk in stream:
        chunks += 1
        for choice in chunk.choices:
            text += choice.delta.content or ""
            for call in choice.delta.tool_calls or []:
                args += call.function.arguments or ""
    stack.assert_clean()
    assert chunks > 20  # passed through chunk by chunk, not buffered into one
    assert text == f"echo: {SECRET} done"
    assert json.loads(args) == expected_args()


def test_openai_stream_helper_accumulates_restored_values(stack: Stack) -> None:
    with stack.openai().chat.completions.stream(
            model="gpt-x", messages=[{"role": "user", "content": PROMPT}]) as stream:
        final = stream.get_final_completion()
    msg = final.choices[0].message
    assert msg.content == f"echo: {SECRET} done"
    assert json.loads(msg.tool_calls[0].function.arguments) == expected_args()


# --------------------------------------------------------------------------- OpenAI Responses


def test_openai_responses(stack: Stack) -> None:
    r = stack.openai().responses.create(model="gpt-x", input=PROMPT, instructions="be brief")
    stack.assert_clean()
    assert r.output_text == f"echo: {SECRET} done"
    assert json.loads(r.output[1].arguments) == expected_args()


def test_openai_responses_stream(stack: Stack) -> None:
    with stack.openai().responses.stream(model="gpt-x", input=[{"role": "user", "content": PROMPT}]) as stream:
        deltas, args, numbers = "", "", []
        for event in stream:
            numbers.append(event.sequence_number)
            if event.type == "response.output_text.delta":
                deltas += event.delta
            elif event.type == "response.function_call_arguments.delta":
                args += event.delta
        final = stream.get_final_response()
    stack.assert_clean()
    assert deltas == final.output_text == f"echo: {SECRET} done"
    assert json.loads(args) == json.loads(final.output[1].arguments) == expected_args()
    assert numbers == list(range(len(numbers)))  # renumbered, contiguous


@pytest.mark.parametrize("stream", [False, True])
def test_responses_previous_response_id_keeps_the_vault(stack: Stack, stream: bool) -> None:
    client = stack.openai()
    if stream:
        with client.responses.stream(model="gpt-x", input=PROMPT) as s:
            first = s.get_final_response()
        with client.responses.stream(model="gpt-x", input="and again?", previous_response_id=first.id) as s:
            second = s.get_final_response()
    else:
        first = client.responses.create(model="gpt-x", input=PROMPT)
        second = client.responses.create(model="gpt-x", input="and again?", previous_response_id=first.id)
    # the second request carries no secret, but the provider-held history does: still restored
    assert SECRET not in json.dumps(stack.fake.received[1].json())
    assert second.output_text == f"echo: {SECRET} done"
    stack.assert_clean()


# --------------------------------------------------------------------------- Anthropic


def test_anthropic_messages(stack: Stack) -> None:
    m = stack.anthropic().messages.create(model="claude-x", max_tokens=50,
                                          system=[{"type": "text", "text": "be brief"}],
                                          messages=[{"role": "user", "content": PROMPT}])
    stack.assert_clean()
    thinking, text, tool = m.content
    assert thinking.thinking == THINKING_TEXT  # never touched
    assert text.text == f"echo: {SECRET} done"
    assert tool.input == expected_args()


def test_anthropic_stream_keeps_thinking_and_restores_text_and_tool_input(stack: Stack) -> None:
    client = stack.anthropic()
    history = [
        {"role": "user", "content": PROMPT},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": f"raw {SECRET}", "signature": "sig-1"},
            {"type": "text", "text": "ok"}]},
        {"role": "user", "content": "go on"},
    ]
    with client.messages.stream(model="claude-x", max_tokens=50, messages=history) as stream:
        texts = [t for t in stream.text_stream]
        final = stream.get_final_message()
    sent = stack.fake.received[0].json()
    # thinking blocks go out unchanged (their signature must verify); everything else is redacted
    assert sent["messages"][1]["content"][0] == history[1]["content"][0]
    assert SECRET not in json.dumps(sent["messages"][0])
    assert len(texts) >= 4  # streamed in pieces (a placeholder comes out whole)
    assert "".join(texts) == f"echo: {SECRET} done"
    thinking, text, tool = final.content
    assert thinking.thinking == THINKING_TEXT and thinking.signature == "sig-abc"
    assert tool.input == expected_args()


def test_sse_pings_and_comments_are_forwarded(stack: Stack) -> None:
    body = {"model": "claude-x", "max_tokens": 5, "stream": True, "messages": [{"role": "user", "content": PROMPT}]}
    with httpx.stream("POST", stack.proxy + "/v1/messages", json=body, timeout=20) as r:
        raw = b"".join(r.iter_raw())
    assert raw.count(b"event: ping") == 2
    body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": PROMPT}]}
    with httpx.stream("POST", stack.proxy + "/v1/chat/completions", json=body, timeout=20) as r:
        raw = b"".join(r.iter_raw())
    assert b": keep-alive\n\n" in raw and raw.endswith(b"data: [DONE]\n\n")


# --------------------------------------------------------------------------- Gemini


def gemini_body(text: str) -> dict[str, Any]:
    return {"contents": [{"role": "user", "parts": [{"text": text}]}],
            "systemInstruction": {"parts": [{"text": "be brief"}]}}


def test_gemini_generate_content(stack: Stack) -> None:
    r = httpx.post(stack.proxy + "/v1beta/models/gemini-x:generateContent", json=gemini_body(PROMPT),
                   headers={"x-goog-api-key": "g"}, timeout=20)
    stack.assert_clean()
    parts = r.json()["candidates"][0]["content"]["parts"]
    assert parts[0]["text"] == f"echo: {SECRET} done"
    assert parts[1]["functionCall"]["args"] == expected_args()


def test_gemini_stream(stack: Stack) -> None:
    url = stack.proxy + "/v1beta/models/gemini-x:streamGenerateContent?alt=sse"
    with httpx.stream("POST", url, json=gemini_body(PROMPT), timeout=20) as r:
        raw = b"".join(r.iter_raw())
    stack.assert_clean()
    assert stack.fake.received[0].query == "alt=sse"
    events = [json.loads(line[6:]) for line in raw.decode().splitlines() if line.startswith("data: ")]
    parts = [p for e in events for c in e["candidates"] for p in c["content"]["parts"]]
    assert parts[0] == {"text": THINKING_TEXT, "thought": True}
    text = "".join(p["text"] for p in parts[1:] if "text" in p)
    assert text == f"echo: {SECRET} done"
    assert parts[-1]["functionCall"]["args"] == expected_args()


# --------------------------------------------------------------------------- blocks


def test_block_openai_never_reaches_upstream(stack: Stack) -> None:
    with pytest.raises(openai.PermissionDeniedError) as info:
        stack.openai().chat.completions.create(model="m", messages=[{"role": "user", "content": BLOCKED_TEXT}])
    assert not stack.fake.received
    err = info.value.body
    assert err["code"] == "dlp_blocked" and "my-nric" in err["message"]
    assert "900101" not in json.dumps(err)  # masked, never the value


def test_block_anthropic_stream_request(stack: Stack) -> None:
    with pytest.raises(anthropic.PermissionDeniedError) as info:
        with stack.anthropic().messages.stream(model="c", max_tokens=5,
                                               messages=[{"role": "user", "content": BLOCKED_TEXT}]) as s:
            s.get_final_message()
    assert not stack.fake.received
    assert info.value.body["error"]["type"] == "permission_error"


def test_block_responses_and_gemini_shapes(stack: Stack) -> None:
    with pytest.raises(openai.PermissionDeniedError):
        stack.openai().responses.create(model="m", input=BLOCKED_TEXT)
    r = httpx.post(stack.proxy + "/v1beta/models/g:generateContent", json=gemini_body(BLOCKED_TEXT), timeout=20)
    assert r.status_code == 403
    assert r.json()["error"]["status"] == "PERMISSION_DENIED"
    assert r.headers["x-dlp-decision"] == "block"
    assert not stack.fake.received


def test_unknown_route_with_findings_is_blocked_and_get_passes(stack: Stack) -> None:
    r = httpx.post(stack.proxy + "/v1/embeddings", json={"model": "e", "input": PROMPT}, timeout=20)
    assert r.status_code == 403 and "error" in r.json()
    assert not stack.fake.received
    r = httpx.post(stack.proxy + "/v1/embeddings", json={"model": "e", "input": "harmless"}, timeout=20)
    assert r.status_code == 200
    models = stack.openai().models.list()
    assert [m.id for m in models] == ["fake-model"]


def test_large_request_is_checked_off_the_event_loop(stack: Stack) -> None:
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": f"line {i} " + "x = 1\n" * 300}
               for i in range(60)]
    history.append({"role": "user", "content": PROMPT})
    r = stack.openai().chat.completions.create(model="m", messages=history)  # ~110 KB: checked in a thread
    assert len(stack.fake.received[0].body) > 64 * 1024
    stack.assert_clean()
    assert r.choices[0].message.content == f"echo: {SECRET} done"


def test_request_too_large(stack: Stack) -> None:
    small = stack.add_proxy(max_body=10_000)
    big = {"model": "m", "messages": [{"role": "user", "content": "x" * 20_000}]}
    with pytest.raises(openai.APIStatusError) as info:
        stack.openai(small).chat.completions.create(**big)
    assert info.value.status_code == 413
    assert not stack.fake.received


def test_bad_json_is_refused(stack: Stack) -> None:
    r = httpx.post(stack.proxy + "/v1/messages", content=b'{"messages": [', timeout=20,
                   headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["type"] == "error"
    assert not stack.fake.received


def test_gzip_request_body_is_decoded_and_redacted(stack: Stack) -> None:
    body = gzip.compress(json.dumps({"model": "m", "messages": [{"role": "user", "content": PROMPT}]}).encode())
    r = httpx.post(stack.proxy + "/v1/chat/completions", content=body, timeout=20,
                   headers={"content-type": "application/json", "content-encoding": "gzip"})
    assert r.status_code == 200
    stack.assert_clean()
    assert "content-encoding" not in {k.lower() for k in stack.fake.received[0].headers}
    assert r.json()["choices"][0]["message"]["content"] == f"echo: {SECRET} done"
    r = httpx.post(stack.proxy + "/v1/chat/completions", content=b"(zstd bytes)", timeout=20,
                   headers={"content-type": "application/json", "content-encoding": "zstd"})
    assert r.status_code == 415


# --------------------------------------------------------------------------- failures


class _Broken:
    policy = None

    def redact_payload(self, *a: Any, **k: Any) -> Any:
        raise RuntimeError("boom")

    check_text = redact_payload


def test_internal_error_fails_closed(stack: Stack) -> None:
    closed = stack.add_proxy(gate=Gate(_Broken()))
    with pytest.raises(openai.InternalServerError) as info:
        stack.openai(closed).chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert info.value.body["code"] == "dlp_internal_error"
    assert not stack.fake.received
    opened = stack.add_proxy(gate=Gate(_Broken(), fail_open=True))
    r = stack.openai(opened).chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert r.choices[0].message.content == "echo:  done"


def test_upstream_error_status_passes_through(stack: Stack) -> None:
    with pytest.raises(anthropic.InternalServerError):
        stack.anthropic(default_headers={"x-fake-fail": "500"}).messages.create(
            model="c", max_tokens=5, messages=[{"role": "user", "content": PROMPT}])
    stack.assert_clean()


def test_upstream_unreachable_and_slow(stack: Stack) -> None:
    dead = stack.add_proxy(upstream=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(anthropic.APIStatusError) as info:
        stack.anthropic(dead).messages.create(model="c", max_tokens=5, messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 502 and info.value.body["type"] == "error"
    slow = stack.add_proxy(read_timeout=0.5)
    with pytest.raises(openai.APIStatusError) as info2:
        stack.openai(slow, default_headers={"x-fake-delay": "2"}).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}])
    assert info2.value.status_code == 504 and info2.value.body["code"] == "upstream_timeout"


@pytest.mark.parametrize("fault", ["drop", "stall"])
def test_stream_cut_or_stalled_mid_answer_reaches_client_as_error(stack: Stack, fault: str) -> None:
    base = stack.add_proxy(read_timeout=0.5)
    headers = {"x-fake-fail": "drop"} if fault == "drop" else {"x-fake-stall": "3"}
    with pytest.raises(anthropic.APIError):
        with stack.anthropic(base, default_headers=headers).messages.stream(
                model="c", max_tokens=5, messages=[{"role": "user", "content": PROMPT}]) as s:
            s.get_final_message()
    with pytest.raises(openai.APIError):
        for _ in stack.openai(base, default_headers=headers).chat.completions.create(
                model="m", messages=[{"role": "user", "content": PROMPT}], stream=True):
            pass


# --------------------------------------------------------------------------- headers, token, scan service


def test_headers_forwarded_minus_hop_by_hop(stack: Stack) -> None:
    stack.anthropic(default_headers={"anthropic-beta": "tools-2099", "x-custom": "1",
                                     "proxy-authorization": "Bearer nope"}).messages.create(
        model="c", max_tokens=5, messages=[{"role": "user", "content": "hi"}])
    seen = {k.lower(): v for k, v in stack.fake.received[0].headers.items()}
    assert seen["anthropic-beta"] == "tools-2099" and seen["x-custom"] == "1"
    assert "sk-ant-test" in (seen.get("x-api-key") or seen.get("authorization", ""))
    assert seen["anthropic-version"]
    assert "proxy-authorization" not in seen
    assert seen["host"] == stack.upstream.split("//")[1]


def test_repeated_headers_and_raw_path_are_forwarded_as_sent(stack: Stack) -> None:
    httpx.get(stack.proxy + "/v1/models/a%2Fb?x=1%202&y=", timeout=20,
              headers=[("X-Multi", "one"), ("X-Multi", "two"), ("Connection", "keep-alive, X-Hop"),
                       ("X-Hop", "dropped")])
    got = stack.fake.received[0]
    assert [v for k, v in got.header_list if k.lower() == "x-multi"] == ["one", "two"]
    assert "x-hop" not in {k.lower() for k, _ in got.header_list}  # named by Connection: hop-by-hop
    assert got.raw_path == "/v1/models/a%2Fb?x=1%202&y="


def test_clean_request_body_is_forwarded_byte_for_byte(stack: Stack) -> None:
    # odd spacing, escapes and key order: a re-encoded body would differ
    raw = (b'{ "messages" :[{"content":"caf\\u00e9 \\"hi\\"\\/x", "role":"user"}],\n'
           b'  "model":"m" , "temperature": 1.0e0 }')
    r = httpx.post(stack.proxy + "/v1/chat/completions", content=raw,
                   headers={"Content-Type": "application/json", "Authorization": "Bearer sk-test"}, timeout=20)
    assert r.status_code == 200 and r.headers["x-dlp-decision"] == "allow"
    assert stack.fake.received[0].body == raw


def test_upstream_cookies_are_not_shared_between_clients(stack: Stack) -> None:
    # by a host name: cookie jars ignore cookies from bare IP addresses
    proxy = stack.add_proxy(upstream=stack.upstream.replace("127.0.0.1", "localhost"))
    first = httpx.get(proxy + "/v1/models", headers={"x-fake-set-cookie": "client-a"}, timeout=20)
    assert first.status_code == 200 and "lb=client-a" in first.headers.get("set-cookie", "")  # passed on
    httpx.get(proxy + "/v1/models", timeout=20)
    assert "cookie" not in {k.lower() for k in stack.fake.received[1].headers}


def test_token_protects_the_proxy(stack: Stack) -> None:
    guarded = stack.add_proxy(token="s3cret-token-for-tests")
    with pytest.raises(openai.AuthenticationError):
        stack.openai(guarded).chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert not stack.fake.received
    client = stack.openai(guarded, default_headers={"X-DLP-Token": "s3cret-token-for-tests"})
    client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}])
    assert "x-dlp-token" not in {k.lower() for k in stack.fake.received[0].headers}
    r = httpx.post(guarded + "/v1/scan", json={"text": "x"}, timeout=20)
    assert r.status_code == 401
    r = httpx.post(guarded + "/v1/scan", json={"text": "x"}, timeout=20,
                   headers={"Authorization": "Bearer s3cret-token-for-tests"})
    assert r.status_code == 200


def test_scan_endpoint(stack: Stack) -> None:
    r = httpx.post(stack.proxy + "/v1/scan", json={"text": PROMPT, "destination": "api.openai.com"}, timeout=20)
    doc = r.json()
    assert r.status_code == 200 and doc["decision"] == "redact" and doc["verdict"] is True
    assert doc["findings"][0]["rule_id"] == "github-pat" and SECRET not in r.text
    payload = {"messages": [{"role": "user", "content": BLOCKED_TEXT}], "max_tokens": 1, "model": "c"}
    r = httpx.post(stack.proxy + "/v1/scan", json={"payload": payload, "kind": "anthropic"}, timeout=20)
    assert r.json()["decision"] == "block" and r.json()["verdict"] is False
    r = httpx.post(stack.proxy + "/v1/scan", json={"text": PROMPT, "redact": True}, timeout=20)
    assert r.json()["redacted"]["text"] == "deploy with token <SECRET:github-pat:1> please"
    assert httpx.post(stack.proxy + "/v1/scan", json={"payload": {}}, timeout=20).status_code == 400
    assert httpx.post(stack.proxy + "/v1/scan", content=b"nope", timeout=20).status_code == 400
    assert not stack.fake.received


def test_embeddable_app_serves_the_same_routes(stack: Stack) -> None:
    proxy = stack.loop.serve(make_app(ProxySettings(upstream=stack.upstream), EGRESS[0]), auto_decompress=False)
    assert httpx.get(proxy + "/dlp/health", timeout=20).json()["status"] == "ok"
    r = httpx.post(proxy + "/v1/scan", json={"text": PROMPT}, timeout=20)
    assert r.json()["decision"] == "redact" and SECRET not in r.text
    answer = stack.openai(proxy).chat.completions.create(model="gpt-fake",
                                                         messages=[{"role": "user", "content": PROMPT}])
    assert SECRET in answer.choices[0].message.content
    stack.assert_clean()


# --------------------------------------------------------------------------- concurrency


def test_many_concurrent_streams(stack: Stack) -> None:
    import aiohttp

    async def one(session: aiohttp.ClientSession, i: int) -> str:
        body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": f"{i}: {PROMPT}"}]}
        text = ""
        async with session.post(stack.proxy + "/v1/chat/completions", json=body) as r:
            async for line in r.content:
                if line.startswith(b"data: {"):
                    for choice in json.loads(line[6:])["choices"]:
                        text += choice["delta"].get("content") or ""
        return text

    async def run() -> list[str]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
            return await asyncio.gather(*(one(session, i) for i in range(60)))

    results = asyncio.run(run())
    assert results == [f"echo: {SECRET} done"] * 60
    assert SECRET.encode() not in stack.fake.bodies()


# --------------------------------------------------------------------------- CLI


def test_cli_proxy_end_to_end(stack: Stack, policy_path: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "dlp", "proxy", "--upstream", stack.upstream, "--listen", f"127.0.0.1:{port}",
           "--config", str(policy_path), "--engine", "python", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, timeout=60, proc=proc)
        r = stack.openai(f"http://127.0.0.1:{port}").chat.completions.create(
            model="m", messages=[{"role": "user", "content": PROMPT}])
        assert r.choices[0].message.content == f"echo: {SECRET} done"
        stack.assert_clean()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert b"listening on http://127.0.0.1:" in err
    assert SECRET.encode() not in err


def test_cli_refuses_remote_listen_without_flag() -> None:
    from dlp.cli import main

    assert main(["proxy", "--upstream", "https://api.openai.com", "--listen", "0.0.0.0:8787"]) == 2
    assert main(["proxy", "--upstream", "ftp://x", "--listen", "127.0.0.1:1"]) == 2
    assert main(["proxy", "--upstream", "https://x", "--listen", "nowhere"]) == 2
    assert main(["proxy", "--upstream", "https://x", "--max-body", "lots"]) == 2


def test_parse_listen() -> None:
    from dlp.cli_proxy import is_loopback, parse_listen

    assert parse_listen("8787") == ("127.0.0.1", 8787)
    assert parse_listen(":9000") == ("127.0.0.1", 9000)
    assert parse_listen("[::1]:8787") == ("::1", 8787)
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.9.9.9", "::1", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "10.1.2.3", "example.com"))


def test_cli_integrations_path(capsys: pytest.CaptureFixture[str]) -> None:
    from dlp.cli import main

    for name in ("mitmproxy", "litellm"):
        assert main(["integrations", "path", name]) == 0
        path = Path(capsys.readouterr().out.strip())
        assert path.is_file() and path.name == f"{name}.py"


def test_response_vaults_are_bounded() -> None:
    from dlp.proxy.gate import ResponseVaults

    vaults = ResponseVaults(max_entries=3, ttl=60)
    for i in range(5):
        vaults.put(f"resp_{i}", i)
    assert len(vaults) == 3 and vaults.get("resp_0") is None and vaults.get("resp_4") == 4
    expired = ResponseVaults(ttl=-1)
    expired.put("r", 1)
    assert expired.get("r") is None
