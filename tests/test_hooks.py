"""Hook payloads in each tool's documented format: block, allow, redact, deny
paths, malformed input, failures."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_egress_kit import NRIC, TOKEN, make_egress

from dlp.integrations.hooks import HookResult, resolve_tool, run_hook

POLICY = {"proprietary": {"paths": ["src/pricing/"]}}


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "src/pricing").mkdir(parents=True)
    (tmp_path / "src/pricing/engine.py").write_text("def price(x):\n    return x * 1.07\n")
    (tmp_path / "src/app.py").write_text("print('hello')\n")
    (tmp_path / ".env").write_text(f"GITHUB_TOKEN={TOKEN}\n")
    monkeypatch.setenv("DLP_DATA_DIR", str(tmp_path / "_data"))
    monkeypatch.delenv("DLP_VAULT_KEY", raising=False)
    return tmp_path


def hook(tool: str, payload: Any, project: Path, policy: dict | None = None, **kw: Any) -> HookResult:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return run_hook(tool, raw, egress=make_egress(project, POLICY if policy is None else policy), **kw)


def out(result: HookResult) -> Any:
    return json.loads(result.stdout) if result.stdout.strip() else None


def claude(event: str, project: Path, **fields: Any) -> dict[str, Any]:
    return {"session_id": "abc", "transcript_path": "/tmp/t.jsonl", "cwd": str(project),
            "permission_mode": "default", "hook_event_name": event, **fields}


# --------------------------------------------------------------------------- Claude Code (and Qoder, Codex)


@pytest.mark.parametrize("tool", ["claude-code", "qoder", "codex"])
def test_claude_prompt_allow(project: Path, tool: str) -> None:
    r = hook(tool, claude("UserPromptSubmit", project, prompt="refactor @src/app.py"), project)
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")


@pytest.mark.parametrize("tool", ["claude-code", "qoder", "codex"])
@pytest.mark.parametrize(("prompt", "why"), [
    (f"deploy with {TOKEN}", "github-pat"),
    ("explain @src/pricing/engine.py", "proprietary path"),
    ("what does @.env hold", "github-pat"),
    (f"customer IC {NRIC}", "my-nric"),  # redact cannot be done here: blocked (unredactable: block)
])
def test_claude_prompt_block(project: Path, tool: str, prompt: str, why: str) -> None:
    r = hook(tool, claude("UserPromptSubmit", project, prompt=prompt), project)
    body = out(r)
    assert r.exit_code == 0 and body["decision"] == "block" and why in body["reason"]
    assert TOKEN not in r.stdout and NRIC not in r.stdout


def test_claude_prompt_redact_allowed_when_unredactable_allow(project: Path) -> None:
    r = hook("claude-code", claude("UserPromptSubmit", project, prompt=f"IC {NRIC}"), project,
             {"actions": {"unredactable": "allow"}})
    body = out(r)
    assert "decision" not in body and "my-nric" in body["systemMessage"]


@pytest.mark.parametrize(("tool_name", "tool_input", "denied"), [
    ("Read", {"file_path": "{root}/src/pricing/engine.py"}, True),
    ("Read", {"file_path": "{root}/.env"}, True),
    ("Read", {"file_path": "{root}/src/app.py"}, False),
    ("Grep", {"pattern": "price", "path": "{root}/src/pricing"}, True),
    ("Glob", {"pattern": "src/pricing/**"}, False),
    ("Bash", {"command": "cat src/pricing/engine.py"}, True),
    ("Bash", {"command": "npm test"}, False),
    ("Edit", {"file_path": "{root}/src/pricing/engine.py", "old_string": "1.07", "new_string": "1.08"}, True),
    ("WebFetch", {"url": "https://example.com", "prompt": f"use {TOKEN}"}, True),
])
def test_claude_pre_tool_use(project: Path, tool_name: str, tool_input: dict, denied: bool) -> None:
    tool_input = json.loads(json.dumps(tool_input).replace("{root}", str(project)))
    r = hook("claude-code", claude("PreToolUse", project, tool_name=tool_name, tool_input=tool_input,
                                   tool_use_id="t1"), project)
    assert r.exit_code == 0
    if denied:
        spec = out(r)["hookSpecificOutput"]
        assert spec["hookEventName"] == "PreToolUse" and spec["permissionDecision"] == "deny"
        assert "dlp blocked" in spec["permissionDecisionReason"]
    else:
        assert r.stdout == ""


def test_claude_post_tool_use_redacts_bash_output(project: Path) -> None:
    response = {"stdout": f"IC={NRIC}\nTOKEN={TOKEN}\nok", "stderr": "", "interrupted": False, "isImage": False}
    r = hook("claude-code", claude("PostToolUse", project, tool_name="Bash", tool_input={"command": "env"},
                                   tool_response=response), project)
    body = out(r)
    new = body["hookSpecificOutput"]["updatedToolOutput"]
    assert set(new) == set(response)  # the tool's own output schema
    assert new["stdout"] == "IC=<PII:my-nric:1>\nTOKEN=<SECRET:github-pat:2>\nok"
    assert "decision" not in body  # a block would end Claude's turn; the output is already clean
    assert "github-pat" in body["hookSpecificOutput"]["additionalContext"] and TOKEN not in r.stdout
    # the same session keeps the same placeholders
    r2 = hook("claude-code", claude("PostToolUse", project, tool_name="Bash", tool_input={"command": "env"},
                                    tool_response={"stdout": NRIC, "stderr": ""}), project)
    assert out(r2)["hookSpecificOutput"]["updatedToolOutput"]["stdout"] == "<PII:my-nric:1>"


def test_claude_post_tool_use_read_of_proprietary_file_is_withheld(project: Path) -> None:
    path = str(project / "src/pricing/engine.py")
    response = {"type": "text", "file": {"filePath": path, "content": "def price(x): ...", "numLines": 1,
                                         "startLine": 1, "totalLines": 1}}
    r = hook("claude-code", claude("PostToolUse", project, tool_name="Read", tool_input={"file_path": path},
                                   tool_response=response), project)
    new = out(r)["hookSpecificOutput"]["updatedToolOutput"]
    assert new["file"]["content"].startswith("[dlp: withheld")
    assert new["file"]["numLines"] == 1


def test_claude_post_tool_use_drops_persisted_copy(project: Path) -> None:
    response = {"stdout": f"IC={NRIC}", "stderr": "", "interrupted": False, "isImage": False,
                "persistedOutputPath": "/tmp/out.txt", "persistedOutputSize": 123456}
    r = hook("claude-code", claude("PostToolUse", project, tool_name="Bash", tool_input={"command": "env"},
                                   tool_response=response), project)
    new = out(r)["hookSpecificOutput"]["updatedToolOutput"]
    assert set(new) == {"stdout", "stderr", "interrupted", "isImage"}


def test_claude_post_tool_use_clean_output(project: Path) -> None:
    r = hook("claude-code", claude("PostToolUse", project, tool_name="Bash", tool_input={"command": "ls"},
                                   tool_response={"stdout": "a\nb", "stderr": ""}), project)
    assert r.stdout == "" and r.exit_code == 0


def test_claude_mcp_output_also_uses_legacy_field(project: Path) -> None:
    r = hook("claude-code", claude("PostToolUse", project, tool_name="mcp__db__query", tool_input={},
                                   tool_response=[{"type": "text", "text": f"ic {NRIC}"}]), project)
    spec = out(r)["hookSpecificOutput"]
    assert spec["updatedMCPToolOutput"] == spec["updatedToolOutput"] == [{"type": "text", "text": "ic <PII:my-nric:1>"}]


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_claude_malformed_input_blocks_with_exit_2(project: Path, raw: bytes,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    r = run_hook("claude-code", raw)
    assert r.exit_code == 2 and r.stderr.startswith("dlp: malformed hook input") and "Traceback" not in r.stderr


def test_malformed_input_with_on_error_allow(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / ".dlp.yaml").write_text("on_error: allow\n")
    monkeypatch.chdir(project)
    r = run_hook("claude-code", b"{oops")
    assert r.exit_code == 0 and "allowed" in out(r)["systemMessage"]


def test_oversized_input(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dlp.integrations import hooks

    monkeypatch.setattr(hooks, "MAX_HOOK_INPUT", 10)
    monkeypatch.chdir(project)
    r = run_hook("claude-code", json.dumps(claude("UserPromptSubmit", project, prompt="x" * 20)).encode())
    assert r.exit_code == 2 and "larger than" in r.stderr


def test_invalid_policy_fails_closed(project: Path) -> None:
    (project / ".dlp.yaml").write_text("actions:\n  secret: maybe\n")
    r = run_hook("claude-code", json.dumps(claude("UserPromptSubmit", project, prompt="hi")).encode())
    assert r.exit_code == 2 and ".dlp.yaml: actions.secret must be" in r.stderr


def test_internal_error_is_answered_in_protocol(project: Path) -> None:
    class Broken:
        policy = make_egress(project).policy

        def check_prompt(self, *a: Any, **k: Any) -> Any:
            raise RuntimeError("boom")

    r = run_hook("claude-code", json.dumps(claude("UserPromptSubmit", project, prompt="hi")).encode(),
                 egress=Broken())
    assert r.exit_code == 2 and "internal error: RuntimeError: boom" in r.stderr


def test_unknown_event_is_ignored(project: Path) -> None:
    r = hook("claude-code", claude("SessionStart", project, source="startup"), project)
    assert (r.exit_code, r.stdout) == (0, "")


def test_audit_log(project: Path) -> None:
    egress = make_egress(project, {"audit": {"path": "audit.jsonl"}})
    run_hook("claude-code", json.dumps(claude("UserPromptSubmit", project, prompt=f"t {TOKEN}")).encode(),
             egress=egress)
    line = json.loads((project / "audit.jsonl").read_text())
    assert line["source"] == "claude-code" and line["event"] == "UserPromptSubmit"
    assert line["decision"] == "block" and line["rule_ids"] == ["github-pat"] and line["session"] == "abc"
    assert line["destination"] == "api.anthropic.com" and line["fingerprints"][0].startswith("sha256:")
    assert TOKEN not in (project / "audit.jsonl").read_text()


def test_destination_from_base_url(project: Path) -> None:
    egress = make_egress(project, {"destinations": {"localhost": {"actions": "allow"}}})
    payload = json.dumps(claude("UserPromptSubmit", project, prompt=f"t {TOKEN}")).encode()
    assert out(run_hook("claude-code", payload, egress=egress,
                        env={"ANTHROPIC_BASE_URL": "http://localhost:4000"})) is None
    assert out(run_hook("claude-code", payload, egress=egress, env={}))["decision"] == "block"
    assert out(run_hook("claude-code", payload, egress=egress, destination="localhost")) is None


# --------------------------------------------------------------------------- Cursor


def cursor(event: str, project: Path, **fields: Any) -> dict[str, Any]:
    return {"conversation_id": "c1", "generation_id": "g1", "model": "claude-4.5-sonnet", "hook_event_name": event,
            "cursor_version": "2.0", "workspace_roots": [str(project)], "user_email": None, **fields}


def test_cursor_before_submit_prompt(project: Path) -> None:
    assert out(hook("cursor", cursor("beforeSubmitPrompt", project, prompt="hi", attachments=[]), project)) \
        == {"continue": True}
    body = out(hook("cursor", cursor("beforeSubmitPrompt", project, prompt=f"key {TOKEN}", attachments=[]),
                    project))
    assert body["continue"] is False and "github-pat" in body["user_message"]
    attached = [{"type": "file", "filePath": str(project / "src/pricing/engine.py")}]
    body = out(hook("cursor", cursor("beforeSubmitPrompt", project, prompt="explain", attachments=attached),
                    project))
    assert body["continue"] is False and "proprietary" in body["user_message"]


def test_cursor_before_read_file(project: Path) -> None:
    def read(rel: str, content: str) -> Any:
        return out(hook("cursor", cursor("beforeReadFile", project, file_path=str(project / rel), content=content,
                                         attachments=[]), project))

    assert read("src/app.py", "print('hello')") == {"permission": "allow"}
    assert read("src/pricing/engine.py", "def price(x): ...")["permission"] == "deny"
    assert read(".env", f"GITHUB_TOKEN={TOKEN}")["permission"] == "deny"


def test_cursor_shell_and_mcp(project: Path) -> None:
    body = out(hook("cursor", cursor("beforeShellExecution", project, command="cat src/pricing/engine.py",
                                     cwd=str(project)), project))
    assert body["permission"] == "deny" and body["agent_message"]
    assert out(hook("cursor", cursor("beforeShellExecution", project, command="ls", cwd=str(project)), project)) \
        == {"permission": "allow"}
    body = out(hook("cursor", cursor("beforeMCPExecution", project, tool_name="post",
                                     tool_input=json.dumps({"body": TOKEN}), url="https://mcp"), project))
    assert body["permission"] == "deny"


def test_cursor_malformed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    r = run_hook("cursor", b"nope")
    assert r.exit_code == 2 and out(r)["continue"] is False and out(r)["permission"] == "deny"


# --------------------------------------------------------------------------- Gemini CLI


def gemini(event: str, project: Path, **fields: Any) -> dict[str, Any]:
    return {"session_id": "g-1", "transcript_path": "/tmp/t.json", "cwd": str(project), "hook_event_name": event,
            "timestamp": "2026-11-22T06:00:00Z", **fields}


def test_gemini_before_agent(project: Path) -> None:
    assert out(hook("gemini-cli", gemini("BeforeAgent", project, prompt=f"IC {NRIC}"), project)) == {}
    body = out(hook("gemini-cli", gemini("BeforeAgent", project, prompt="review @src/pricing/engine.py"), project))
    assert body["decision"] == "deny" and "proprietary" in body["reason"]


def test_gemini_before_model_redacts_and_after_model_restores_across_chunks(project: Path) -> None:
    request = {"model": "gemini-2.5-pro", "config": {"temperature": 0},
               "messages": [{"role": "system", "content": "be brief"},
                            {"role": "user", "content": f"is {NRIC} a valid IC?"}]}
    body = out(hook("gemini-cli", gemini("BeforeModel", project, llm_request=request), project))
    new = body["hookSpecificOutput"]["llm_request"]
    assert new["model"] == "gemini-2.5-pro" and new["config"] == {"temperature": 0}
    assert new["messages"][0] == request["messages"][0]
    assert new["messages"][1]["content"] == "is <PII:my-nric:1> a valid IC?"

    def chunk(text: str, finish: str | None = None) -> Any:
        cand: dict[str, Any] = {"content": {"role": "model", "parts": [text]}}
        if finish:
            cand["finishReason"] = finish
        r = hook("gemini-cli", gemini("AfterModel", project, llm_request=new,
                                      llm_response={"candidates": [cand]}), project)
        body = out(r)
        if not body:
            return text
        return body["hookSpecificOutput"]["llm_response"]["candidates"][0]["content"]["parts"][0]

    pieces = [chunk("Yes, <PII:my"), chunk("-nric:1> is valid"), chunk(". <PII:", None), chunk("x>", "STOP")]
    assert "".join(pieces) == f"Yes, {NRIC} is valid. <PII:x>"


def test_gemini_before_model_block(project: Path) -> None:
    request = {"model": "m", "messages": [{"role": "user", "content": f"token {TOKEN}"}]}
    body = out(hook("gemini-cli", gemini("BeforeModel", project, llm_request=request), project))
    assert body["decision"] == "deny" and "github-pat" in body["reason"]


def test_gemini_after_model_without_vault_is_a_no_op(project: Path) -> None:
    response = {"candidates": [{"content": {"role": "model", "parts": ["<PII:my-nric:1>"]}}]}
    assert out(hook("gemini-cli", gemini("AfterModel", project, llm_request={}, llm_response=response),
                    project)) == {}


def test_gemini_tools(project: Path) -> None:
    body = out(hook("gemini-cli", gemini("BeforeTool", project, tool_name="read_file",
                                         tool_input={"absolute_path": str(project / "src/pricing/engine.py")}),
                    project))
    assert body["decision"] == "deny"
    body = out(hook("gemini-cli", gemini("BeforeTool", project, tool_name="run_shell_command",
                                         tool_input={"command": "ls"}), project))
    assert body == {}
    body = out(hook("gemini-cli", gemini("AfterTool", project, tool_name="run_shell_command",
                                         tool_input={"command": "env"},
                                         tool_response={"llmContent": f"IC={NRIC}", "returnDisplay": "..."}),
                    project))
    assert body["hookSpecificOutput"]["tool_output"] == "IC=<PII:my-nric:1>"


def test_gemini_malformed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    r = run_hook("gemini-cli", b"]")
    assert r.exit_code == 2 and "malformed" in r.stderr


# --------------------------------------------------------------------------- Copilot CLI


def test_copilot_pre_tool_use(project: Path) -> None:
    payload = {"timestamp": 1704614600000, "cwd": str(project), "toolName": "view",
               "toolArgs": json.dumps({"path": str(project / "src/pricing/engine.py")})}
    body = out(hook("copilot", payload, project, event="preToolUse"))
    assert body["permissionDecision"] == "deny" and "proprietary" in body["permissionDecisionReason"]
    payload["toolArgs"] = json.dumps({"command": "cat .env"})
    payload["toolName"] = "bash"
    assert out(hook("copilot", payload, project))["permissionDecision"] == "deny"  # event guessed
    payload["toolArgs"] = json.dumps({"command": "ls"})
    assert out(hook("copilot", payload, project)) == {"permissionDecision": "allow"}


def test_copilot_vscode_form(project: Path) -> None:
    payload = {"hook_event_name": "PreToolUse", "cwd": str(project), "tool_name": "read_file",
               "tool_input": {"filePath": str(project / "src/pricing/engine.py")}}
    spec = out(hook("copilot", payload, project))["hookSpecificOutput"]
    assert spec["permissionDecision"] == "deny"


def test_copilot_prompt_is_only_warned(project: Path) -> None:
    payload = {"timestamp": 1, "cwd": str(project), "prompt": f"use {TOKEN}"}
    r = hook("copilot", payload, project, event="userPromptSubmitted")
    assert r.exit_code == 0 and r.stdout == "" and "github-pat" in r.stderr


def test_copilot_malformed_is_an_explicit_deny(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    r = run_hook("copilot", b"{", event="preToolUse")
    assert out(r)["permissionDecision"] == "deny"


# --------------------------------------------------------------------------- Codex


def test_codex_pre_tool_use_shell(project: Path) -> None:
    payload = {"session_id": "x", "cwd": str(project), "hook_event_name": "PreToolUse", "tool_name": "Bash",
               "tool_input": {"command": ["bash", "-lc", "cat src/pricing/engine.py"]}}
    spec = out(hook("codex", payload, project))["hookSpecificOutput"]
    assert spec["permissionDecision"] == "deny"


def codex(event: str, project: Path, **fields: Any) -> dict[str, Any]:
    """A Codex CLI payload (codex-rs/hooks/schema/generated/*.command.input.schema.json)."""
    return {"session_id": "cx", "turn_id": "t1", "transcript_path": None, "cwd": str(project),
            "hook_event_name": event, "model": "gpt-5", "permission_mode": "default", **fields}


def test_codex_post_tool_use_replaces_the_output_through_feedback(project: Path) -> None:
    """Codex ignores updatedToolOutput; a block's reason is what the model sees instead of the output."""
    r = hook("codex", codex("PostToolUse", project, tool_name="Bash", tool_use_id="c1",
                            tool_input={"command": "env"}, tool_response=f"IC={NRIC}\nTOKEN={TOKEN}\nok"), project)
    body = out(r)
    assert r.exit_code == 0 and body["decision"] == "block"
    assert TOKEN not in r.stdout and NRIC not in r.stdout
    note, shown = body["reason"].split("\n", 1)
    assert "github-pat" in note and note.startswith("[dlp ")
    assert shown == "IC=<PII:my-nric:1>\nTOKEN=<SECRET:github-pat:2>\nok"
    assert "hookSpecificOutput" not in body  # updatedMCPToolOutput would make Codex drop the whole answer
    assert body["systemMessage"]


def test_codex_post_tool_use_structured_and_mcp_output(project: Path) -> None:
    response = {"content": [{"type": "text", "text": f"token {TOKEN}"}], "isError": False}
    r = hook("codex", codex("PostToolUse", project, tool_name="mcp__db__query", tool_use_id="c2",
                            tool_input={"sql": "select 1"}, tool_response=response), project)
    body = out(r)
    assert body["decision"] == "block" and "hookSpecificOutput" not in body
    shown = json.loads(body["reason"].split("\n", 1)[1])
    assert shown["content"][0]["text"] == "token <SECRET:github-pat:1>"


def test_codex_post_tool_use_clean_output_is_left_alone(project: Path) -> None:
    r = hook("codex", codex("PostToolUse", project, tool_name="Bash", tool_use_id="c3",
                            tool_input={"command": "ls"}, tool_response="a\nb"), project)
    assert r.stdout == "" and r.exit_code == 0


def test_resolve_tool_aliases() -> None:
    from dlp.errors import UsageError

    assert resolve_tool("claude") == "claude-code" and resolve_tool("gemini") == "gemini-cli"
    with pytest.raises(UsageError):
        resolve_tool("notepad")


def test_placeholders_are_restored_into_local_tool_calls(project: Path) -> None:
    # PostToolUse redacts an NRIC; the model then uses the placeholder in a command
    response = {"stdout": f"IC={NRIC}", "stderr": ""}
    hook("claude-code", claude("PostToolUse", project, tool_name="Bash", tool_input={"command": "env"},
                               tool_response=response), project)
    r = hook("claude-code", claude("PreToolUse", project, tool_name="Bash",
                                   tool_input={"command": "lookup --ic '<PII:my-nric:1>'"}), project)
    spec = out(r)["hookSpecificOutput"]
    assert spec["permissionDecision"] == "ask"
    assert spec["updatedInput"] == {"command": f"lookup --ic '{NRIC}'"}
    # never into a call that sends its arguments out
    r = hook("claude-code", claude("PreToolUse", project, tool_name="WebFetch",
                                   tool_input={"url": "https://x.example/?q=<PII:my-nric:1>"}), project)
    assert r.stdout == ""
    # another session does not know the placeholder
    other = claude("PreToolUse", project, tool_name="Bash", tool_input={"command": "echo <PII:my-nric:1>"})
    other["session_id"] = "another"
    assert hook("claude-code", other, project).stdout == ""


def test_gemini_before_tool_restores_placeholders(project: Path) -> None:
    request = {"model": "m", "messages": [{"role": "user", "content": f"check {NRIC}"}]}
    hook("gemini-cli", gemini("BeforeModel", project, llm_request=request), project)
    body = out(hook("gemini-cli", gemini("BeforeTool", project, tool_name="run_shell_command",
                                         tool_input={"command": "grep <PII:my-nric:1> db.csv"}), project))
    assert body["hookSpecificOutput"]["tool_input"] == {"command": f"grep {NRIC} db.csv"}


def test_dlp_hook_command_line(project: Path, monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import sys

    from test_egress_kit import write_pack

    from dlp.cli import main
    from dlp.integrations.hooks.__main__ import main as module_main

    (project / "_rules" / "test").mkdir(parents=True)
    write_pack(project / "_rules" / "test")
    monkeypatch.setenv("DLP_RULES_DIR", str(project / "_rules"))
    monkeypatch.setenv("DLP_CACHE_DIR", str(project / "_cache"))
    monkeypatch.chdir(project)

    def call(entry: Any, args: list[str], stdin: bytes) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = entry(args)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    blocked = json.dumps(claude("UserPromptSubmit", project, prompt=f"t {TOKEN}")).encode()
    for entry, prefix in ((main, ["hook"]), (module_main, [])):
        code, stdout, _ = call(entry, [*prefix, "claude-code"], blocked)
        assert code == 0 and json.loads(stdout)["decision"] == "block"
        code, stdout, stderr = call(entry, [*prefix, "claude-code"], b"{nope")
        assert code == 2 and stdout == "" and stderr.startswith("dlp: malformed")
        code, stdout, _ = call(entry, [*prefix, "copilot", "--event", "preToolUse"],
                               json.dumps({"cwd": str(project), "toolName": "view",
                                           "toolArgs": json.dumps({"path": ".env"})}).encode())
        assert code == 0 and json.loads(stdout)["permissionDecision"] == "deny"
    code, _, stderr = call(main, ["hook", "notepad"], b"{}")
    assert code == 2 and "unknown tool" in stderr
    code, _, stderr = call(module_main, ["notepad"], b"{}")
    assert code == 2 and "unknown tool" in stderr


def test_claude_post_tool_use_answer_fits_the_hook_output_limit(project: Path) -> None:
    from dlp.integrations.hooks.claude_code import MAX_HOOK_OUTPUT

    big = ("x" * 70 + "\n") * 600 + f"IC={NRIC}\n" + ("y" * 70 + "\n") * 300
    response = {"stdout": big, "stderr": "short", "interrupted": False, "isImage": False}
    r = hook("claude-code", claude("PostToolUse", project, tool_name="Bash", tool_input={"command": "cat log"},
                                   tool_response=response), project)
    assert len(r.stdout) <= MAX_HOOK_OUTPUT + 1
    new = json.loads(r.stdout)["hookSpecificOutput"]["updatedToolOutput"]
    assert new["stdout"].endswith("[dlp: output shortened to fit the hook output limit]")
    assert NRIC not in r.stdout and new["stderr"] == "short"
