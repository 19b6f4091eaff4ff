"""Placeholders, the vault, restoring (also across any split into chunks)."""
from __future__ import annotations

import base64
import json
import os
import stat
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_egress_kit import NRIC, TOKEN, TOKEN2, make_egress

from dlp.model import Category
from dlp.redact import (
    PLACEHOLDER_RE,
    StreamRestorer,
    Vault,
    VaultError,
    VaultStore,
    redact_spans,
    restore_text,
    vault_key,
)

KEY = bytes(range(32))


@pytest.fixture(autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("DLP_VAULT_KEY", raising=False)


def test_same_value_same_placeholder_and_typed_names() -> None:
    v = Vault()
    a = v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    b = v.placeholder_for_value(NRIC, rule_id="my-nric", category=Category.PII)
    assert a == "<SECRET:github-pat:1>"
    assert b == "<PII:my-nric:2>"
    assert v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET) == a
    assert v.placeholder_for_value("x = 1", rule_id="proprietary-code", category=Category.PROPRIETARY) \
        == "<CODE:proprietary-code:3>"
    assert v.original(a) == TOKEN and v.original("<SECRET:github-pat:9>") is None
    assert TOKEN not in repr(v)


def test_restore_leaves_unknown_placeholders() -> None:
    v = Vault()
    p = v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    assert restore_text(f"use {p} not <PII:my-nric:7>", v) == f"use {TOKEN} not <PII:my-nric:7>"
    assert restore_text('{"k": "' + p + '"}', Vault()) == '{"k": "' + p + '"}'


def test_restore_json_escaped() -> None:
    v = Vault()
    p = v.placeholder_for_value('a"b\\c', rule_id="x", category=Category.SECRET)
    text = json.dumps({"k": p})
    assert json.loads(restore_text(text, v, json_escape=True)) == {"k": 'a"b\\c'}


def test_new_placeholder_never_equals_literal_in_text() -> None:
    v = Vault()
    text = "literal <SECRET:github-pat:1> then " + TOKEN
    start = text.encode().index(TOKEN.encode())
    out = redact_spans(text, [(start, start + len(TOKEN), "github-pat", Category.SECRET)], v)
    assert "<SECRET:github-pat:2>" in out
    assert restore_text(out, v) == text


def test_state_round_trip_is_encrypted() -> None:
    v = Vault()
    p = v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    state = v.to_state(key=KEY)
    assert TOKEN not in json.dumps(state)
    w = Vault.from_state(json.loads(json.dumps(state)), key=KEY)
    assert w.original(p) == TOKEN
    # the next new value continues the numbering
    assert w.placeholder_for_value(TOKEN2, rule_id="github-pat", category=Category.SECRET) == "<SECRET:github-pat:2>"


def test_state_with_wrong_key_or_tampered_fails() -> None:
    v = Vault()
    v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    state = v.to_state(key=KEY)
    with pytest.raises(VaultError):
        Vault.from_state(state, key=bytes(32))
    tampered = dict(state, expires=state["expires"] + 10)
    with pytest.raises(VaultError):
        Vault.from_state(tampered, key=KEY)
    with pytest.raises(VaultError):
        Vault.from_state({"version": 99}, key=KEY)


def test_expired_state_is_empty() -> None:
    v = Vault(ttl=1, now=time.time() - 10)
    p = v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    assert Vault.from_state(v.to_state(key=KEY), key=KEY).original(p) is None


def test_key_file_is_private_and_stable(tmp_path: Path) -> None:
    path = tmp_path / "k" / "vault.key"
    key = vault_key(path)
    assert len(key) == 32 and vault_key(path) == key
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLP_VAULT_KEY", base64.b64encode(KEY).decode())
    assert vault_key() == KEY
    monkeypatch.setenv("DLP_VAULT_KEY", "short")
    with pytest.raises(VaultError):
        vault_key()


def test_store_sessions_expiry_and_no_plaintext(tmp_path: Path) -> None:
    store = VaultStore(tmp_path / "vault", ttl=3600, key=KEY)
    v = store.load("s1")
    p = v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    store.save("s1", v)
    files = list((tmp_path / "vault").glob("*.vault"))
    assert len(files) == 1 and TOKEN not in files[0].read_text()
    assert store.load("s1").original(p) == TOKEN
    assert store.load("s2").original(p) is None
    # an expired vault file is swept and not loaded
    state = json.loads(files[0].read_text())
    state["expires"] = time.time() - 1
    files[0].write_text(json.dumps(state))
    assert store.load("s1").original(p) is None
    assert store.sweep() == 1 and not files[0].exists()


def test_stream_restorer_holds_back_only_possible_prefixes() -> None:
    v = Vault()
    p = v.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    r = StreamRestorer(v)
    assert r.feed("a < b and ") == "a < b and "
    assert r.feed(p[:7]) == ""
    assert r.pending == p[:7]
    assert r.feed(p[7:] + " done") == TOKEN + " done"
    assert r.feed("<SECRET:x") == ""
    assert r.feed("y z") == "<SECRET:xy z"
    assert r.feed("<PII:") == "" and r.flush() == "<PII:"


# --------------------------------------------------------------------------- properties

_ALPHABET = st.sampled_from(list("ab <>:-1SECRTPIO\n") + ["é", "漢", "<SECRET:", "<PII:my-nric:"])
_text = st.lists(_ALPHABET, max_size=40).map("".join)


@st.composite
def _document(draw: st.DrawFn) -> str:
    pieces = draw(st.lists(st.one_of(_text, st.sampled_from([TOKEN, TOKEN2, NRIC])), max_size=8))
    return " ".join(pieces)  # rules need a word boundary around a value


def _split(draw: st.DrawFn, text: str) -> list[str]:
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


@pytest.fixture(scope="module")
def egress(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_egress(tmp_path_factory.mktemp("egress"), {"actions": {"default": "redact", "secret": "redact"}},
                       engine="python")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), text=_document())
def test_redact_then_restore_any_split(egress, data: st.DataObject, text: str) -> None:  # type: ignore[no-untyped-def]
    vault = Vault()
    _, redacted = egress.redact_text(text, vault)
    for secret in (TOKEN, TOKEN2, NRIC):
        assert secret not in redacted
    assert restore_text(redacted, vault) == text
    # the model's answer: the redacted text wrapped in prose, split anywhere
    answer = "Sure: " + redacted + " <SECRET:unknown:99> <PII:"
    expected = "Sure: " + text + " <SECRET:unknown:99> <PII:"
    restorer = StreamRestorer(vault)
    out = "".join(restorer.feed(chunk) for chunk in _split(data.draw, answer)) + restorer.flush()
    assert out == expected


@settings(max_examples=200, deadline=None)
@given(data=st.data(), text=_text)
def test_stream_restorer_equals_restore_text(data: st.DataObject, text: str) -> None:
    vault = Vault()
    vault.placeholder_for_value(TOKEN, rule_id="github-pat", category=Category.SECRET)
    vault.placeholder_for_value(NRIC, rule_id="my-nric", category=Category.PII)
    answer = text.replace("<SECRET:", "<SECRET:github-pat:1>").replace("<PII:my-nric:", "<PII:my-nric:2>")
    restorer = StreamRestorer(vault)
    out = "".join(restorer.feed(chunk) for chunk in _split(data.draw, answer)) + restorer.flush()
    assert out == restore_text(answer, vault)
    assert all(PLACEHOLDER_RE.fullmatch(p) for p in vault.placeholders())
