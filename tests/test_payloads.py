"""Payload walkers and rewriting for every API format."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from test_egress_kit import NRIC, TOKEN, make_egress

from dlp.errors import InputError
from dlp.model import Action
from dlp.payloads import field_name, rebuild, segments
from dlp.redact import Vault, restore_text


@pytest.fixture(scope="module")
def egress(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_egress(tmp_path_factory.mktemp("p"), {"actions": {"secret": "redact", "pii": "redact"}})


OPENAI = {
    "model": "gpt-4o",
    "messages": [
        {"role": "system", "content": f"deploy key {TOKEN}"},
        {"role": "user", "content": [{"type": "text", "text": f"IC {NRIC}"},
                                     {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "c1", "type": "function", "function": {"name": "lookup",
                                                           "arguments": json.dumps({"ic": NRIC, "n": 1})}}]},
        {"role": "tool", "tool_call_id": "c1", "content": f"found token {TOKEN}"},
    ],
}

RESPONSES = {
    "model": "gpt-5-codex",
    "instructions": f"use {TOKEN}",
    "input": [
        {"role": "user", "content": [{"type": "input_text", "text": f"IC {NRIC}"}]},
        {"type": "reasoning", "id": "r1", "summary": [], "encrypted_content": "opaque"},
        {"type": "function_call", "call_id": "f1", "name": "shell", "arguments": json.dumps({"cmd": ["echo", TOKEN]})},
        {"type": "function_call_output", "call_id": "f1", "output": f"{TOKEN}\n"},
    ],
}

ANTHROPIC = {
    "model": "claude-sonnet-4-5",
    "system": [{"type": "text", "text": f"key {TOKEN}", "cache_control": {"type": "ephemeral"}}],
    "messages": [
        {"role": "user", "content": f"my IC is {NRIC}"},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": f"the user gave {NRIC}", "signature": "sig=="},
            {"type": "redacted_thinking", "data": "opaque"},
            {"type": "tool_use", "id": "t1", "name": "Bash", "input": {"command": f"gh auth login --with-token {TOKEN}"}},
        ]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t1", "content": [{"type": "text", "text": f"ok {NRIC}"}]},
            {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": f"ic {NRIC}"}},
        ]},
    ],
}

GEMINI = {
    "systemInstruction": {"parts": [{"text": f"token {TOKEN}"}]},
    "contents": [
        {"role": "user", "parts": [{"text": f"IC {NRIC}"}, {"inlineData": {"mimeType": "image/png", "data": "AAAA"}}]},
        {"role": "model", "parts": [{"functionCall": {"name": "f", "args": {"ic": NRIC}}}]},
        {"role": "user", "parts": [{"functionResponse": {"name": "f", "response": {"token": TOKEN}}}]},
    ],
}


@pytest.mark.parametrize(("kind", "payload", "fields"), [
    ("openai", OPENAI, ["messages[0].content", "messages[1].content[0].text",
                        "messages[2].tool_calls[0].function.arguments", "messages[3].content"]),
    ("openai-responses", RESPONSES, ["instructions", "input[0].content[0].text", "input[2].arguments",
                                     "input[3].output"]),
    ("anthropic", ANTHROPIC, ["system[0].text", "messages[0].content", "messages[1].content[2].input",
                              "messages[2].content[0].content[0].text", "messages[2].content[1].source.data"]),
    ("gemini", GEMINI, ["systemInstruction.parts[0].text", "contents[0].parts[0].text",
                        "contents[1].parts[0].functionCall.args", "contents[2].parts[0].functionResponse.response"]),
])
def test_segments_cover_every_text(kind: str, payload: dict, fields: list[str]) -> None:
    assert [s.field for s in segments(payload, kind)] == fields


@pytest.mark.parametrize(("kind", "payload"), [
    ("openai", OPENAI), ("openai-responses", RESPONSES), ("anthropic", ANTHROPIC), ("gemini", GEMINI),
])
def test_redact_payload_round_trip(egress, kind: str, payload: dict) -> None:  # type: ignore[no-untyped-def]
    before = copy.deepcopy(payload)
    vault = Vault()
    decision, out = egress.redact_payload(payload, kind, vault)
    assert payload == before  # input not mutated
    assert decision.action is Action.REDACT
    text = json.dumps(out)
    assert TOKEN not in text
    if kind == "anthropic":  # only inside the untouched thinking block
        assert text.count(NRIC) == 1
        assert out["messages"][1]["content"][0] == payload["messages"][1]["content"][0]
        assert out["messages"][1]["content"][1] == payload["messages"][1]["content"][1]
    else:
        assert NRIC not in text
    # one value, one placeholder, everywhere in the request
    assert text.count("<SECRET:github-pat:") >= 2
    assert len({p for p in vault.placeholders() if p.startswith("<SECRET")}) == 1
    # restoring every string gives back the original request
    from dlp.payloads import replace_in_leaves

    assert replace_in_leaves(out, lambda s: restore_text(s, vault)) == payload


def test_findings_name_their_field(egress) -> None:  # type: ignore[no-untyped-def]
    decision = egress.check_payload(OPENAI, "openai", destination="api.openai.com")
    records = decision.to_record()["findings"]
    fields = {r["field"] for r in records}
    assert "messages[2].tool_calls[0].function.arguments" in fields
    assert all(r["role"] for r in records)
    assert all(TOKEN not in json.dumps(r) and NRIC not in json.dumps(r) for r in records)
    assert decision.destination == "api.openai.com"


def test_openai_arguments_stay_valid_json(egress) -> None:  # type: ignore[no-untyped-def]
    _, out = egress.redact_payload(OPENAI, "openai", Vault())
    args = json.loads(out["messages"][2]["tool_calls"][0]["function"]["arguments"])
    assert args == {"ic": "<PII:my-nric:2>", "n": 1} or args["ic"].startswith("<PII:my-nric:")


def test_escaped_value_in_arguments(egress) -> None:  # type: ignore[no-untyped-def]
    # a value reaching the scanner through JSON escapes is still replaced in the parsed leaves
    payload = {"messages": [{"role": "assistant", "tool_calls": [{"id": "1", "type": "function", "function": {
        "name": "f", "arguments": '{"a": "' + TOKEN + '\\n"}'}}]}]}
    decision, out = egress.redact_payload(payload, "openai", Vault())
    assert decision.action is Action.REDACT
    assert TOKEN not in json.dumps(out)


def test_clean_payload_is_allowed_and_not_copied(egress) -> None:  # type: ignore[no-untyped-def]
    payload = {"messages": [{"role": "user", "content": "hello"}]}
    decision, out = egress.redact_payload(payload, "openai", Vault())
    assert decision.action is Action.ALLOW and out is payload


def test_rebuild_copies_only_the_replaced_paths() -> None:
    payload = {"model": "m", "messages": [{"role": "system", "content": "a"},
                                          {"role": "user", "content": [{"type": "text", "text": "b"}]}],
               "tools": [{"name": "t"}]}
    before = copy.deepcopy(payload)
    out = rebuild(payload, {("messages", 1, "content", 0, "text"): "B", ("model",): "M"})
    assert payload == before  # input not mutated
    assert out["model"] == "M" and out["messages"][1]["content"][0]["text"] == "B"
    assert out["messages"][0] is payload["messages"][0] and out["tools"] is payload["tools"]  # shared
    assert out["messages"] is not payload["messages"] and out["messages"][1] is not payload["messages"][1]
    assert rebuild(payload, {}) is payload


def test_gemini_code_assist_wrapper() -> None:
    wrapped = {"model": "gemini-2.5-pro", "project": "p", "request": copy.deepcopy(GEMINI)}
    assert [s.path[0] for s in segments(wrapped, "gemini")] == ["request"] * 4


@pytest.mark.parametrize("bad", [[], "text", 3])
def test_bad_payloads(bad: object) -> None:
    with pytest.raises(InputError):
        segments(bad, "openai")  # type: ignore[arg-type]
    with pytest.raises(InputError):
        segments({}, "bedrock")


def test_field_name() -> None:
    assert field_name(("messages", 2, "content", 0, "text")) == "messages[2].content[0].text"


def test_payload_size_cap(tmp_path: Path) -> None:
    small = make_egress(tmp_path)
    small.max_input = 100
    with pytest.raises(InputError):
        small.check_payload({"messages": [{"role": "user", "content": "x" * 200}]}, "openai")
