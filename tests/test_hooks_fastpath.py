"""The hook fast path answers exactly what the full path answers."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_egress_kit import TOKEN, write_pack

from dlp.engine import hyperscan_available
from dlp.integrations.hooks import fastpath, run_hook

pytestmark = pytest.mark.skipif(not hyperscan_available(), reason="the fast path needs hyperscan")


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rules = tmp_path / "rules" / "test"
    rules.mkdir(parents=True)
    write_pack(rules)
    monkeypatch.setenv("DLP_RULES_DIR", str(tmp_path / "rules"))
    monkeypatch.setenv("DLP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DLP_DATA_DIR", str(tmp_path / "data"))
    project = tmp_path / "project"
    (project / ".git").mkdir(parents=True)
    (project / "src").mkdir()
    (project / "src/a.py").write_text(f"t = '{TOKEN}'\n")
    (project / ".dlp.yaml").write_text("audit: {path: audit.jsonl}\n")
    return project


def prompt(project: Path, text: str, tool_event: str = "UserPromptSubmit") -> bytes:
    return json.dumps({"session_id": "s", "cwd": str(project), "hook_event_name": tool_event,
                       "prompt": text}).encode()


def full_path_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from dlp.integrations.hooks import claude_code

    calls: list[str] = []
    original = claude_code.user_prompt_submit

    def spy(ctx: Any) -> Any:
        calls.append(ctx.event)
        return original(ctx)

    monkeypatch.setitem(claude_code.HANDLERS, "UserPromptSubmit", spy)
    return calls


def test_clean_prompt_takes_the_fast_path_after_one_full_run(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = full_path_calls(monkeypatch)
    clean = prompt(env, "please refactor the parser\n" * 100)
    assert run_hook("claude-code", clean).stdout == "" and calls == ["UserPromptSubmit"]  # writes the snapshot
    assert list((env.parent / "cache").glob("egress-*.snap"))
    assert run_hook("claude-code", clean).stdout == "" and len(calls) == 1  # fast path
    audit = [json.loads(line) for line in (env / "audit.jsonl").read_text().splitlines()]
    assert [a["decision"] for a in audit] == ["allow", "allow"] and audit[1]["source"] == "claude-code"
    # a prompt with a candidate goes the full way, and is blocked there
    r = run_hook("claude-code", prompt(env, f"use {TOKEN}"))
    assert json.loads(r.stdout)["decision"] == "block" and len(calls) == 2
    # a mention of an existing path goes the full way too
    r = run_hook("claude-code", prompt(env, "what is in @src/a.py"))
    assert json.loads(r.stdout)["decision"] == "block" and len(calls) == 3
    # an @decorator is not a path
    assert run_hook("claude-code", prompt(env, "why @property here")).stdout == "" and len(calls) == 3


def test_full_path_reuses_the_snapshot_matcher(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A prompt the snapshot cannot clear goes the full way with the snapshot's
    (already loaded) matcher, and is answered exactly as without the fast path."""
    import dlp.engine

    run_hook("claude-code", prompt(env, "hello"))  # writes the snapshot
    builds: list[str] = []
    original = dlp.engine.build_matcher
    monkeypatch.setattr(dlp.engine, "build_matcher", lambda name, rs: builds.append(name) or original(name, rs))
    secret = prompt(env, f"use {TOKEN}")
    fast = run_hook("claude-code", secret)
    assert json.loads(fast.stdout)["decision"] == "block" and builds == []
    slow = run_hook("claude-code", secret, env={**os.environ, "DLP_NO_FASTPATH": "1"})
    assert builds == ["hyperscan"]
    assert (fast.stdout, fast.stderr, fast.exit_code) == (slow.stdout, slow.stderr, slow.exit_code)


