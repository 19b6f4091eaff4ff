"""Records passed between the stages: all frozen and slotted."""
from __future__ import annotations

import enum

from dlp.records import field, record


class Severity(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


class Category(str, enum.Enum):
    SECRET = "secret"
    PII = "pii"
    PROPRIETARY = "proprietary"

    def __str__(self) -> str:
        return self.value


class Action(str, enum.Enum):
    ALLOW = "allow"
    REDACT = "redact"
    BLOCK = "block"

    def __str__(self) -> str:
        return self.value


@record
class Origin:
    """Where scanned bytes came from. Every field is optional: a prompt has no path."""

    path: str | None = None
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    message_index: int | None = None
    extra: tuple[tuple[str, str], ...] = ()


@record
class Finding:
    """One confirmed match. ``value`` is the sensitive text itself: it is never
    serialised by a report unless the user asks with ``--reveal``."""

    rule_id: str
    category: Category
    severity: Severity
    message: str
    start: int  # byte offset in the scanned document
    end: int
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_line: int
    end_column: int  # 1-based, inclusive position of the last character + 1 (exclusive)
    masked: str
    fingerprint: str
    value: str = field(repr=False, compare=False)
    origin: Origin = Origin()
    tags: tuple[str, ...] = ()
    # free-form attributes (jurisdiction, pii_class, source of proprietary code, ...)
    attributes: tuple[tuple[str, object], ...] = ()

    @property
    def path(self) -> str | None:
        return self.origin.path

    def attribute(self, key: str, default: object = None) -> object:
        for k, v in self.attributes:
            if k == key:
                return v
        return default


@record
class Skipped:
    """A path the scan passed over, and why (binary, too large, unreadable, ...)."""

    path: str
    reason: str
