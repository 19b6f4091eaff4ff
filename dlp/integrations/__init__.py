"""Wrappers that put the egress decision where content leaves the machine.

- :mod:`dlp.integrations.hooks`: AI coding assistants' own hook protocols
  (Claude Code, Cursor, Gemini CLI, GitHub Copilot CLI, Codex CLI, Qoder),
  behind ``dlp hook <tool>`` and ``dlp install <tool>``.
- Proxy stages (LiteLLM guardrail, mitmproxy addon, reverse proxy) live next to
  them and call the same :class:`dlp.egress.Egress`.
"""
