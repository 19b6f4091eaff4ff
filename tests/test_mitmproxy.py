"""The mitmproxy addon inside a real `mitmdump`, in reverse and regular proxy mode.

mitmproxy 11 pins h11<=0.14, which the SDKs and LiteLLM cannot live with, so it
gets a virtualenv of its own, built once and kept under ~/.cache/dlp-tests (or
$DLP_TEST_CACHE) keyed by mitmproxy and Python versions. dlp runs there from
this source tree (PYTHONPATH) with its core packages; the test skips, with
pip's reason, only if pip cannot install mitmproxy.
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

openai = pytest.importorskip("openai", reason="the end-to-end tests need the openai SDK")
anthropic = pytest.importorskip("anthropic", reason="the end-to-end tests need the anthropic SDK")
httpx = pytest.importorskip("httpx")
pytest.importorskip("aiohttp", reason="the fake upstream needs aiohttp")

from fake_upstream import (  # noqa: E402
    BLOCKED_TEXT, SECRET, THINKING_TEXT, FakeUpstream, LoopThread, free_port, wait_for_port, write_policy,
)

MITMPROXY_VERSION = "11.0.2"
ROOT = Path(__file__).resolve().parent.parent
ADDON = ROOT / "dlp" / "integrations" / "mitmproxy.py"
# dlp's core packages (no hyperscan: the tests use the python engine)
CORE_PACKAGES = ["click>=8.1", "pyyaml>=6.0", "pathspec>=0.12", "python-stdnum>=1.20", "phonenumbers>=8.13",
                 "rich>=13"]
PROMPT = f"deploy with token {SECRET} please"


def _cache_dir() -> Path:
    return Path(os.environ.get("DLP_TEST_CACHE") or Path.home() / ".cache" / "dlp-tests")


def mitmproxy_venv() -> Path:
    """A virtualenv with mitmproxy and dlp's core packages (built once, under a lock)."""
    tag = f"mitmproxy-{MITMPROXY_VERSION}-py{sys.version_info.major}{sys.version_info.minor}"
    venv = _cache_dir() / tag
    done = venv / ".dlp-complete"
    if done.exists():
        return venv
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f".{tag}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return venv
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
        result = subprocess.run([*pip, f"mitmproxy=={MITMPROXY_VERSION}", *CORE_PACKAGES],
                                capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            tail = " | ".join(line for line in result.stderr.splitlines()[-3:] if line.strip())
            pytest.skip(f"pip cannot install mitmproxy=={MITMPROXY_VERSION}: {tail}")
        done.write_text("ok\n")
    return venv


class Mitm:
    def __init__(self, venv: Path, policy: Path, args: list[str], log: Path) -> None:
        self.port = free_port()
        env = dict(os.environ, PYTHONPATH=str(ROOT), HOME=str(log.parent))  # a fresh CA dir under HOME
        cmd = [str(venv / "bin" / "python"), "-c", "from mitmproxy.tools.main import mitmdump; mitmdump()",
               "-s", str(ADDON), "--listen-host", "127.0.0.1", "--listen-port", str(self.port),
               "--set", f"dlp_config={policy}", "--set", "dlp_engine=python", "-q", *args]
        self.log = log
        self._out = open(log, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._out, stderr=subprocess.STDOUT, env=env, cwd=log.parent)
        try:
            wait_for_port(self.port, timeout=120, proc=self.proc)
        except Exception:
            self.close()
            raise RuntimeError(f"mitmdump did not start: {log.read_text(errors='replace')[-2000:]}") from None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._out.close()


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Any:
    venv = mitmproxy_venv()
    work = tmp_path_factory.mktemp("mitm")
    policy = write_policy(work)
    loop = LoopThread()
    fake = FakeUpstream()
    upstream = loop.serve(fake.app())
    reverse = Mitm(venv, policy, ["--mode", f"reverse:{upstream}"], work / "reverse.log")
    regular = Mitm(venv, policy, ["--set", "dlp_hosts=127.0.0.1"], work / "regular.log")
    try:
        yield fake, upstream, reverse, regular
    finally:
        reverse.close()
        regular.close()
        loop.close()
        for m in (reverse, regular):
            assert SECRET not in m.log.read_text(errors="replace"), "the secret was logged"


def _check_clean(fake: FakeUpstream) -> None:
    assert fake.received and SECRET.encode() not in fake.bodies()


def test_reverse_mode_openai_and_anthropic_streams(setup: Any) -> None:
    fake, _, reverse, _ = setup
    fake.clear()
    client = openai.OpenAI(base_url=reverse.url + "/v1", api_key="sk-test", max_retries=0, timeout=30)
    r = client.chat.completions.create(model="m", messages=[{"role": "user", "content": PROMPT}])
    assert r.choices[0].message.content == f"echo: {SECRET} done"
    with client.chat.completions.stream(model="m", messages=[{"role": "user", "content": PROMPT}]) as s:
        final = s.get_final_completion().choices[0].message
    assert final.content == f"echo: {SECRET} done"
    assert SECRET in final.tool_calls[0].function.arguments
    with client.responses.stream(model="m", input=PROMPT) as s:
        first = s.get_final_response()
    assert first.output_text == f"echo: {SECRET} done"
    # the next turn holds no secret; the provider-held history does, and is still restored
    second = client.responses.create(model="m", input="again?", previous_response_id=first.id)
    assert second.output_text == f"echo: {SECRET} done"
    claude = anthropic.Anthropic(base_url=reverse.url, api_key="sk-ant", max_retries=0, timeout=30)
    with claude.messages.stream(model="c", max_tokens=5, messages=[{"role": "user", "content": PROMPT}]) as s:
        thinking, text, tool = s.get_final_message().content
    assert thinking.thinking == THINKING_TEXT
    assert text.text == f"echo: {SECRET} done" and tool.input["token"] == SECRET
    _check_clean(fake)


def test_reverse_mode_block_never_reaches_upstream(setup: Any) -> None:
    fake, _, reverse, _ = setup
    fake.clear()
    claude = anthropic.Anthropic(base_url=reverse.url, api_key="sk-ant", max_retries=0, timeout=30)
    with pytest.raises(anthropic.PermissionDeniedError) as info:
        claude.messages.create(model="c", max_tokens=5, messages=[{"role": "user", "content": BLOCKED_TEXT}])
    assert info.value.body["error"]["type"] == "permission_error"
    assert not fake.received


def test_regular_proxy_mode(setup: Any) -> None:
    fake, upstream, _, regular = setup
    fake.clear()
    http_client = httpx.Client(proxy=regular.url, timeout=30)
    client = openai.OpenAI(base_url=upstream + "/v1", api_key="sk-test", max_retries=0, http_client=http_client)
    stream = client.chat.completions.create(model="m", messages=[{"role": "user", "content": PROMPT}], stream=True)
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == f"echo: {SECRET} done"
    _check_clean(fake)
    with pytest.raises(openai.PermissionDeniedError):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": BLOCKED_TEXT}])
    r = httpx.post(upstream + "/v1beta/models/g:generateContent", timeout=30, proxy=regular.url,
                   json={"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]})
    assert r.json()["candidates"][0]["content"]["parts"][0]["text"] == f"echo: {SECRET} done"
    _check_clean(fake)
