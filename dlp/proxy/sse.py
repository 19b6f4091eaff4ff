"""Server-sent events: an incremental parser that keeps each event's raw bytes.

Events that a restorer does not change are forwarded byte for byte (comments
and keep-alive pings included); only changed events are serialised again.
Memory is bounded: an event larger than ``max_event`` bytes is an error
(:class:`SSEError`), never an unbounded buffer.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

DEFAULT_MAX_EVENT = 16 * 1024 * 1024
_BOUNDARY = re.compile(rb"\r\n\r\n|\n\n|\r\r")


class SSEError(ValueError):
    """The stream is not SSE we can follow (an event above the size bound)."""


@dataclass(slots=True)
class Event:
    raw: bytes  # the event as received, without the blank line that ends it
    event: str | None = None
    data: str | None = None  # data lines joined with "\n"; None when the event had none
    id: str | None = None
    retry: str | None = None
    comment_only: bool = False

    def json(self) -> Any:
        """The data as JSON, or None when it is absent or not JSON."""
        if self.data is None:
            return None
        try:
            return json.loads(self.data)
        except ValueError:
            return None


def parse_event(raw: bytes) -> Event:
    text = raw.decode("utf-8", "replace")
    event = Event(raw=raw)
    data: list[str] = []
    fields = 0
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line or line.startswith(":"):
            continue
        fields += 1
        name, sep, value = line.partition(":")
        if sep and value.startswith(" "):
            value = value[1:]
        if name == "data":
            data.append(value)
        elif name == "event":
            event.event = value
        elif name == "id":
            event.id = value
        elif name == "retry":
            event.retry = value
    if data:
        event.data = "\n".join(data)
    event.comment_only = fields == 0
    return event


def serialize(*, event: str | None = None, data: Any = None, id: str | None = None,
              retry: str | None = None) -> bytes:
    """One event, ending with its blank line. ``data`` that is not a str is JSON-encoded."""
    lines: list[str] = []
    if event is not None:
        lines.append(f"event: {event}")
    if data is not None:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        lines.extend(f"data: {part}" for part in text.split("\n"))
    if id is not None:
        lines.append(f"id: {id}")
    if retry is not None:
        lines.append(f"retry: {retry}")
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def reserialize(ev: Event, data: Any) -> bytes:
    """``ev`` with new data, keeping its event name, id and retry."""
    return serialize(event=ev.event, data=data, id=ev.id, retry=ev.retry)


class SSEParser:
    """Feed bytes, get complete events (each with the separator it ended with)."""

    __slots__ = ("_buffer", "max_event")

    def __init__(self, *, max_event: int = DEFAULT_MAX_EVENT) -> None:
        self._buffer = b""
        self.max_event = max_event

    def feed(self, chunk: bytes) -> list[tuple[Event, bytes]]:
        # a separator may straddle the previous chunk: look 3 bytes back, no further
        search = max(0, len(self._buffer) - 3)
        buffer = self._buffer + chunk if self._buffer else chunk
        out: list[tuple[Event, bytes]] = []
        pos = 0
        while True:
            m = _BOUNDARY.search(buffer, max(pos, search))
            if m is None:
                break
            out.append((parse_event(buffer[pos:m.start()]), m.group(0)))
            pos = m.end()
        self._buffer = buffer[pos:]
        if len(self._buffer) > self.max_event:
            raise SSEError(f"an SSE event is larger than {self.max_event} bytes")
        return out

    def flush(self) -> list[tuple[Event, bytes]]:
        """The unterminated last event, if any (a stream may end without a blank line)."""
        rest, self._buffer = self._buffer, b""
        if not rest.strip():
            return []
        return [(parse_event(rest), b"")]
