"""The LiteLLM guardrail: its hooks called directly, then inside a real LiteLLM proxy.

The proxy runs as `litellm --config ...` on a free loopback port, in front of the
fake upstream; the openai and anthropic SDKs talk to it on /chat/completions,
/v1/responses and /v1/messages, streaming and not.
"""
from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

litellm = pytest.importorskip("litellm", reason="the LiteLLM guardrail needs the 'litellm' extra")
pytest.importorskip("fastapi", reason="the LiteLLM guardrail needs litellm[proxy]")
openai = pytest.importorskip("openai", reason="the end-to-end tests need the openai SDK")
anthropic = pytest.importorskip("anthropic", reason="the end-to-end tests need the anthropic SDK")
pytest.importorskip("aiohttp", reason="the fake upstream needs aiohttp")

from fake_upstream import (  # noqa: E402
    BLOCKED_TEXT, SECRET, THINKING_TEXT, FakeUpstream, LoopThread, free_port, wait_for_port, write_policy,
)

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:pydantic")  # from litellm's own types

VAULT_KEY = base64.b64encode(b"k" * 32).decode()
MASTER_KEY = "sk-dlp-test-" + "7f3a9c1e5b" * 6
PROMPT = f"deploy with token {SECRET} please"


@pytest.fixture(scope="module", autouse=True)
def _vault_key() -> Any:
    old = os.environ.get("DLP_VAULT_KEY")
    os.environ["DLP_VAULT_KEY"] = VAULT_KEY
    yield
    if old is None:
        os.environ.pop("DLP_VAULT_KEY", None)
    else:
        os.environ["DLP_VAULT_KEY"] = old


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_policy(tmp_path_factory.mktemp("litellm-policy"))


@pytest.fixture(scope="module")
def guardrails(policy: Path) -> tuple[Any, Any]:
    from dlp.egress import Egress
    from dlp.integrations.litellm import DlpGuardrail

    egress = Egress.from_config(policy, engine="python")
    # two instances: pre- and post-call may run on different ones, so no state may live on them
    return (DlpGuardrail(guardrail_name="dlp", event_hook=["pre_call", "post_call"], default_on=True, egress=egress),
            DlpGuardrail(guardrail_name="dlp", event_hook=["pre_call", "post_call"], default_on=True, egress=egress))


def _run(coro: Any) -> Any:
    return asyncio.run(coro)


# --------------------------------------------------------------------------- hooks called directly


def test_pre_call_redacts_and_keeps_vault_in_request_data(guardrails: tuple[Any, Any]) -> None:
    pre, post = guardrails
    data = {"model": "m", "messages": [{"role": "user", "content": PROMPT}], "metadata": {}}
    out = _run(pre.async_pre_call_hook(user_api_key_dict=None, cache=None, data=data, call_type="acompletion"))
    assert SECRET not in json.dumps(out["messages"])
    assert "<SECRET:github-pat:1>" in out["messages"][0]["content"]
    state = out["metadata"]["dlp_vault"]
    assert SECRET not in json.dumps(state)  # encrypted
    assert not any(SECRET in repr(v) for v in vars(pre).values())
    from litellm.types.utils import ModelResponse

    response = ModelResponse(choices=[{"index": 0, "finish_reason": "stop", "message": {
        "role": "assistant", "content": "got <SECRET:github-pat:1>", "reasoning_content": "<SECRET:github-pat:1>",
        "tool_calls": [{"id": "c", "type": "function",
                        "function": {"name": "f", "arguments": '{"t": "<SECRET:github-pat:1>"}'}}]}}])
    restored = _run(post.async_post_call_success_hook(data=out, user_api_key_dict=None, response=response))
    msg = restored.choices[0].message
    assert msg.content == f"got {SECRET}"
    assert json.loads(msg.tool_calls[0].function.arguments) == {"t": SECRET}
    assert msg.reasoning_content == "<SECRET:github-pat:1>"  # reasoning is never rewritten


