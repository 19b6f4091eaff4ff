"""Assistant hooks: one entry point, one module per tool.

``dlp hook <tool>`` reads the tool's hook JSON on stdin and answers in that
tool's own protocol (stdout JSON and exit code). The event comes from the
payload (``hook_event_name``) or ``--event``. Each tool module exports::

    DESTINATION: str | None                  # host its model lives at (overridable)
    HANDLERS: dict[str, Callable[[HookContext], HookResult]]
    def failure(ctx_or_none, message, *, block) -> HookResult   # dlp itself failed / bad input
    def event_of(payload) -> str | None      # for tools whose payload does not name the event

Failure behaviour: input larger than :data:`MAX_HOOK_INPUT`, input that is not
a JSON object, an invalid policy, or any internal error is answered with the
tool's own "block" (policy ``on_error: block``, the default) or "allow"
(``on_error: allow``) and a one-line message; never a traceback.
"""
from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

MAX_HOOK_INPUT = 10 * 1024 * 1024
TOOLS: dict[str, str] = {
    "claude-code": "dlp.integrations.hooks.claude_code",
    "cursor": "dlp.integrations.hooks.cursor",
    "gemini-cli": "dlp.integrations.hooks.gemini_cli",
    "copilot": "dlp.integrations.hooks.copilot",
    "codex": "dlp.integrations.hooks.codex",
    "qoder": "dlp.integrations.hooks.qoder",
}
ALIASES = {"claude": "claude-code", "gemini": "gemini-cli", "copilot-cli": "copilot", "codex-cli": "codex"}


# Plain classes, not dataclasses: the fast path answers before anything that
# imports dataclasses (and inspect) is loaded.
class HookResult:
    """What the hook prints (stdout, stderr) and its exit code."""

    __slots__ = ("decision", "exit_code", "stderr", "stdout")

    def __init__(self, stdout: str = "", stderr: str = "", exit_code: int = 0, decision: Any = None) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.exit_code = exit_code
        self.decision = decision  # the egress Decision, for the audit log

    def __repr__(self) -> str:
        return f"HookResult(exit_code={self.exit_code}, stdout={self.stdout[:60]!r}, stderr={self.stderr[:60]!r})"

    @classmethod
    def json(cls, obj: Mapping[str, Any], *, exit_code: int = 0, decision: Any = None) -> HookResult:
        return cls(json.dumps(obj, ensure_ascii=False) + "\n", "", exit_code, decision)


class HookContext:
    """One hook invocation: the tool, its event and payload, where it runs."""

    __slots__ = ("_egress", "_snapshot", "config_path", "cwd", "destination", "event", "payload", "session",
                 "tool")

    def __init__(self, tool: str, event: str, payload: dict[str, Any], cwd: Path, destination: str | None,
                 config_path: Path | None = None, session: str | None = None, _egress: Any = None,
                 _snapshot: Any = None) -> None:
        self.tool = tool
        self.event = event
        self.payload = payload
        self.cwd = cwd
        self.destination = destination
        self.config_path = config_path
        self.session = session
        self._egress = _egress
        # the fast path's snapshot when it could not decide; False when it
        # found none; None when it did not look (the full path then does)
        self._snapshot = _snapshot

    @property
    def egress(self):  # type: ignore[no-untyped-def]
        if self._egress is None:
            from dlp.egress import Egress

            self._egress = Egress.from_config(self.config_path, cwd=self.cwd)
            if self._snapshot is not False:
                # its matcher, already built: every full path (a prompt that
                # mentions a file, a tool call, a tool's output) reuses it
                from dlp.integrations.hooks import fastpath

                snapshot = self._snapshot or fastpath.load(self.cwd, self.config_path)
                if snapshot is not None:
                    fastpath.adopt(self._egress, snapshot)
        return self._egress

    @property
    def policy(self):  # type: ignore[no-untyped-def]
        return self.egress.policy

    def vault_store(self):  # type: ignore[no-untyped-def]
        from dlp.redact import VaultStore

        policy = self.policy
        return VaultStore(policy.vault_dir, ttl=policy.vault_ttl)

    def session_key(self) -> str:
        return f"{self.tool}:{self.session or 'default'}"


def resolve_tool(name: str) -> str:
    from dlp.errors import UsageError

    tool = ALIASES.get(name, name)
    if tool not in TOOLS:
        raise UsageError(f"unknown tool {name!r} (choose from {', '.join(TOOLS)})")
    return tool


