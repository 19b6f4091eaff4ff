"""Opt-in JSONL audit log of egress decisions (``audit: {path: FILE}``).

One line per decision: time, source (tool or command), event, destination,
decision, rule ids, categories and fingerprints. Never values, never masked
values, never the text. Written with one ``write`` on a file opened with
``O_APPEND`` (mode 0600), so concurrent hooks do not interleave lines. A log
that cannot be written never changes a decision; :func:`record` returns False.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any


def audit_record(decision: Any, *, source: str, event: str | None = None, session: str | None = None,
                 now: float | None = None) -> dict[str, Any]:
    t = time.time() if now is None else now
    findings = decision.findings
    record: dict[str, Any] = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z",
        "source": source,
        "event": event,
        "destination": decision.destination,
        "decision": str(decision.action),
        "rule_ids": list(dict.fromkeys(r.finding.rule_id for r in findings)),
        "categories": sorted({str(r.finding.category) for r in findings}),
        "fingerprints": list(dict.fromkeys(r.finding.fingerprint for r in findings)),
        "actions": [str(r.action) for r in findings],
    }
    if session:
        record["session"] = session
    return record


def record(path: Path | None, decision: Any, *, source: str, event: str | None = None,
           session: str | None = None) -> bool:
    """Append one decision to the audit log at ``path`` (no-op when None)."""
    if path is None:
        return True
    line = json.dumps(audit_record(decision, source=source, event=event, session=session),
                      ensure_ascii=False, separators=(",", ":")) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        return False
    return True