def test_pre_call_anthropic_and_responses_shapes(guardrails: tuple[Any, Any]) -> None:
    pre, _ = guardrails
    data = {"model": "c", "litellm_metadata": {}, "system": [{"type": "text", "text": PROMPT}],
            "messages": [{"role": "assistant", "content": [
                {"type": "thinking", "thinking": SECRET, "signature": "s"}, {"type": "text", "text": PROMPT}]}]}
    out = _run(pre.async_pre_call_hook(user_api_key_dict=None, cache=None, data=data,
                                       call_type="anthropic_messages"))
    assert out["messages"][0]["content"][0]["thinking"] == SECRET  # thinking blocks go out untouched
    assert SECRET not in out["system"][0]["text"] + out["messages"][0]["content"][1]["text"]
    assert "dlp_vault" in out["litellm_metadata"]
    data = {"model": "m", "input": [{"role": "user", "content": PROMPT}], "instructions": PROMPT}
    out = _run(pre.async_pre_call_hook(user_api_key_dict=None, cache=None, data=data, call_type="aresponses"))
    assert SECRET not in json.dumps(out["input"]) + out["instructions"]


def _litellm_response_id(provider_id: str) -> str:
    """The id as LiteLLM's hooks see it after the call: wrapped with the deployment."""
    inner = f"litellm:custom_llm_provider:openai;model_id:abc123;response_id:{provider_id}"
    return "resp_" + base64.b64encode(inner.encode()).decode()


def test_responses_follow_up_turn_keeps_the_vault_for_the_same_key(guardrails: tuple[Any, Any]) -> None:
    from types import SimpleNamespace

    from litellm.types.llms.openai import ResponsesAPIResponse

    pre, post = guardrails
    alice, mallory = SimpleNamespace(token="hashed-key-a"), SimpleNamespace(token="hashed-key-m")
    first = _run(pre.async_pre_call_hook(user_api_key_dict=alice, cache=None, call_type="aresponses",
                                         data={"model": "m", "input": PROMPT}))
    response = ResponsesAPIResponse(id=_litellm_response_id("resp_follow_1"), object="response", created_at=1,
                                    model="m", status="completed", output=[], parallel_tool_calls=True,
                                    tool_choice="auto", tools=[])
    _run(post.async_post_call_success_hook(data=first, user_api_key_dict=alice, response=response))
    # the client sends the id back (here as the hooks saw it; the real proxy encrypts it: see below)
    follow = {"model": "m", "input": "and again?", "previous_response_id": response.id}
    second = _run(pre.async_pre_call_hook(user_api_key_dict=alice, cache=None, call_type="aresponses",
                                          data=json.loads(json.dumps(follow))))
    from dlp.integrations.litellm import request_vault

    vault = request_vault(second)
    assert vault is not None and vault.original("<SECRET:github-pat:1>") == SECRET
    # another key naming the same response id gets nothing
    other = _run(pre.async_pre_call_hook(user_api_key_dict=mallory, cache=None, call_type="aresponses",
                                         data=json.loads(json.dumps(follow))))
    assert request_vault(other) is None
    # the provider's own id (what LiteLLM decodes it to) finds it too
    bare = {**follow, "previous_response_id": "resp_follow_1"}
    assert request_vault(_run(pre.async_pre_call_hook(user_api_key_dict=alice, cache=None, call_type="aresponses",
                                                      data=bare))) is not None


def test_pre_call_blocks_with_http_400(guardrails: tuple[Any, Any]) -> None:
    from fastapi import HTTPException

    pre, _ = guardrails
    data = {"model": "m", "messages": [{"role": "user", "content": BLOCKED_TEXT}]}
    with pytest.raises(HTTPException) as info:
        _run(pre.async_pre_call_hook(user_api_key_dict=None, cache=None, data=data, call_type="acompletion"))
    assert info.value.status_code == 400 and "my-nric" in info.value.detail["error"]
    assert "900101" not in json.dumps(info.value.detail)
    with pytest.raises(HTTPException):  # other call types are checked as text
        _run(pre.async_pre_call_hook(user_api_key_dict=None, cache=None, call_type="aembedding",
                                     data={"model": "e", "input": [BLOCKED_TEXT]}))


