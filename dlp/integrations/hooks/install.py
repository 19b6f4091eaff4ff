"""``dlp install <tool>`` / ``dlp uninstall <tool>``: merge dlp's hooks into a
tool's settings file, and take exactly them out again.

- Idempotent: installing twice leaves one set of dlp entries.
- Never clobbers: every other key, event and hook is kept as it was; a file
  that is not a JSON object is refused, not rewritten.
- Backup: before a file is changed its previous content is copied to
  ``<file>.dlp-backup``.
- dlp's entries are recognised by their command (``dlp hook <tool>``,
  ``python -m dlp hook <tool>`` or ``python -m dlp.integrations.hooks <tool>``), so uninstall removes only those, and removes
  an event list or the ``hooks`` key only if dlp's entries were all it held.
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlp.errors import InputError, UsageError

BACKUP_SUFFIX = ".dlp-backup"

CLAUDE_PRE_TOOLS = "Read|Grep|Glob|Bash|Edit|MultiEdit|Write|NotebookRead|NotebookEdit|WebFetch|WebSearch|mcp__.*"
CLAUDE_POST_TOOLS = "Read|Grep|Glob|Bash|WebFetch|WebSearch|NotebookRead|mcp__.*"
GEMINI_TOOLS = ("read_file|read_many_files|run_shell_command|search_file_content|grep|glob|list_directory|"
                "web_fetch|google_web_search|mcp__.*")


@dataclass(frozen=True, slots=True)
class Target:
    tool: str
    project_file: str | None  # relative to the project root
    user_file: str | None  # relative to the home directory
    build: Callable[[str], dict[str, Any]]  # command -> the settings fragment dlp adds


def default_command(tool: str, event: str | None = None) -> str:
    """``dlp hook <tool>`` if ``dlp`` is on PATH, else ``<python> -m dlp hook <tool>``."""
    base = "dlp" if shutil.which("dlp") else f"{shlex.quote(sys.executable)} -m dlp"
    return f"{base} hook {tool}" + (f" --event {event}" if event else "")


def _claude_like(tool: str) -> Callable[[str], dict[str, Any]]:
    def build(command: str) -> dict[str, Any]:
        hook = {"type": "command", "command": command, "timeout": 30}
        return {"hooks": {
            "UserPromptSubmit": [{"hooks": [hook]}],
            "PreToolUse": [{"matcher": CLAUDE_PRE_TOOLS, "hooks": [hook]}],
            "PostToolUse": [{"matcher": CLAUDE_POST_TOOLS, "hooks": [hook]}],
        }}
    return build


CODEX_TOOLS = "Bash|shell|exec_command|apply_patch|read_file|mcp__.*"


def _codex(command: str) -> dict[str, Any]:
    hook = {"type": "command", "command": command, "timeout": 30}
    return {"hooks": {
        "UserPromptSubmit": [{"hooks": [hook]}],
        "PreToolUse": [{"matcher": CODEX_TOOLS, "hooks": [hook]}],
        "PostToolUse": [{"matcher": CODEX_TOOLS, "hooks": [hook]}],
    }}


def _cursor(command: str) -> dict[str, Any]:
    hook = {"command": command, "timeout": 30}
    return {"version": 1, "hooks": {
        "beforeSubmitPrompt": [hook],
        "beforeReadFile": [hook],
        "beforeShellExecution": [hook],
        "beforeMCPExecution": [hook],
    }}


def _gemini(command: str) -> dict[str, Any]:
    hook = {"type": "command", "command": command, "name": "dlp", "timeout": 30000}
    return {"hooks": {
        "BeforeAgent": [{"hooks": [hook]}],
        "BeforeModel": [{"hooks": [hook]}],
        "AfterModel": [{"hooks": [hook]}],
        "BeforeTool": [{"matcher": GEMINI_TOOLS, "hooks": [hook]}],
        "AfterTool": [{"matcher": GEMINI_TOOLS, "hooks": [hook]}],
    }}


def _copilot(command: str) -> dict[str, Any]:
    def entry(event: str) -> dict[str, Any]:
        c = f"{command} --event {event}"
        return {"type": "command", "bash": c, "powershell": c, "timeoutSec": 30}
    return {"version": 1, "hooks": {
        "preToolUse": [entry("preToolUse")],
        "userPromptSubmitted": [entry("userPromptSubmitted")],
    }}


TARGETS: dict[str, Target] = {
    "claude-code": Target("claude-code", ".claude/settings.json", ".claude/settings.json", _claude_like("claude-code")),
    "qoder": Target("qoder", ".qoder/settings.json", ".qoder/settings.json", _claude_like("qoder")),
    "codex": Target("codex", ".codex/hooks.json", ".codex/hooks.json", _codex),
    "cursor": Target("cursor", ".cursor/hooks.json", ".cursor/hooks.json", _cursor),
    "gemini-cli": Target("gemini-cli", ".gemini/settings.json", ".gemini/settings.json", _gemini),
    "copilot": Target("copilot", ".github/hooks/dlp.json", None, _copilot),
}
INSTALL_TARGETS = (*TARGETS, "git-hook")


def is_dlp_command(command: object, tool: str) -> bool:
    if not isinstance(command, str):
        return False
    tool_re = re.escape(tool)
    return (re.search(rf"(?:^|[\s/\\]|-m\s+)dlp(?:\.exe)?\s+hook\s+{tool_re}(?:\s|$)", command) is not None
            or re.search(rf"-m\s+dlp\.integrations\.hooks\s+{tool_re}(?:\s|$)", command) is not None)


def settings_path(tool: str, *, user: bool, root: Path | None = None, home: Path | None = None) -> Path:
    target = TARGETS[tool]
    if user:
        if target.user_file is None:
            raise UsageError(f"{tool}: there is no user-level settings file; use --project")
        return (home or Path.home()) / target.user_file
    if target.project_file is None:
        raise UsageError(f"{tool}: there is no project settings file; use --user")
    return (root or Path.cwd()) / target.project_file


def _load(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if not text.strip():
        return {}
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc}); fix or move it, dlp will not overwrite it") from None
    if not isinstance(doc, dict):
        raise InputError(f"{path}: expected a JSON object; dlp will not overwrite it")
    return doc


def _write(path: Path, doc: dict[str, Any], *, previous: str | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if previous is not None:
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        backup.write_text(previous, encoding="utf-8")
        try:
            os.chmod(backup, path.stat().st_mode & 0o777)
        except OSError:
            pass
    mode = None
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)


def _entry_commands(entry: Any) -> list[str]:
    """Commands of one entry in an event list (Claude-style group or flat hook)."""
    if not isinstance(entry, dict):
        return []
    out = [entry.get(k) for k in ("command", "bash", "powershell") if isinstance(entry.get(k), str)]
    for hook in entry.get("hooks") or () if isinstance(entry.get("hooks"), list) else ():
        if isinstance(hook, dict):
            out.extend(hook.get(k) for k in ("command", "bash", "powershell") if isinstance(hook.get(k), str))
    return out  # type: ignore[return-value]


def _strip(entry: Any, tool: str) -> Any:
    """``entry`` without dlp's hooks; None if nothing else was in it."""
    if not isinstance(entry, dict):
        return entry
    if any(is_dlp_command(entry.get(k), tool) for k in ("command", "bash", "powershell")):
        return None
    hooks = entry.get("hooks")
    if isinstance(hooks, list):
        kept = [h for h in hooks if not (isinstance(h, dict) and any(
            is_dlp_command(h.get(k), tool) for k in ("command", "bash", "powershell")))]
        if len(kept) != len(hooks):
            if not kept:
                return None
            return {**entry, "hooks": kept}
    return entry


