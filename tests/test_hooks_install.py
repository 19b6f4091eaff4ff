"""`dlp install` / `dlp uninstall`: idempotent merge, backup, nothing else touched."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlp.errors import InputError, UsageError
from dlp.integrations.hooks import install as inst

CMD = "dlp hook {tool}"

USER_SETTINGS = {
    "claude-code": {
        "model": "opus",
        "permissions": {"deny": ["Read(./secrets/**)"]},
        "hooks": {
            "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "my-guard.sh"}]}],
            "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}],
        },
    },
    "cursor": {"version": 1, "hooks": {"afterFileEdit": [{"command": "./format.sh"}],
                                       "beforeShellExecution": [{"command": "./audit.sh"}]}},
    "gemini-cli": {"theme": "GitHub", "hooksConfig": {"enabled": True},
                   "hooks": {"BeforeTool": [{"matcher": "write_file", "hooks": [{"type": "command",
                                                                                "command": "lint"}]}]}},
    "codex": {"hooks": {"Stop": [{"hooks": [{"type": "command", "command": "say done"}]}]}},
    "qoder": {"model": "auto", "hooks": {"Stop": [{"hooks": [{"type": "command", "command": "x"}]}]}},
    "copilot": None,
}


@pytest.mark.parametrize("tool", list(inst.TARGETS))
def test_install_is_idempotent_keeps_backup_and_uninstall_restores(tmp_path: Path, tool: str) -> None:
    path = inst.settings_path(tool, user=False, root=tmp_path)
    original = USER_SETTINGS[tool]
    if original is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(original, indent=4))
    command = CMD.format(tool=tool)

    p, changed = inst.install(tool, root=tmp_path, command=command)
    assert p == path and changed
    first = json.loads(path.read_text())
    assert inst.installed(first, tool)
    if original is not None:
        backup = path.with_name(path.name + inst.BACKUP_SUFFIX)
        assert json.loads(backup.read_text()) == original
        for key, value in original.items():  # nothing of the user's is lost
            if key != "hooks":
                assert first[key] == value
        for event, entries in original.get("hooks", {}).items():
            assert all(e in first["hooks"][event] for e in entries)

    p, changed = inst.install(tool, root=tmp_path, command=command)
    assert not changed and json.loads(path.read_text()) == first

    p, changed = inst.uninstall(tool, root=tmp_path)
    assert changed
    if original is None:
        assert not path.exists()
    else:
        assert json.loads(path.read_text()) == original
    p, changed = inst.uninstall(tool, root=tmp_path)
    assert not changed


def test_reinstall_with_another_command_replaces_ours_only(tmp_path: Path) -> None:
    inst.install("claude-code", root=tmp_path, command="dlp hook claude-code")
    inst.install("claude-code", root=tmp_path, command="/opt/venv/bin/python -m dlp hook claude-code")
    doc = json.loads((tmp_path / ".claude/settings.json").read_text())
    commands = [h["command"] for groups in doc["hooks"].values() for g in groups for h in g["hooks"]]
    assert commands == ["/opt/venv/bin/python -m dlp hook claude-code"] * 3


def test_claude_fragment_shape(tmp_path: Path) -> None:
    inst.install("claude-code", root=tmp_path, command="dlp hook claude-code")
    doc = json.loads((tmp_path / ".claude/settings.json").read_text())
    assert set(doc["hooks"]) == {"UserPromptSubmit", "PreToolUse", "PostToolUse"}
    pre = doc["hooks"]["PreToolUse"][0]
    assert "Read" in pre["matcher"] and "Bash" in pre["matcher"]
    assert pre["hooks"][0] == {"type": "command", "command": "dlp hook claude-code", "timeout": 30}


def test_copilot_events_carry_event_flag(tmp_path: Path) -> None:
    inst.install("copilot", root=tmp_path, command="dlp hook copilot")
    doc = json.loads((tmp_path / ".github/hooks/dlp.json").read_text())
    assert doc["version"] == 1
    assert doc["hooks"]["preToolUse"][0]["bash"] == "dlp hook copilot --event preToolUse"
    with pytest.raises(UsageError):
        inst.settings_path("copilot", user=True)


def test_user_scope(tmp_path: Path) -> None:
    p, _ = inst.install("gemini-cli", user=True, home=tmp_path, command="dlp hook gemini-cli")
    assert p == tmp_path / ".gemini/settings.json"
    hook = json.loads(p.read_text())["hooks"]["BeforeModel"][0]["hooks"][0]
    assert hook["timeout"] == 30000 and hook["name"] == "dlp"


@pytest.mark.parametrize("content", ["{broken", "[1]", '{"hooks": []}', '{"hooks": {"PreToolUse": {}}}'])
def test_refuses_to_clobber_unexpected_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / ".claude/settings.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    with pytest.raises(InputError):
        inst.install("claude-code", root=tmp_path, command="dlp hook claude-code")
    assert path.read_text() == content


def test_other_tools_dlp_entries_are_not_ours(tmp_path: Path) -> None:
    assert inst.is_dlp_command("dlp hook claude-code", "claude-code")
    assert inst.is_dlp_command("/x/bin/python -m dlp hook qoder", "qoder")
    assert inst.is_dlp_command("C:\\bin\\dlp.exe hook cursor", "cursor")
    assert inst.is_dlp_command("/venv/bin/python -m dlp.integrations.hooks claude-code", "claude-code")
    assert not inst.is_dlp_command("dlp hook qoder", "claude-code")
    assert not inst.is_dlp_command("mydlp hook claude-code", "claude-code")
    assert not inst.is_dlp_command("dlp check", "claude-code")


def test_cli_install_uninstall(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dlp.cli import main

    assert main(["install", "cursor", "--dir", str(tmp_path), "--command", "dlp hook cursor"]) == 0
    assert "hooks added" in capsys.readouterr().out
    assert main(["install", "cursor", "--dir", str(tmp_path), "--command", "dlp hook cursor"]) == 0
    assert "already" in capsys.readouterr().out
    assert main(["uninstall", "cursor", "--dir", str(tmp_path)]) == 0
    assert not (tmp_path / ".cursor/hooks.json").exists()
    assert main(["install", "notepad", "--dir", str(tmp_path)]) == 2


def test_git_hook_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    class FakeGithook:
        @staticmethod
        def install_git_hook(repo: Path, *, force: bool = False) -> str:
            calls.append(("install", Path(repo), force))
            return "pre-commit"

        @staticmethod
        def uninstall_git_hook(repo: Path) -> str:
            calls.append(("uninstall", Path(repo)))
            return "pre-commit"

    import sys

    monkeypatch.setitem(sys.modules, "dlp.githook", FakeGithook)
    import dlp

    monkeypatch.setattr(dlp, "githook", FakeGithook, raising=False)
    from dlp.cli import main

    assert main(["install", "git-hook", "--dir", str(tmp_path), "--force"]) == 0
    assert main(["uninstall", "git-hook", "--dir", str(tmp_path)]) == 0
    assert calls == [("install", tmp_path, True), ("uninstall", tmp_path)]


def test_only_dlp_content_means_the_file_goes(tmp_path: Path) -> None:
    # A file that held nothing but dlp's hooks is removed on uninstall (an
    # empty "hooks" object the user had is not remembered).
    path = tmp_path / ".qoder/settings.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"hooks": {}}')
    inst.install("qoder", root=tmp_path, command="dlp hook qoder")
    inst.uninstall("qoder", root=tmp_path)
    assert not path.exists()
    assert json.loads(path.with_name(path.name + inst.BACKUP_SUFFIX).read_text())["hooks"]


REPO = Path(__file__).resolve().parent.parent
SHIPPED = {"claude-code": "hooks/claude-code/settings.json", "cursor": "hooks/cursor/hooks.json",
           "gemini-cli": "hooks/gemini-cli/settings.json", "copilot": "hooks/copilot/dlp.json",
           "codex": "hooks/codex/hooks.json", "qoder": "hooks/qoder/settings.json"}


@pytest.mark.parametrize(("tool", "path"), list(SHIPPED.items()))
def test_shipped_configs_are_what_install_writes(tool: str, path: str) -> None:
    assert json.loads((REPO / path).read_text()) == inst.TARGETS[tool].build(f"dlp hook {tool}")


def test_example_policy_is_valid() -> None:
    from dlp.config import load_config
    from dlp.policy import load_policy

    config = load_config(REPO / "hooks/dlp.example.yaml")
    policy = load_policy(config)
    assert policy.pii_jurisdictions == ("my", "sg")
    assert policy.destination("localhost") is not None