def test_streaming_iterator_restores_split_placeholders(guardrails: tuple[Any, Any]) -> None:
    from litellm.types.utils import ModelResponseStream

    pre, post = guardrails
    data = _run(pre.async_pre_call_hook(user_api_key_dict=None, cache=None, call_type="acompletion",
                                        data={"model": "m", "messages": [{"role": "user", "content": PROMPT}]}))
    text = "a <SECRET:github-pat:1> b"
    args = '{"t": "<SECRET:github-pat:1>"}'

    def chunk(delta: dict, finish: str | None = None) -> Any:
        return ModelResponseStream(id="x", choices=[{"index": 0, "delta": delta, "finish_reason": finish}])

    chunks = [chunk({"content": text[i:i + 4]}) for i in range(0, len(text), 4)]
    chunks.append(chunk({"tool_calls": [{"index": 0, "id": "c", "type": "function",
                                         "function": {"name": "f", "arguments": ""}}]}))
    chunks += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[i:i + 5]}}]})
               for i in range(0, len(args), 5)]
    chunks.append(chunk({"content": "tail <SECRET:git"}, "stop"))

    async def source() -> Any:
        for c in chunks:
            yield c

    async def collect() -> list[Any]:
        return [c async for c in post.async_post_call_streaming_iterator_hook(
            user_api_key_dict=None, response=source(), request_data=data)]

    out = _run(collect())
    content = "".join(c.choices[0].delta.content or "" for c in out)
    arguments = "".join(tc.function.arguments or "" for c in out for tc in (c.choices[0].delta.tool_calls or []))
    assert content == f"a {SECRET} btail <SECRET:git"
    assert json.loads(arguments) == {"t": SECRET}


def test_streaming_iterator_restores_raw_anthropic_sse(guardrails: tuple[Any, Any]) -> None:
    pre, post = guardrails
    data = _run(pre.async_pre_call_hook(user_api_key_dict=None, cache=None, call_type="anthropic_messages",
                                        data={"model": "c", "messages": [{"role": "user", "content": PROMPT}]}))
    frames = b"".join(
        f'event: content_block_delta\ndata: {json.dumps({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}})}\n\n'.encode()  # noqa: E501
        for t in ("x <SECR", "ET:github-pat", ":1> y"))
    frames += b'event: content_block_stop\ndata: {"type": "content_block_stop", "index": 0}\n\n'

    async def source() -> Any:
        for i in range(0, len(frames), 7):
            yield frames[i:i + 7]

    async def collect() -> bytes:
        return b"".join([c async for c in post.async_post_call_streaming_iterator_hook(
            user_api_key_dict=None, response=source(), request_data=data)])

    out = _run(collect())
    texts = [json.loads(line[6:])["delta"]["text"] for line in out.decode().splitlines()
             if line.startswith("data: ") and "text_delta" in line]
    assert "".join(texts) == f"x {SECRET} y"


def test_no_vault_means_untouched_passthrough(guardrails: tuple[Any, Any]) -> None:
    _, post = guardrails

    async def source() -> Any:
        yield b"data: <SECRET:github-pat:1>\n\n"

    async def collect() -> list[Any]:
        return [c async for c in post.async_post_call_streaming_iterator_hook(
            user_api_key_dict=None, response=source(), request_data={"metadata": {}})]

    assert _run(collect()) == [b"data: <SECRET:github-pat:1>\n\n"]


# --------------------------------------------------------------------------- a real LiteLLM proxy


CONFIG = """\
model_list:
  - model_name: gpt-fake
    litellm_params: {{model: openai/gpt-fake, api_base: "{up}/v1", api_key: sk-fake, max_retries: 0}}
  - model_name: claude-fake
    litellm_params: {{model: anthropic/claude-fake, api_base: "{up}", api_key: sk-ant-fake, max_retries: 0}}
  - model_name: gpt-slow
    litellm_params: {{model: openai/gpt-slow, api_base: "{up}/slow/v1", api_key: sk-fake, timeout: 1,
                     max_retries: 0}}
  - model_name: gpt-fail
    litellm_params: {{model: openai/gpt-fail, api_base: "{up}/fail/v1", api_key: sk-fake, max_retries: 0}}
  - model_name: gemini-fake
    litellm_params: {{model: gemini/gemini-fake, api_base: "{up}", api_key: gm-fake, max_retries: 0}}
litellm_settings:
  num_retries: 0
  request_timeout: 30
guardrails:
  - guardrail_name: dlp
    litellm_params:
      guardrail: dlp.integrations.litellm.DlpGuardrail
      mode: [pre_call, post_call]
      default_on: true
      dlp_config: "{policy}"
      dlp_engine: python
general_settings:
  master_key: "{master}"
"""


