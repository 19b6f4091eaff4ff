"""The JSON report (a contract, see DESIGN.md) and JSON Lines."""
from __future__ import annotations

import json
from typing import Any

from dlp.report import ScanReport, finding_record, jsontext

VERSION = 1


def report_object(report: ScanReport, *, reveal: bool = False) -> dict[str, Any]:
    stats: dict[str, Any] = {
        "files": report.files,
        "bytes": report.bytes,
        "seconds": round(report.seconds, 3),
    }
    if report.skipped:
        stats["skipped"] = [{"path": s.path, "reason": s.reason} for s in report.skipped]
    if report.baselined:
        stats["baselined"] = report.baselined
    return {
        "version": VERSION,
        "findings": [finding_record(f, reveal=reveal) for f in report.findings],
        "stats": stats,
    }


def render_json(report: ScanReport, *, reveal: bool = False) -> str:
    return jsontext.dumps(report_object(report, reveal=reveal)) + "\n"


def render_jsonl(report: ScanReport, *, reveal: bool = False) -> str:
    return "".join(
        json.dumps(finding_record(f, reveal=reveal), ensure_ascii=False) + "\n" for f in report.findings
    )
