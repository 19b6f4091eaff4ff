"""Restoring answers: SSE streams cut at every possible place, per provider, and JSON bodies."""
from __future__ import annotations

import json
import random
from typing import Any

import pytest

from dlp.model import Category
from dlp.proxy.providers import classify, error_object, stream_error_event
from dlp.proxy.restore import SSERestorer, restore_body, restore_json
from dlp.proxy.sse import SSEError, SSEParser, parse_event
from dlp.redact import Vault

SECRET = "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"
TRICKY = 'pa"ss\\word\nline2'  # needs escaping inside JSON strings


def make_vault() -> tuple[Vault, str, str]:
    vault = Vault()
    p1 = vault.placeholder_for_value(SECRET, rule_id="github-pat", category=Category.SECRET)
    p2 = vault.placeholder_for_value(TRICKY, rule_id="password", category=Category.SECRET)
    return vault, p1, p2


def sse(*events: tuple[str | None, Any]) -> bytes:
    out = b""
    for name, data in events:
        if name:
            out += f"event: {name}\n".encode()
        out += f"data: {data if isinstance(data, str) else json.dumps(data)}\n\n".encode()
    return out


def pieces(text: str, n: int = 3) -> list[str]:
    return [text[i:i + n] for i in range(0, len(text), n)]


def run(kind: str, stream: bytes, vault: Vault, cuts: list[int]) -> bytes:
    restorer = SSERestorer(kind, vault)
    out = b""
    last = 0
    for cut in sorted(cuts) + [len(stream)]:
        out += restorer.feed(stream[last:cut])
        last = cut
    return out + restorer.flush()


def events(raw: bytes) -> list[tuple[str | None, Any]]:
    parser = SSEParser()
    out = []
    for ev, _ in parser.feed(raw) + parser.flush():
        if ev.data is None:
            continue
        out.append((ev.event, ev.json() if ev.data != "[DONE]" else "[DONE]"))
    return out


def cut_sets(length: int) -> list[list[int]]:
    rng = random.Random(7)
    sets = [[], list(range(1, length))]  # whole, and byte by byte
    sets += [sorted(rng.sample(range(1, length), min(length - 1, k))) for k in (3, 20, 200) for _ in range(3)]
    return sets


def answer(p1: str, p2: str) -> tuple[str, str]:
    return f"value {p1} and {p2}, unknown <SECRET:other:9> kept, a < b", json.dumps({"a": p1, "b": [p2]})


# --------------------------------------------------------------------------- per provider