@pytest.fixture(scope="module")
def proxy(policy: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    exe = Path(sys.executable).parent / "litellm"
    if not exe.exists():
        pytest.skip("the litellm command is not installed (pip install 'litellm[proxy]')")
    work = tmp_path_factory.mktemp("litellm")
    loop = LoopThread()
    fake = FakeUpstream()
    up = loop.serve(fake.app())
    config = work / "config.yaml"
    config.write_text(CONFIG.format(up=up, policy=policy, master=MASTER_KEY), encoding="utf-8")
    port = free_port()
    env = dict(os.environ, DLP_VAULT_KEY=VAULT_KEY, LITELLM_LOCAL_MODEL_COST_MAP="True",
               LITELLM_TELEMETRY="False", NO_DOCS="True", PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    env.pop("LITELLM_MASTER_KEY", None)
    log = work / "litellm.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(exe), "--config", str(config), "--host", "127.0.0.1", "--port", str(port),
                                 "--num_workers", "1"], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=work)
    try:
        try:
            wait_for_port(port, timeout=150, proc=proc)
        except Exception:
            raise RuntimeError(f"litellm did not start: {log.read_text(errors='replace')[-3000:]}") from None
        yield fake, f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        loop.close()


def _clients(base: str) -> tuple[Any, Any]:
    return (openai.OpenAI(base_url=base + "/v1", api_key=MASTER_KEY, max_retries=0, timeout=60),
            anthropic.Anthropic(base_url=base, api_key=MASTER_KEY, max_retries=0, timeout=60))


def _assert_clean(fake: FakeUpstream) -> None:
    assert fake.received, "upstream was not called"
    assert SECRET.encode() not in fake.bodies()
    assert b"dlp_vault" not in fake.bodies(), "the (encrypted) vault went to the provider"


def test_litellm_chat_completions(proxy: Any) -> None:
    fake, base = proxy
    fake.clear()
    client, _ = _clients(base)
    r = client.chat.completions.create(model="gpt-fake", messages=[{"role": "user", "content": PROMPT}])
    assert r.choices[0].message.content == f"echo: {SECRET} done"
    assert json.loads(r.choices[0].message.tool_calls[0].function.arguments)["token"] == SECRET
    with client.chat.completions.stream(model="gpt-fake", messages=[{"role": "user", "content": PROMPT}]) as s:
        msg = s.get_final_completion().choices[0].message
    assert msg.content == f"echo: {SECRET} done"
    assert json.loads(msg.tool_calls[0].function.arguments)["all"] == [SECRET]
    _assert_clean(fake)


def test_litellm_responses_api(proxy: Any) -> None:
    fake, base = proxy
    fake.clear()
    client, _ = _clients(base)
    r = client.responses.create(model="gpt-fake", input=PROMPT)
    assert r.output_text == f"echo: {SECRET} done"
    with client.responses.stream(model="gpt-fake", input=PROMPT) as s:
        deltas = "".join(e.delta for e in s if e.type == "response.output_text.delta")
        final = s.get_final_response()
    assert deltas == final.output_text == f"echo: {SECRET} done"
    _assert_clean(fake)


def test_litellm_responses_follow_up_turns_restore_earlier_placeholders(proxy: Any) -> None:
    fake, base = proxy
    fake.clear()
    client, _ = _clients(base)
    first = client.responses.create(model="gpt-fake", input=PROMPT)
    # later turns carry no secret, but the provider-held history does (the fake echoes it)
    second = client.responses.create(model="gpt-fake", input="and again?", previous_response_id=first.id)
    assert second.output_text == f"echo: {SECRET} done"
    with client.responses.stream(model="gpt-fake", input="streamed?", previous_response_id=second.id) as s:
        third = s.get_final_response()
    assert third.output_text == f"echo: {SECRET} done"
    fourth = client.responses.create(model="gpt-fake", input="after a stream?", previous_response_id=third.id)
    assert fourth.output_text == f"echo: {SECRET} done"
    assert fake.received[-1].json()["previous_response_id"].startswith("resp_")
    _assert_clean(fake)