def merge(doc: dict[str, Any], fragment: dict[str, Any], tool: str) -> dict[str, Any]:
    """``doc`` with dlp's fragment added (any older dlp entries replaced)."""
    out = remove(doc, tool)
    for key, value in fragment.items():
        if key != "hooks":
            out.setdefault(key, value)
    hooks = out.get("hooks")
    if hooks is None:
        hooks = out["hooks"] = {}
    if not isinstance(hooks, dict):
        raise InputError(f"'hooks' is not a JSON object in the {tool} settings; dlp will not overwrite it")
    for event, entries in fragment.get("hooks", {}).items():
        current = hooks.get(event)
        if current is None:
            hooks[event] = list(entries)
        elif isinstance(current, list):
            hooks[event] = [*current, *entries]
        else:
            raise InputError(f"hooks.{event} is not a list in the {tool} settings; dlp will not overwrite it")
    return out


def remove(doc: dict[str, Any], tool: str) -> dict[str, Any]:
    """``doc`` without dlp's entries (and without containers dlp's entries emptied)."""
    out = dict(doc)
    hooks = out.get("hooks")
    if not isinstance(hooks, dict):
        return out
    new_hooks: dict[str, Any] = {}
    for event, entries in hooks.items():
        if not isinstance(entries, list):
            new_hooks[event] = entries
            continue
        kept = [e for e in (_strip(e, tool) for e in entries) if e is not None]
        if kept or not entries:
            new_hooks[event] = kept
    if new_hooks:
        out["hooks"] = new_hooks
    else:
        del out["hooks"]
        if out.get("version") == 1 and set(out) == {"version"}:
            out = {}
    return out


def installed(doc: dict[str, Any] | None, tool: str) -> bool:
    hooks = (doc or {}).get("hooks")
    if not isinstance(hooks, dict):
        return False
    return any(is_dlp_command(c, tool) for entries in hooks.values() if isinstance(entries, list)
               for e in entries for c in _entry_commands(e))


def install(tool: str, *, user: bool = False, root: Path | None = None, home: Path | None = None,
            command: str | None = None) -> tuple[Path, bool]:
    """Merge dlp into the tool's settings. Returns (file, changed)."""
    path = settings_path(tool, user=user, root=root, home=home)
    doc = _load(path)
    previous = path.read_text(encoding="utf-8") if doc is not None else None
    new = merge(doc or {}, TARGETS[tool].build(command or default_command(tool)), tool)
    if doc is not None and new == doc:
        return path, False
    _write(path, new, previous=previous)
    return path, True


def uninstall(tool: str, *, user: bool = False, root: Path | None = None, home: Path | None = None
              ) -> tuple[Path, bool]:
    """Remove exactly dlp's entries. Returns (file, changed). A file that held
    nothing but dlp's entries is deleted."""
    path = settings_path(tool, user=user, root=root, home=home)
    doc = _load(path)
    if doc is None or not installed(doc, tool):
        return path, False
    previous = path.read_text(encoding="utf-8")
    new = remove(doc, tool)
    if not new:
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        backup.write_text(previous, encoding="utf-8")
        path.unlink()
        return path, True
    _write(path, new, previous=previous)
    return path, True


def install_git_hook(repo: Path, *, force: bool = False, fail_open: bool = False) -> Any:
    from dlp import githook  # issue 7; imported only when asked for

    if fail_open:
        return githook.install_git_hook(repo, force=force, fail_open=True)  # type: ignore[attr-defined]
    return githook.install_git_hook(repo, force=force)  # type: ignore[attr-defined]


def uninstall_git_hook(repo: Path) -> Any:
    from dlp import githook

    return githook.uninstall_git_hook(repo)  # type: ignore[attr-defined]