def anthropic_stream(text: str, args: str, p1: str) -> bytes:
    ev: list[tuple[str | None, Any]] = [
        ("message_start", {"type": "message_start", "message": {"id": "m", "content": [], "role": "assistant"}}),
        ("content_block_start", {"type": "content_block_start", "index": 0,
                                 "content_block": {"type": "thinking", "thinking": ""}})]
    ev += [("content_block_delta", {"type": "content_block_delta", "index": 0,
                                    "delta": {"type": "thinking_delta", "thinking": t}}) for t in pieces(f"th {p1}")]
    ev += [("content_block_stop", {"type": "content_block_stop", "index": 0}),
           ("content_block_start", {"type": "content_block_start", "index": 1,
                                    "content_block": {"type": "text", "text": ""}}), ("ping", {"type": "ping"})]
    ev += [("content_block_delta", {"type": "content_block_delta", "index": 1,
                                    "delta": {"type": "text_delta", "text": t}}) for t in pieces(text)]
    ev += [("content_block_stop", {"type": "content_block_stop", "index": 1}),
           ("content_block_start", {"type": "content_block_start", "index": 2,
                                    "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}}})]
    ev += [("content_block_delta", {"type": "content_block_delta", "index": 2,
                                    "delta": {"type": "input_json_delta", "partial_json": t}}) for t in pieces(args)]
    ev += [("content_block_stop", {"type": "content_block_stop", "index": 2}),
           ("message_stop", {"type": "message_stop"})]
    return sse(*ev)


def test_anthropic_stream_any_cut() -> None:
    vault, p1, p2 = make_vault()
    text, args = answer(p1, p2)
    stream = anthropic_stream(text, args, p1)
    for cuts in cut_sets(len(stream)):
        out = events(run("anthropic", stream, vault, cuts))
        by_index: dict[int, str] = {}
        for _, data in out:
            if data.get("type") == "content_block_delta":
                delta = data["delta"]
                by_index[data["index"]] = by_index.get(data["index"], "") + (
                    delta.get("text") or delta.get("partial_json") or delta.get("thinking") or "")
        assert by_index[0] == f"th {p1}"  # thinking untouched
        assert by_index[1] == text.replace(p1, SECRET).replace(p2, TRICKY)
        assert json.loads(by_index[2]) == {"a": SECRET, "b": [TRICKY]}
        assert [d["type"] for _, d in out].count("ping") == 1


def test_anthropic_unchanged_events_pass_byte_for_byte() -> None:
    vault, _, _ = make_vault()
    stream = anthropic_stream("no placeholders here", '{"x": 1}', "<nothing>")
    assert run("anthropic", stream, vault, [5, 77, 300]) == stream


def openai_stream(text: str, args: str) -> bytes:
    base = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}

    def chunk(delta: dict, finish: str | None = None, index: int = 0) -> tuple[None, dict]:
        return None, {**base, "choices": [{"index": index, "delta": delta, "finish_reason": finish}]}

    ev = [chunk({"role": "assistant", "content": ""})]
    ev += [chunk({"content": t}) for t in pieces(text)]
    ev += [chunk({"reasoning_content": "<SECRET:github-pat:1>"})]
    ev += [chunk({"tool_calls": [{"index": 0, "id": "a", "type": "function", "function": {"name": "f",
                                                                                       "arguments": ""}}]})]
    ev += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": t}}]}) for t in pieces(args)]
    ev += [chunk({"tool_calls": [{"index": 1, "id": "b", "type": "function", "function": {"name": "g",
                                                                                       "arguments": ""}}]})]
    ev += [chunk({"tool_calls": [{"index": 1, "function": {"arguments": t}}]}) for t in pieces(args, 5)]
    ev += [chunk({}, "tool_calls"), (None, "[DONE]")]
    return sse(*ev)


def test_openai_stream_any_cut() -> None:
    vault, p1, p2 = make_vault()
    text, args = answer(p1, p2)
    stream = openai_stream(text, args)
    for cuts in cut_sets(len(stream)):
        out = events(run("openai", stream, vault, cuts))
        assert out[-1] == (None, "[DONE]")
        content, reasoning, calls = "", "", {0: "", 1: ""}
        for _, data in out[:-1]:
            delta = data["choices"][0]["delta"]
            content += delta.get("content") or ""
            reasoning += delta.get("reasoning_content") or ""
            for call in delta.get("tool_calls") or []:
                calls[call["index"]] += call["function"].get("arguments") or ""
        assert content == text.replace(p1, SECRET).replace(p2, TRICKY)
        assert reasoning == "<SECRET:github-pat:1>"  # reasoning is not rewritten
        assert json.loads(calls[0]) == json.loads(calls[1]) == {"a": SECRET, "b": [TRICKY]}


def test_openai_stream_without_finish_reason_flushes_before_done() -> None:
    vault, p1, _ = make_vault()
    base = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    stream = sse((None, {**base, "choices": [{"index": 0, "delta": {"content": "x " + p1[:6]}}]}),
                 (None, {**base, "choices": [{"index": 0, "delta": {"content": p1[6:] + " then <SEC"}}]}),
                 (None, "[DONE]"))
    out = events(run("openai", stream, vault, []))
    text = "".join(d["choices"][0]["delta"].get("content", "") for _, d in out[:-1])
    assert text == f"x {SECRET} then <SEC"


def responses_stream(text: str, args: str) -> bytes:
    seq = iter(range(1000))

    def e(kind: str, **data: Any) -> tuple[str, dict]:
        return kind, {"type": kind, "sequence_number": next(seq), **data}

    ev = [e("response.created", response={"id": "r", "output": []})]
    ev += [e("response.output_text.delta", item_id="m", output_index=0, content_index=0, delta=t)
           for t in pieces(text)]
    ev += [e("response.output_text.done", item_id="m", output_index=0, content_index=0, text=text),
           e("response.reasoning_summary_text.delta", item_id="rs", output_index=1, summary_index=0,
             delta="<SECRET:github-pat:1>")]
    ev += [e("response.function_call_arguments.delta", item_id="f", output_index=2, delta=t) for t in pieces(args)]
    ev += [e("response.function_call_arguments.done", item_id="f", output_index=2, arguments=args),
           e("response.completed", response={"id": "r", "output": [
               {"type": "message", "content": [{"type": "output_text", "text": text}]},
               {"type": "reasoning", "summary": [{"type": "summary_text", "text": "<SECRET:github-pat:1>"}]},
               {"type": "function_call", "arguments": args}]})]
    return sse(*ev)


def test_responses_stream_any_cut() -> None:
    vault, p1, p2 = make_vault()
    text, args = answer(p1, p2)
    want_text = text.replace(p1, SECRET).replace(p2, TRICKY)
    stream = responses_stream(text, args)
    for cuts in cut_sets(len(stream)):
        out = events(run("openai-responses", stream, vault, cuts))
        assert [d["sequence_number"] for _, d in out] == list(range(len(out)))
        assert all(name == d["type"] for name, d in out)
        deltas = "".join(d["delta"] for _, d in out if d["type"] == "response.output_text.delta")
        argd = "".join(d["delta"] for _, d in out if d["type"] == "response.function_call_arguments.delta")
        done = {d["type"]: d for _, d in out}
        assert deltas == want_text == done["response.output_text.done"]["text"]
        assert json.loads(argd) == json.loads(done["response.function_call_arguments.done"]["arguments"]) == {
            "a": SECRET, "b": [TRICKY]}
        final = done["response.completed"]["response"]["output"]
        assert final[0]["content"][0]["text"] == want_text
        assert final[1]["summary"][0]["text"] == "<SECRET:github-pat:1>"  # reasoning untouched
        assert done["response.reasoning_summary_text.delta"]["delta"] == "<SECRET:github-pat:1>"


def test_gemini_stream_any_cut() -> None:
    vault, p1, p2 = make_vault()
    text, args = answer(p1, p2)

    def chunk(parts: list[dict], finish: str | None = None) -> tuple[None, dict]:
        cand: dict[str, Any] = {"index": 0, "content": {"role": "model", "parts": parts}}
        if finish:
            cand["finishReason"] = finish
        return None, {"candidates": [cand]}

    ev = [chunk([{"text": f"thought {p1}", "thought": True}])]
    ev += [chunk([{"text": t}]) for t in pieces(text)]
    ev += [chunk([{"functionCall": {"name": "f", "args": json.loads(args)}}], "STOP")]
    stream = sse(*ev).replace(b"\n\n", b"\r\n\r\n")
    for cuts in cut_sets(len(stream)):
        out = events(run("gemini", stream, vault, cuts))
        parts = [p for _, d in out for c in d["candidates"] for p in c["content"]["parts"]]
        assert parts[0] == {"text": f"thought {p1}", "thought": True}
        assert "".join(p.get("text", "") for p in parts[1:]) == text.replace(p1, SECRET).replace(p2, TRICKY)
        assert parts[-1]["functionCall"]["args"] == {"a": SECRET, "b": [TRICKY]}


def test_stream_ending_mid_placeholder_flushes_held_back_text() -> None:
    vault, p1, _ = make_vault()
    stream = sse(("content_block_start", {"type": "content_block_start", "index": 0,
                                          "content_block": {"type": "text", "text": ""}}),
                 ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                          "delta": {"type": "text_delta", "text": "end " + p1[:7]}}))
    out = events(run("anthropic", stream, vault, []))
    assert "".join(d["delta"]["text"] for _, d in out if d["type"] == "content_block_delta") == "end " + p1[:7]


