"""Human-readable report, coloured with rich on a terminal (NO_COLOR honoured)."""
from __future__ import annotations

import io
import os

from dlp.model import Severity
from dlp.report import ScanReport

_STYLE = {Severity.LOW: "dim", Severity.MEDIUM: "yellow", Severity.HIGH: "red", Severity.CRITICAL: "bold red"}


def render_text(report: ScanReport, *, reveal: bool = False, color: bool | None = None) -> str:
    from rich.console import Console
    from rich.markup import escape

    if color is None:
        color = False
    if os.environ.get("NO_COLOR"):
        color = False
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=color, no_color=not color, highlight=False,
                      width=10_000, soft_wrap=True)
    current = None
    for item in report.findings:
        f = item.finding
        path = f.origin.path or "-"
        if path != current:
            if current is not None:
                console.print()
            where = escape(path)
            if f.origin.commit:
                where += f" [dim]@ {escape(f.origin.commit[:12])}[/dim]"
            console.print(f"[bold]{where}[/bold]")
            current = path
        shown = f.value if reveal else f.masked
        console.print(
            f"  {f.line}:{f.column}  [{_STYLE[f.severity]}]{f.severity!s:<8}[/]  "
            f"{escape(f.rule_id)}  {escape(shown)}  [dim]{escape(f.message)} ({item.action})[/dim]"
        )
    for s in report.skipped:
        console.print(f"[dim]skipped {escape(s.path)}: {escape(s.reason)}[/dim]")
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
        console.print()
    console.print(f"[bold]{summary}[/bold]" if n else summary)
    return buf.getvalue()
