"""Human-readable report: coloured with rich on a terminal (NO_COLOR honoured),
plain text otherwise (rich is not even imported then: hooks start cold)."""
from __future__ import annotations

import os
from collections import Counter

from dlp.model import Severity
from dlp.report import ScanReport

_STYLE = {Severity.LOW: "dim", Severity.MEDIUM: "yellow", Severity.HIGH: "red", Severity.CRITICAL: "bold red"}

Segment = tuple[str, str | None]  # (text, rich style or None)


def _lines(report: ScanReport, reveal: bool) -> list[list[Segment]]:
    out: list[list[Segment]] = []
    current = None
    for item in report.findings:
        f = item.finding
        path = f.origin.path or "-"
        if path != current:
            if current is not None:
                out.append([])
            header: list[Segment] = [(path, "bold")]
            if f.origin.commit:
                header.append((f" @ {f.origin.commit[:12]}", "dim"))
            out.append(header)
            current = path
        shown = f.value if reveal else f.masked
        out.append([
            (f"  {f.line}:{f.column}  ", None),
            (f"{f.severity!s:<8}", _STYLE[f.severity]),
            (f"  {f.rule_id}  {shown}  ", None),
            (f"{f.message} ({item.action})", "dim"),
        ])
    skipped = Counter(s.reason for s in report.skipped if s.reason == "binary file")
    for s in report.skipped:
        if s.reason != "binary file":
            out.append([(f"skipped {s.path}: {s.reason}", "dim")])
    if skipped:
        out.append([(f"skipped {skipped['binary file']} binary file(s)", "dim")])
    n = len(report.findings)
    summary = (
        f"{n} finding{'s' if n != 1 else ''} in {report.files} file{'s' if report.files != 1 else ''} "
        f"({report.bytes:,} bytes, {report.seconds:.2f}s)"
    )
    if report.skipped:
        summary += f", {len(report.skipped)} skipped"
    if report.baselined:
        summary += f", {report.baselined} in baseline"
    if n:
        out.append([])
    out.append([(summary, "bold" if n else None)])
    return out


def render_text(report: ScanReport, *, reveal: bool = False, color: bool | None = None) -> str:
    lines = _lines(report, reveal)
    if not color or os.environ.get("NO_COLOR"):
        return "".join("".join(text for text, _ in line) + "\n" for line in lines)
    import io

    from rich.console import Console
    from rich.text import Text

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, highlight=False, width=10_000, soft_wrap=True)
    for line in lines:
        text = Text()
        for part, style in line:
            text.append(part, style=style or "")  # Text.append never interprets markup in scanned data
        console.print(text)
    return buf.getvalue()
