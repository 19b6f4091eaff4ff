"""Line arithmetic on bytes shared by the matchers."""
from __future__ import annotations


def line_span(data: bytes, offset: int) -> tuple[int, int]:
    """(start, end) of the line holding byte ``offset``; end excludes the newline."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return start, len(data) if end < 0 else end


def keyword_line_spans(data: bytes, lowered: bytes, keywords: tuple[bytes, ...]) -> list[tuple[int, int]]:
    """Spans of the lines of ``data`` that contain any keyword (``lowered`` is data.lower())."""
    spans: set[tuple[int, int]] = set()
    for kw in keywords:
        pos = lowered.find(kw)
        while pos >= 0:
            span = line_span(data, pos)
            spans.add(span)
            # continue after this line: the line is already a candidate
            pos = lowered.find(kw, span[1] + 1) if span[1] < len(data) else -1
    return sorted(spans)


def all_line_spans(data: bytes) -> list[tuple[int, int]]:
    spans = []
    start = 0
    n = len(data)
    while start <= n:
        end = data.find(b"\n", start)
        if end < 0:
            spans.append((start, n))
            break
        spans.append((start, end))
        start = end + 1
    return spans