def tool_module(tool: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(TOOLS[resolve_tool(tool)])


def run_hook(tool: str, raw: bytes, *, event: str | None = None, config_path: Path | None = None,
             destination: str | None = None, env: Mapping[str, str] | None = None,
             egress: Any = None) -> HookResult:
    """Answer one hook invocation. Never raises."""
    env = os.environ if env is None else env
    tool = resolve_tool(tool)
    snapshot_wanted = False
    spare: list[Any] = []
    no_snapshot = bool(env.get("DLP_NO_FASTPATH"))  # neither its answer nor its matcher
    if egress is None and not no_snapshot:
        answer, snapshot_wanted = _fast_allow(tool, raw, event, config_path, destination, env, spare)
        if answer is not None:
            return HookResult(answer)
    module = tool_module(tool)
    ctx: HookContext | None = None
    try:
        if len(raw) > MAX_HOOK_INPUT:
            return module.failure(None, f"hook input larger than {MAX_HOOK_INPUT} bytes",
                                  block=_on_error_block(config_path))
        try:
            payload = json.loads(raw.decode("utf-8", "surrogatepass") if raw.strip() else "")
        except ValueError as exc:
            return module.failure(None, f"malformed hook input (not JSON: {exc.__class__.__name__})",
                                  block=_on_error_block(config_path))
        if not isinstance(payload, dict):
            return module.failure(None, "malformed hook input (expected a JSON object)",
                                  block=_on_error_block(config_path))
        name = event or payload.get("hook_event_name") or payload.get("hookEventName") or module.event_of(payload)
        cwd = _cwd(payload, env)
        ctx = HookContext(
            tool=tool, event=str(name or ""), payload=payload, cwd=cwd,
            destination=destination or module.destination(env),
            config_path=config_path, session=_session(payload), _egress=egress,
            _snapshot=spare[0] if spare else (False if snapshot_wanted or no_snapshot else None),
        )
        handler: Callable[[HookContext], HookResult] | None = module.HANDLERS.get(ctx.event)
        if handler is None:
            return HookResult()  # an event dlp has nothing to say about: proceed
        result = handler(ctx)
        if snapshot_wanted and ctx._egress is not None:
            from dlp.integrations.hooks import fastpath

            fastpath.save(ctx._egress, cwd=cwd, config_path=config_path)
        if result.decision is not None and ctx._egress is not None:
            from dlp.audit import record

            record(ctx.policy.audit_path, result.decision, source=tool, event=ctx.event, session=ctx.session)
        return result
    except Exception as exc:
        from dlp.errors import DlpError

        if os.environ.get("DLP_DEBUG"):
            raise
        message = str(exc) if isinstance(exc, DlpError) else f"internal error: {exc.__class__.__name__}: {exc}"
        block = True
        if ctx is not None and ctx._egress is not None:
            block = ctx.policy.on_error.value == "block"
        else:
            block = _on_error_block(config_path, ctx.cwd if ctx is not None else None)
        return module.failure(ctx, message.splitlines()[0] if message else "error", block=block)


def _fast_allow(tool: str, raw: bytes, event: str | None, config_path: Path | None, destination: str | None,
                env: Mapping[str, str], spare: list[Any] | None = None) -> tuple[str | None, bool]:
    """(the fast path's allow answer for a clean prompt, or None for the full
    path; whether the full path should write a snapshot). Runs before the tool
    module and everything behind it is imported."""
    try:
        if len(raw) > MAX_HOOK_INPUT:
            return None, False
        payload = json.loads(raw)
        if not isinstance(payload, dict):
            return None, False
        name = event or payload.get("hook_event_name") or payload.get("hookEventName")
        if not isinstance(name, str):
            return None, False
        from dlp.integrations.hooks import fastpath

        if (tool, name) not in fastpath.PROMPT_EVENTS:
            return None, False
        host = destination
        if host is None and tool in _BASE_URL_ENV:
            host = host_of(env.get(_BASE_URL_ENV[tool])) or _DEFAULT_HOSTS.get(tool)
        elif host is None:
            host = _DEFAULT_HOSTS.get(tool)
        return fastpath.try_allow(tool, payload, name, _cwd(payload, env), config_path, host, _session(payload),
                                  spare)
    except Exception:  # noqa: BLE001 - any doubt: the full path decides
        return None, False


# For the audit log of fast answers (the tool modules hold the same values).
_BASE_URL_ENV = {"claude-code": "ANTHROPIC_BASE_URL", "codex": "OPENAI_BASE_URL",
                 "gemini-cli": "GOOGLE_GEMINI_BASE_URL"}
_DEFAULT_HOSTS = {"claude-code": "api.anthropic.com", "codex": "api.openai.com",
                  "gemini-cli": "generativelanguage.googleapis.com", "cursor": "api2.cursor.sh",
                  "copilot": "api.githubcopilot.com"}


def _on_error_block(config_path: Path | None, cwd: Path | None = None) -> bool:
    """The policy's ``on_error`` if it can be read, else block."""
    try:
        from dlp.config import find_config, load_config

        path = config_path or find_config(cwd)
        if path is None:
            return True
        config = load_config(path)
        return config.raw.get("on_error", "block") != "allow"
    except Exception:  # noqa: BLE001 - an unreadable policy fails closed
        return True


def _cwd(payload: Mapping[str, Any], env: Mapping[str, str]) -> Path:
    for value in (payload.get("cwd"),
                  (payload.get("workspace_roots") or [None])[0] if isinstance(payload.get("workspace_roots"), list)
                  else None,
                  env.get("CLAUDE_PROJECT_DIR"), env.get("GEMINI_PROJECT_DIR"), env.get("CURSOR_PROJECT_DIR")):
        if isinstance(value, str) and value and os.path.isdir(value):
            return Path(value)
    return Path.cwd()


def _session(payload: Mapping[str, Any]) -> str | None:
    for key in ("session_id", "sessionId", "conversation_id", "conversationId"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    from dlp.policy import normalize_host

    return normalize_host(url) or None


def hook_main(tool: str, *, event: str | None = None, destination: str | None = None, config: str | None = None,
              stdin: Any = None) -> int:
    """`dlp hook TOOL`: read the hook JSON from stdin, answer, return the exit
    code. An unknown tool raises :class:`~dlp.errors.UsageError` (exit 2)."""
    tool = resolve_tool(tool)
    raw = (sys.stdin.buffer if stdin is None else stdin).read(MAX_HOOK_INPUT + 1)
    result = run_hook(tool, raw, event=event, config_path=Path(config) if config else None, destination=destination)
    return write_result(result)


def write_result(result: HookResult) -> int:
    if result.stdout:
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
    if result.stderr:
        sys.stderr.write(result.stderr if result.stderr.endswith("\n") else result.stderr + "\n")
        sys.stderr.flush()
    return result.exit_code
