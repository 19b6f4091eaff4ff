"""Report writers. Each takes a :class:`ScanReport` and returns text.

Only ``finding_record`` decides what a finding looks like outside the process;
it never includes the value unless ``reveal`` is set.
"""
from __future__ import annotations

from typing import Any, Callable

from dlp.model import Action, Category, Finding, Severity, Skipped
from dlp.records import record

FORMATS = ("text", "json", "jsonl", "sarif", "summary")

# each member's text, looked up: str() of an enum member runs its Python
# __str__ and the name/value descriptors behind it, three times a finding
_CATEGORY = {member: str(member) for member in Category}
_SEVERITY = {member: str(member) for member in Severity}
_ACTION = {member: str(member) for member in Action}


@record
class ReportedFinding:
    finding: Finding
    action: Action


@record
class ScanReport:
    findings: tuple[ReportedFinding, ...]
    skipped: tuple[Skipped, ...]
    files: int
    bytes: int
    seconds: float
    baselined: int = 0


def finding_record(item: ReportedFinding, *, reveal: bool = False) -> dict[str, Any]:
    f = item.finding
    record: dict[str, Any] = {
        "rule_id": f.rule_id,
        "category": _CATEGORY[f.category],
        "severity": _SEVERITY[f.severity],
        "path": f.origin.path,
        "line": f.line,
        "column": f.column,
        "end_line": f.end_line,
        "end_column": f.end_column,
        "masked": f.masked,
        "fingerprint": f.fingerprint,
        "action": _ACTION[item.action],
        "message": f.message,
    }
    origin = f.origin
    for key in ("commit", "author", "date"):
        value = getattr(origin, key)
        if value is not None:
            record[key] = value
    for key, value in origin.extra:
        record.setdefault(key, value)
    for key, value in f.attributes:
        record.setdefault(key, value)
    if f.tags:
        record["tags"] = list(f.tags)
    if reveal:
        record["value"] = f.value
    return record


# format -> (module, function); a writer's module is imported only when used
_WRITERS: dict[str, tuple[str, str]] = {
    "json": ("dlp.report.json_report", "render_json"),
    "jsonl": ("dlp.report.json_report", "render_jsonl"),
    "sarif": ("dlp.report.sarif", "render_sarif"),
    "summary": ("dlp.report.summary", "render_summary"),
    "text": ("dlp.report.text", "render_text"),
}


def render(report: ScanReport, fmt: str, *, reveal: bool = False, color: bool | None = None) -> str:
    import importlib

    module, attr = _WRITERS[fmt]
    writer: Callable[..., str] = getattr(importlib.import_module(module), attr)
    if fmt == "text":
        return writer(report, reveal=reveal, color=color)
    return writer(report, reveal=reveal)
