"""`--format summary`: counts for a team, by rule, by author and by age.

A *secret* here is a distinct fingerprint (rule and value). Its author and age
are those of the oldest commit in which the scan found it (with ``--history``
that is the commit that introduced it); findings without a commit (files, the
index) count under "no commit". Values are never shown.
"""
from __future__ import annotations

from datetime import datetime, timezone

from dlp.model import Finding
from dlp.report import ScanReport

# (label, upper bound in days)
AGE_BUCKETS: tuple[tuple[str, float], ...] = (
    ("under 7 days", 7),
    ("7 to 30 days", 30),
    ("30 to 90 days", 90),
    ("90 days to 1 year", 365),
    ("over 1 year", float("inf")),
)
NO_COMMIT = "no commit"


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def age_bucket(date: str | None, now: datetime) -> str:
    parsed = _parse_date(date)
    if parsed is None:
        return NO_COMMIT
    days = (now - parsed).total_seconds() / 86400
    for label, bound in AGE_BUCKETS:
        if days < bound:
            return label
    return AGE_BUCKETS[-1][0]


def _status(f: Finding) -> str | None:
    for key, value in f.origin.extra:
        if key == "status":
            return value
    return None


def summarize(report: ScanReport, *, now: datetime | None = None) -> dict[str, object]:
    now = now or datetime.now(timezone.utc)
    first: dict[str, Finding] = {}
    by_rule_findings: dict[str, int] = {}
    for item in report.findings:
        f = item.finding
        by_rule_findings[f.rule_id] = by_rule_findings.get(f.rule_id, 0) + 1
        known = first.get(f.fingerprint)
        if known is None:
            first[f.fingerprint] = f
            continue
        new_date, old_date = _parse_date(f.origin.date), _parse_date(known.origin.date)
        if new_date is not None and (old_date is None or new_date < old_date):
            first[f.fingerprint] = f
    by_rule_secrets: dict[str, int] = {}
    by_author: dict[str, int] = {}
    by_age: dict[str, int] = {label: 0 for label, _ in AGE_BUCKETS}
    by_age[NO_COMMIT] = 0
    status: dict[str, int] = {}
    for f in first.values():
        by_rule_secrets[f.rule_id] = by_rule_secrets.get(f.rule_id, 0) + 1
        author = f.origin.author or NO_COMMIT
        by_author[author] = by_author.get(author, 0) + 1
        by_age[age_bucket(f.origin.date, now)] += 1
        s = _status(f)
        if s:
            status[s] = status.get(s, 0) + 1
    return {
        "findings": len(report.findings),
        "secrets": len(first),
        "status": dict(sorted(status.items())),
        "by_rule": {rule: {"findings": n, "secrets": by_rule_secrets.get(rule, 0)}
                    for rule, n in sorted(by_rule_findings.items(), key=lambda kv: (-kv[1], kv[0]))},
        "by_author": dict(sorted(by_author.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_age": {k: v for k, v in by_age.items() if v or k != NO_COMMIT},
    }


def render_summary(report: ScanReport, *, reveal: bool = False, now: datetime | None = None) -> str:
    data = summarize(report, now=now)
    lines = [f"{data['findings']} finding{'s' if data['findings'] != 1 else ''}, "
             f"{data['secrets']} distinct value{'s' if data['secrets'] != 1 else ''} "
             f"in {report.files} file{'s' if report.files != 1 else ''} ({report.bytes:,} bytes, "
             f"{report.seconds:.2f}s)"]
    status = data["status"]
    assert isinstance(status, dict)
    if status:
        lines.append("  " + ", ".join(f"{n} {s}" for s, n in status.items()))
    if report.baselined:
        lines.append(f"  {report.baselined} in baseline (not counted)")
    by_rule = data["by_rule"]
    assert isinstance(by_rule, dict)
    if by_rule:
        width = max(24, *(len(r) for r in by_rule))
        lines += ["", f"{'by rule':<{width}}  findings  distinct"]
        for rule, counts in by_rule.items():
            lines.append(f"{rule:<{width}}  {counts['findings']:>8}  {counts['secrets']:>8}")
    by_author = data["by_author"]
    assert isinstance(by_author, dict)
    if by_author:
        width = max(24, *(len(a) for a in by_author))
        lines += ["", f"{'by author (first commit)':<{width}}  distinct"]
        for author, n in by_author.items():
            lines.append(f"{author:<{width}}  {n:>8}")
    by_age = data["by_age"]
    assert isinstance(by_age, dict)
    if data["secrets"]:
        lines += ["", f"{'by age (first commit)':<24}  distinct"]
        for label, n in by_age.items():
            lines.append(f"{label:<24}  {n:>8}")
    return "\n".join(lines) + "\n"
