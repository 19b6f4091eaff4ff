"""Matcher backends behind one interface.

A matcher answers one question for the scanner: for each rule, which spans of
the document must its regex run on? The scanner then runs the rule's own regex
on exactly those spans, so every backend returns identical findings as long as
its spans cover every line where the rule can match:

- a single-line rule runs on each line (``\\n`` excluded) that contains one of
  its keywords (all lines if it has none);
- a multiline rule runs on the whole document if it contains a keyword.

``python`` is the reference: it finds keyword lines with ``bytes.find``.
``hyperscan`` compiles every rule into one database (prefilter mode, so the
database over-approximates the Python regex) and keeps only the lines where a
rule's database pattern reported a match end. A prefilter's top-level
alternatives are separate entries shared by every rule written with the same
shape, and a personal-data rule whose context is required also gets a
document gate (dlp/engine/gate.py): no spans where none of its context words
can be found, since every candidate there would fail the context check.
Personal-data shapes run in a second pass, on the lines holding a trigger
every match of their rule needs (dlp/engine/trigger.py): the first pass over
the document only looks for the triggers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from dlp.errors import UsageError

if TYPE_CHECKING:
    from dlp.ruleset import Ruleset

ENGINES = ("hyperscan", "python")


class Matcher(Protocol):
    name: str

    def spans(self, data: bytes) -> dict[int, list[tuple[int, int]]]:
        """Rule index -> sorted, disjoint (start, end) spans to run the rule's regex on."""


def hyperscan_available() -> bool:
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_engine(name: str) -> str:
    if name == "auto":
        return "hyperscan" if hyperscan_available() else "python"
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r} (choose from auto, {', '.join(ENGINES)})")
    if name == "hyperscan" and not hyperscan_available():
        raise UsageError("engine 'hyperscan' requested but the hyperscan package is not installed")
    return name


def build_matcher(name: str, ruleset: Ruleset) -> Matcher:
    if name == "hyperscan":
        from dlp.engine.hs import HyperscanMatcher

        return HyperscanMatcher(ruleset)
    from dlp.engine.python import PythonMatcher

    return PythonMatcher(ruleset)
