"""Exception hierarchy and exit codes.

    DlpError                 every error dlp raises on purpose (exit 2 unless noted)
    ├── RuleError            a rule file or rule is invalid (file and rule id in the message)
    ├── ConfigError          .dlp.yaml / policy is invalid (file and key in the message)
    ├── InputError           a path, payload or hook input cannot be used
    └── UsageError           the command line is inconsistent

Anything else that escapes is an internal error: the CLI prints one line and exits 3.
"""
from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    USAGE = 2
    INTERNAL = 3


class DlpError(Exception):
    exit_code: ExitCode = ExitCode.USAGE


class RuleError(DlpError):
    pass


class ConfigError(DlpError):
    pass


class InputError(DlpError):
    pass


class UsageError(DlpError):
    pass
