"""SARIF 2.1.0, as GitHub code scanning accepts it."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dlp import __version__
from dlp.model import Severity
from dlp.report import ScanReport, finding_record, jsontext

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.LOW: "note", Severity.MEDIUM: "warning", Severity.HIGH: "error", Severity.CRITICAL: "error"}
# GitHub reads properties.security-severity (0-10) to rank alerts.
_SECURITY_SEVERITY = {Severity.LOW: "3.0", Severity.MEDIUM: "5.5", Severity.HIGH: "8.0", Severity.CRITICAL: "9.5"}


def _uri(path: str | None) -> str:
    if not path or path == "-":
        return "stdin"
    return quote(path.replace("\\", "/").removeprefix("./"), safe="/:@-._~")


def render_sarif(report: ScanReport, *, reveal: bool = False) -> str:
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    results = []
    for item in report.findings:
        f = item.finding
        if f.rule_id not in rule_index:
            rule_index[f.rule_id] = len(rules)
            rules.append({
                "id": f.rule_id,
                "name": "".join(p.capitalize() for p in f.rule_id.split("-")),
                "shortDescription": {"text": f.message},
                "fullDescription": {"text": f.message},
                "defaultConfiguration": {"level": _LEVEL[f.severity]},
                "properties": {
                    "tags": ["security", str(f.category), *f.tags],
                    "security-severity": _SECURITY_SEVERITY[f.severity],
                },
            })
        record = finding_record(item, reveal=reveal)
        results.append({
            "ruleId": f.rule_id,
            "ruleIndex": rule_index[f.rule_id],
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.message}: {f.masked}"},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.origin.path)},
                    "region": {
                        "startLine": f.line,
                        "startColumn": f.column,
                        "endLine": f.end_line,
                        "endColumn": f.end_column,
                    },
                }
            }],
            "partialFingerprints": {"dlpFingerprint/v1": f.fingerprint},
            "properties": {k: v for k, v in record.items() if k not in {"path", "line", "column", "end_line", "end_column", "message", "rule_id"}},
        })
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dlp",
                "version": __version__,
                "informationUri": "https://github.com/dlp-egress/dlp",
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return jsontext.dumps(log) + "\n"
