"""Offline checks for SaaS, AI, messaging and payment token formats."""
from __future__ import annotations

from typing import Callable

VALIDATORS: dict[str, Callable[..., bool]] = {}