def test_other_full_paths_reuse_the_snapshot_matcher(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A prompt that mentions a file (the fast path declines before reading the
    snapshot) and a tool's output also take the snapshot's matcher."""
    import dlp.engine

    run_hook("claude-code", prompt(env, "hello"))  # writes the snapshot
    builds: list[str] = []
    original = dlp.engine.build_matcher
    monkeypatch.setattr(dlp.engine, "build_matcher", lambda name, rs: builds.append(name) or original(name, rs))
    mention = run_hook("claude-code", prompt(env, "explain @src/a.py"))
    assert json.loads(mention.stdout)["decision"] == "block" and builds == []
    output = run_hook("claude-code", json.dumps({
        "session_id": "s", "cwd": str(env), "hook_event_name": "PostToolUse", "tool_name": "Bash",
        "tool_input": {"command": "env"}, "tool_response": {"stdout": f"T={TOKEN}\n"}}).encode())
    assert TOKEN not in output.stdout and "updatedToolOutput" in output.stdout and builds == []


def test_a_matcher_for_other_rules_is_not_adopted(env: Path) -> None:
    from dlp.egress import Egress

    run_hook("claude-code", prompt(env, "hello"))
    snapshot = fastpath.load(env, None)
    assert snapshot is not None
    egress = Egress.from_config(None, cwd=env)
    subset = egress.ruleset.subset([egress.ruleset.rules[0].id])
    assert not subset.adopt_matcher("hyperscan", snapshot.matcher, built_for=snapshot.header["ruleset"])
    assert fastpath.adopt(egress, snapshot) and egress.ruleset.matcher("auto") is snapshot.matcher
    assert not fastpath.adopt(egress, snapshot)  # already has one


@pytest.mark.parametrize("change", ["rule", "config", "new-pack"])
def test_snapshot_is_invalidated_by_changes(env: Path, monkeypatch: pytest.MonkeyPatch, change: str) -> None:
    calls = full_path_calls(monkeypatch)
    clean = prompt(env, "hello")
    run_hook("claude-code", clean)
    run_hook("claude-code", clean)
    assert len(calls) == 1
    rules = env.parent / "rules" / "test"
    if change == "rule":
        path = rules / "egress-test.yaml"
        path.write_text(path.read_text().replace("GitHub personal access token", "GitHub PAT"))
    elif change == "config":
        (env / ".dlp.yaml").write_text("on_error: allow\n")
    else:
        (rules / "more.yaml").write_text((rules / "egress-test.yaml").read_text().replace("id: ", "id: x-"))
    os.utime(rules, None)
    run_hook("claude-code", clean)
    assert len(calls) == 2


def test_no_snapshot_for_other_events_or_with_index(env: Path) -> None:
    assert fastpath.try_allow("claude-code", {"tool_name": "Read"}, "PreToolUse", env, None, None, None) \
        == (None, False)
    assert fastpath.try_allow("claude-code", {"prompt": "x"}, "UserPromptSubmit", env, None, None, None) \
        == (None, True)


@pytest.mark.parametrize("layout", ["root", "nested", "no-git", "none"])
def test_find_config_agrees_with_core(tmp_path: Path, layout: str) -> None:
    from dlp.config import find_config

    repo = tmp_path / "repo"
    sub = repo / "a" / "b"
    sub.mkdir(parents=True)
    if layout != "no-git":
        (repo / ".git").mkdir()
    if layout in ("root", "no-git"):
        (repo / ".dlp.yaml").write_text("{}")
    if layout == "nested":
        (sub / ".dlp.yml").write_text("{}")
    for start in (repo, sub):
        assert fastpath.find_config(start) == find_config(start)


def test_prefilter_snapshot_covers_every_positive_example() -> None:
    """The fast path's premise, on the built-in packs: whenever the scanner finds
    something in a rule's positive example, the rebuilt matcher has a span there
    (the marshal round trip of the matcher loses nothing)."""
    import marshal

    from dlp.errors import RuleError
    from dlp.ruleset import Selection, load_ruleset
    from dlp.scan import scan

    try:
        ruleset = load_ruleset(Selection(enable_packs=("all",)), examples=True)
        matcher = ruleset.matcher("hyperscan")
    except RuleError as exc:
        pytest.skip(f"built-in packs do not load right now: {exc}")
    matcher.spans(b"dob = '1990-03-15'\nuen 201912345K company\n")  # late databases loaded on demand
    state = fastpath._encode_matcher(matcher)
    assert state is not None, "the core matcher holds state the snapshot cannot store"
    assert matcher._loaded  # type: ignore[attr-defined]
    assert state["attrs"]["_loaded"] == {}  # loaded again from the blobs when needed
    state = marshal.loads(marshal.dumps((state["attrs"], state["dbs"])))
    rebuilt = fastpath.rebuild_matcher(f"{type(matcher).__module__}:{type(matcher).__qualname__}", *state)
    missed = []
    for rule in ruleset.rules:
        for example in rule.positive:
            data = example.text.encode()
            if rebuilt.spans(data) != matcher.spans(data):
                missed.append((rule.id, "spans differ"))
            elif scan(data, ruleset, engine="hyperscan") and not rebuilt.spans(data):
                missed.append((rule.id, "finding without span"))
    assert not missed


def _hook_in_fresh_process(env: Path, payload: bytes, **environ: str) -> tuple[list[str], str]:
    """(the modules loaded, the hook's answer or "allow") of the Claude Code
    prompt hook run on ``payload`` in a fresh process, as an assistant runs it."""
    import subprocess
    import sys

    code = ("import sys; from dlp.integrations.hooks import run_hook; "
            "r = run_hook('claude-code', sys.stdin.buffer.read()); "
            "print(' '.join(sorted(sys.modules))); print(r.stdout.strip() or 'allow')")
    out = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True, check=True,
                         env=dict(os.environ, **environ), cwd=env).stdout.decode()
    return out.splitlines()[-2].split(), out.splitlines()[-1]


def test_full_prompt_path_leaves_unneeded_modules_unloaded(env: Path) -> None:
    """A prompt answered by the full path (fresh process, as a hook runs) does
    not import the file walker, the index, the vault, the syntax-tree and
    Secret-manifest readers (no path, no manifest), click, hashlib (its
    import loads OpenSSL) or dataclasses (records are dlp.records): start-up time is most of a hook's cost
    (benchmarks/bench_hook.py)."""
    from dlp.config import DEFAULT_MAX_FILE_SIZE
    from dlp.sources.files import DEFAULT_MAX_FILE_SIZE as WALKER_LIMIT

    assert DEFAULT_MAX_FILE_SIZE == WALKER_LIMIT  # one limit: the walker takes the config's
    run_hook("claude-code", prompt(env, "hello"))  # fills the rule cache (no YAML parsing below)
    loaded, answer = _hook_in_fresh_process(env, prompt(env, f"use {TOKEN}"), DLP_NO_FASTPATH="1")
    assert json.loads(answer)["decision"] == "block"  # the full path ran: rules, scan, policy
    assert "dlp.scan" in loaded and "dlp.policy" in loaded
    for module in ("dlp.sources.files", "dlp.proprietary", "dlp.redact", "click", "shlex", "yaml", "hashlib",
                   "threading", "dlp.codectx", "dlp.k8s_secret", "dataclasses", "inspect", "dlp.payloads"):
        assert module not in loaded, module


def test_fast_path_loads_the_matcher_without_the_scanner(env: Path) -> None:
    """A clean prompt answered by the fast path imports the Hyperscan matcher
    and nothing of the scanner: not the rules, the context checks or the
    scan itself (their imports cost a hook tens of milliseconds)."""
    clean = prompt(env, "Please tidy up this function.")
    run_hook("claude-code", clean)  # writes the snapshot
    loaded, answer = _hook_in_fresh_process(env, clean)
    assert answer == "allow"
    assert "dlp.engine.hs" in loaded  # the fast path ran the matcher
    for module in ("dlp.ruleset", "dlp.context", "dlp.scan", "dlp.policy"):
        assert module not in loaded, module
