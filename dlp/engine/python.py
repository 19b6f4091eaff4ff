"""Reference matcher: keyword pre-filter with bytes.find, no native code."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dlp import regex_cache
from dlp.engine.lines import all_line_spans, keyword_line_spans

if TYPE_CHECKING:
    from dlp.ruleset import Ruleset


def _opening(prefilter: str | None) -> re.Pattern[bytes] | None:
    """A multiline rule's prefilter anchored at the document's start (``\\A``,
    a CSV header: the name-column rules), as a regex: a document it does not
    match at its start cannot hold a finding, whatever the engine, so the
    rule's pattern is not run over it (Hyperscan reads only that line too)."""
    if prefilter is None or not prefilter.startswith("\\A"):
        return None
    return regex_cache.compile(prefilter.encode("utf-8"), re.MULTILINE)


class PythonMatcher:
    name = "python"

    def __init__(self, ruleset: Ruleset) -> None:
        self._rules = [
            (i, tuple(k.encode("utf-8") for k in rule.keywords), rule.multiline,
             _opening(rule.prefilter) if rule.multiline else None)
            for i, rule in enumerate(ruleset.rules)
        ]

    def spans(self, data: bytes) -> dict[int, list[tuple[int, int]]]:
        lowered = data.lower()
        out: dict[int, list[tuple[int, int]]] = {}
        every_line: list[tuple[int, int]] | None = None
        for index, keywords, multiline, opening in self._rules:
            if multiline:
                if opening is not None and opening.match(data) is None:
                    continue
                if not keywords or any(kw in lowered for kw in keywords):
                    out[index] = [(0, len(data))]
            elif keywords:
                spans = keyword_line_spans(data, lowered, keywords)
                if spans:
                    out[index] = spans
            else:
                if every_line is None:
                    every_line = all_line_spans(data)
                out[index] = every_line
        return out
