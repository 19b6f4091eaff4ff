"""Registry of pure value checks, by the name a rule uses in YAML.

A validator is ``fn(value: str, **args) -> bool``: True keeps the finding.
Rule files name validators; an unknown name or argument fails when the rule
file is loaded (see :mod:`dlp.ruleset`). Each domain module exports its own
``VALIDATORS`` dict; this registry merges them and refuses duplicate names.

Domain modules are imported on first need, lightest first: a scan that only
meets a GitHub token never imports the phone-number and national-ID
libraries the personal-data validators use.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Callable

Validator = Callable[..., bool]

MODULES = ("dlp.validators.common", "dlp.validators.secrets", "dlp.validators.tokens", "dlp.validators.pii")


class _Registry(Mapping[str, Validator]):
    def __init__(self, modules: tuple[str, ...]) -> None:
        self._pending = list(modules)
        self._merged: dict[str, Validator] = {}

    def _load_next(self) -> bool:
        if not self._pending:
            return False
        module = importlib.import_module(self._pending.pop(0))
        for name, fn in module.VALIDATORS.items():
            if name in self._merged:
                raise RuntimeError(f"validator {name!r} registered twice")
            self._merged[name] = fn
        return True

    def _load_all(self) -> dict[str, Validator]:
        while self._load_next():
            pass
        return self._merged

    def __getitem__(self, name: str) -> Validator:
        while name not in self._merged:
            if not self._load_next():
                raise KeyError(name)
        return self._merged[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load_all())

    def __len__(self) -> int:
        return len(self._load_all())


VALIDATORS: Mapping[str, Validator] = _Registry(MODULES)

__all__ = ["MODULES", "VALIDATORS", "Validator"]
