"""Reference matcher: keyword pre-filter with bytes.find, no native code."""
from __future__ import annotations

from typing import TYPE_CHECKING

from dlp.engine.lines import all_line_spans, keyword_line_spans

if TYPE_CHECKING:
    from dlp.ruleset import Ruleset


class PythonMatcher:
    name = "python"

    def __init__(self, ruleset: Ruleset) -> None:
        self._rules = [
            (i, tuple(k.encode("utf-8") for k in rule.keywords), rule.multiline)
            for i, rule in enumerate(ruleset.rules)
        ]

    def spans(self, data: bytes) -> dict[int, list[tuple[int, int]]]:
        lowered = data.lower()
        out: dict[int, list[tuple[int, int]]] = {}
        every_line: list[tuple[int, int]] | None = None
        for index, keywords, multiline in self._rules:
            if multiline:
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