# --------------------------------------------------------------------------- JSON bodies and SSE basics


def test_restore_json_skips_reasoning_and_escapes_arguments() -> None:
    vault, p1, p2 = make_vault()
    doc = {"content": [{"type": "thinking", "thinking": p1, "signature": "s"},
                       {"type": "redacted_thinking", "data": p1},
                       {"type": "text", "text": p1},
                       {"type": "tool_use", "input": {"k": p2}}],
           "tool_calls": [{"function": {"arguments": json.dumps({"k": p2})}}],
           "parts": [{"text": p1, "thought": True}, {"text": p2}]}
    new = restore_json(doc, vault)
    assert new["content"][:2] == doc["content"][:2]
    assert new["content"][2]["text"] == SECRET and new["content"][3]["input"] == {"k": TRICKY}
    assert json.loads(new["tool_calls"][0]["function"]["arguments"]) == {"k": TRICKY}
    assert new["parts"] == [{"text": p1, "thought": True}, {"text": TRICKY}]
    assert doc["content"][2]["text"] == p1  # input not mutated
    assert restore_json({"a": "plain"}, vault) == {"a": "plain"}


def test_restore_body() -> None:
    vault, p1, _ = make_vault()
    assert restore_body(b'{"a": "none"}', vault) == b'{"a": "none"}'
    assert json.loads(restore_body(json.dumps([{"t": p1}]).encode(), vault)) == [{"t": SECRET}]
    assert restore_body(f"not json {p1}".encode(), vault) == f"not json {SECRET}".encode()


