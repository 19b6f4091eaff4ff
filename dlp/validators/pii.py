"""Validators for personal identifiers (national IDs, phones, tax numbers)."""
from __future__ import annotations

from typing import Callable

VALIDATORS: dict[str, Callable[..., bool]] = {}
