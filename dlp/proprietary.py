"""Proprietary-code findings from a fingerprint index (:mod:`dlp.fingerprint`).

Shared by file scans (``dlp scan --index``) and egress decisions, so neither
needs the other's imports.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from dlp.errors import ConfigError
from dlp.mask import fingerprint
from dlp.model import Category, Finding, Origin, Severity


class ProprietaryIndex(Protocol):
    """What :mod:`dlp.fingerprint` (issue 8) provides: code fragments of ``data``
    that match the index, as findings of category ``proprietary`` (with the
    source file and lines in ``attributes``)."""

    def lookup(self, data: bytes, *, origin: Origin, threshold: float) -> Sequence[Finding]: ...



PROPRIETARY_CODE_RULE_ID = "proprietary-code"


class FingerprintIndex:
    """:class:`ProprietaryIndex` over :mod:`dlp.fingerprint` (issue 8): its
    matches become findings of category ``proprietary`` with the source file
    and line range (``source``) and the share that matched (``share``). One
    SQLite connection per thread."""

    def __init__(self, path: Path) -> None:
        import threading

        self.path = Path(path)
        self._local = threading.local()

    def _index(self):  # type: ignore[no-untyped-def]
        index = getattr(self._local, "index", None)
        if index is None:
            from dlp.fingerprint import open_index as _open

            index = self._local.index = _open(self.path)
        return index

    def lookup(self, data: bytes, *, origin: Origin, threshold: float) -> Sequence[Finding]:
        from dlp.fingerprint import lookup

        text = data.decode("utf-8", "surrogatepass")
        if "\n" not in text and len(text) < 200:
            return ()  # too short to hold an indexed fragment
        out = []
        for m in lookup(text, self._index(), threshold=threshold):
            value = data[m.start:m.end].decode("utf-8", "replace")
            last_line = value.rsplit("\n", 1)[-1]
            lines = m.text_end_line - m.text_start_line + 1
            source = {"path": m.source_path, "start_line": m.source_start_line, "end_line": m.source_end_line}
            out.append(Finding(
                rule_id=PROPRIETARY_CODE_RULE_ID, category=Category.PROPRIETARY, severity=Severity.HIGH,
                message="Proprietary code (matches the index)", start=m.start, end=m.end,
                line=m.text_start_line, column=1, end_line=m.text_end_line, end_column=len(last_line) + 1,
                masked=f"<{lines} lines like {m.source_path}:{m.source_start_line}-{m.source_end_line}>",
                fingerprint=fingerprint(PROPRIETARY_CODE_RULE_ID, value), value=value, origin=origin,
                attributes=(("source", source), ("share", m.share)),
            ))
        return out


def open_index(path: Path) -> ProprietaryIndex:
    """The proprietary code index named by the policy (``index:``) or ``--index``."""
    if not Path(path).is_file():
        raise ConfigError(f"index: {path}: no such index file (build it with `dlp index build`)")
    return FingerprintIndex(Path(path))
