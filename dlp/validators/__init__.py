"""Registry of pure value checks, by the name a rule uses in YAML.

A validator is ``fn(value: str, **args) -> bool``: True keeps the finding.
Rule files name validators; an unknown name or argument fails when the rule
file is loaded (see :mod:`dlp.ruleset`). Each domain module exports its own
``VALIDATORS`` dict; this module merges them and refuses duplicate names.
"""
from __future__ import annotations

from typing import Callable

from dlp.validators import common, pii, secrets, tokens

Validator = Callable[..., bool]


def _merge(*registries: dict[str, Validator]) -> dict[str, Validator]:
    merged: dict[str, Validator] = {}
    for registry in registries:
        for name, fn in registry.items():
            if name in merged:
                raise RuntimeError(f"validator {name!r} registered twice")
            merged[name] = fn
    return merged


VALIDATORS: dict[str, Validator] = _merge(
    common.VALIDATORS, secrets.VALIDATORS, tokens.VALIDATORS, pii.VALIDATORS
)

__all__ = ["VALIDATORS", "Validator"]