def test_litellm_gemini_generate_content_route(proxy: Any) -> None:
    import httpx

    fake, base = proxy
    fake.clear()
    headers = {"x-goog-api-key": MASTER_KEY}
    body = {"systemInstruction": {"parts": [{"text": "be brief"}]},
            "contents": [{"role": "user", "parts": [{"text": PROMPT}]}]}
    r = httpx.post(base + "/v1beta/models/gemini-fake:generateContent", json=body, headers=headers, timeout=60)
    assert r.status_code == 200, r.text
    text, call = r.json()["candidates"][0]["content"]["parts"]
    assert text["text"] == f"echo: {SECRET} done" and call["functionCall"]["args"]["token"] == SECRET
    assert fake.received[-1].path.endswith(":generateContent")
    with httpx.stream("POST", base + "/v1beta/models/gemini-fake:streamGenerateContent?alt=sse", json=body,
                      headers=headers, timeout=60) as stream:
        assert stream.status_code == 200
        events = [json.loads(line[6:]) for line in stream.iter_lines() if line.startswith("data: ")]
    parts = [p for e in events for c in e.get("candidates", []) for p in c.get("content", {}).get("parts", [])]
    assert "".join(p.get("text", "") for p in parts if not p.get("thought")) == f"echo: {SECRET} done"
    assert [p["text"] for p in parts if p.get("thought")] == [THINKING_TEXT]  # thought parts untouched
    assert [p["functionCall"]["args"]["all"] for p in parts if "functionCall" in p] == [[SECRET]]
    assert fake.received[-1].path.endswith(":streamGenerateContent")
    _assert_clean(fake)
    fake.clear()
    blocked = {"contents": [{"role": "user", "parts": [{"text": BLOCKED_TEXT}]}]}
    r = httpx.post(base + "/v1beta/models/gemini-fake:generateContent", json=blocked, headers=headers, timeout=60)
    assert r.status_code == 400 and "dlp blocked" in r.json()["error"]["message"]
    assert not fake.received


def test_litellm_anthropic_messages_route(proxy: Any) -> None:
    fake, base = proxy
    fake.clear()
    _, claude = _clients(base)
    m = claude.messages.create(model="claude-fake", max_tokens=20, messages=[{"role": "user", "content": PROMPT}])
    thinking, text, tool = m.content
    assert thinking.thinking == THINKING_TEXT
    assert text.text == f"echo: {SECRET} done" and tool.input["token"] == SECRET
    with claude.messages.stream(model="claude-fake", max_tokens=20,
                                messages=[{"role": "user", "content": PROMPT}]) as s:
        thinking, text, tool = s.get_final_message().content
    assert thinking.thinking == THINKING_TEXT
    assert text.text == f"echo: {SECRET} done" and tool.input["all"] == [SECRET]
    assert fake.received[-1].path == "/v1/messages"
    _assert_clean(fake)


def test_litellm_blocks_reach_clients_as_errors(proxy: Any) -> None:
    fake, base = proxy
    fake.clear()
    client, claude = _clients(base)
    with pytest.raises(openai.BadRequestError) as info:
        client.chat.completions.create(model="gpt-fake", messages=[{"role": "user", "content": BLOCKED_TEXT}])
    assert "dlp blocked" in str(info.value)
    with pytest.raises(anthropic.BadRequestError):
        claude.messages.create(model="claude-fake", max_tokens=5,
                               messages=[{"role": "user", "content": BLOCKED_TEXT}])
    with pytest.raises(openai.BadRequestError):
        client.responses.create(model="gpt-fake", input=BLOCKED_TEXT)
    assert not fake.received


def test_litellm_slow_and_failing_upstream(proxy: Any) -> None:
    fake, base = proxy
    client, _ = _clients(base)
    with pytest.raises(openai.APIError):
        client.chat.completions.create(model="gpt-fail", messages=[{"role": "user", "content": PROMPT}])
    with pytest.raises((openai.APIError, openai.APITimeoutError)):
        client.chat.completions.create(model="gpt-slow", messages=[{"role": "user", "content": PROMPT}])
    assert SECRET.encode() not in fake.bodies()