def test_sse_parser_bounds_and_line_endings() -> None:
    parser = SSEParser(max_event=100)
    assert parser.feed(b"data: a\r\n") == []
    [(ev, sep)] = parser.feed(b"\r\n: comment\n\n")[:1]
    assert ev.data == "a" and sep == b"\r\n\r\n"
    assert parse_event(b": just a comment").comment_only
    with pytest.raises(SSEError):
        parser.feed(b"data: " + b"x" * 200)
    ev = parse_event(b"event: e\ndata: 1\ndata: 2\nid: 7")
    assert (ev.event, ev.data, ev.id) == ("e", "1\n2", "7")


def test_routes_and_error_shapes() -> None:
    assert classify("/v1/chat/completions").kind == "openai"
    assert classify("/compatible-mode/v1/chat/completions").kind == "openai"
    assert classify("/v1/responses").kind == "openai-responses"
    assert classify("/v1/messages").kind == "anthropic"
    assert classify("/v1/messages/count_tokens").kind == "anthropic"
    assert classify("/v1beta/models/gemini-2.5-pro:streamGenerateContent").kind == "gemini"
    assert classify("/v1internal:streamGenerateContent").kind == "gemini"
    other = classify("/v1/embeddings")
    assert other.kind is None and other.family == "openai"
    assert classify("/v1/complete", {"anthropic-version": "x"}).family == "anthropic"
    assert error_object("anthropic", 403, "m") == {"type": "error", "error": {"type": "permission_error",
                                                                              "message": "m"}}
    assert error_object("gemini", 504, "m")["error"]["status"] == "DEADLINE_EXCEEDED"
    assert error_object("openai", 500, "m", code="c")["error"] == {"message": "m", "type": "server_error",
                                                                 "param": None, "code": "c"}
    frame = stream_error_event(classify("/v1/responses"), "cut")
    assert b"event: error" in frame and b'"error"' in frame
