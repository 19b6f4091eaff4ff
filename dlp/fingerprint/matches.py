"""Find fragments of indexed proprietary code in outgoing text.

1. :func:`code_regions` splits the text into code regions: fenced blocks
   (```` ``` ```` or ``~~~``, with or without a language tag) and, outside fences,
   runs of lines that look like code (judged line by line, see :func:`_code_line`).
2. Each region gets a language: the fence tag, else :func:`guess_language`
   among the languages present in the index.
3. The region is tokenised and winnowed exactly like indexed files, and its
   fingerprints are looked up in the index (one SQL query per 500 hashes for
   the whole text).  Fingerprints that are common, public or boilerplate are
   left out entirely.
4. For the file matching most fingerprints, the matched fingerprints are
   grouped into clusters (neighbours at most ``max_gap`` unmatched
   fingerprints apart); the biggest cluster is the match.  ``share`` is the
   number of matched fingerprints over all fingerprints in the cluster's span.
   A match needs ``share >= threshold`` and at least ``min_matches`` matched
   fingerprints.
"""
from __future__ import annotations

import os
import re
from array import array
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from .index import Index, SourceRow
from .tokenize import LANGUAGES, language_name, tokenize
from .winnow import WEAK_TOKENS, is_weak, kgram_hashes, winnow_positions

DEFAULT_THRESHOLD = 0.5
DEFAULT_ENGINE = os.environ.get("DLP_LOOKUP_ENGINE") or "regex"
DEFAULT_MIN_MATCHES = 12  # k-grams found in the file: at least k + 11 tokens of shared code
_MIN_SPAN = 40  # k-gram positions a matched span is judged over, at least
_MAX_FILES = 4  # candidate files verified per region reading
_NEAR = 8  # k-grams each side of an anchor looked at by the quick test
_MAX_OCCURRENCES = 4  # places in one file an anchor is tried at
_MANY_ANCHORS = 4  # from this many anchors in a region on, a candidate file needs two of them


@dataclass(frozen=True, slots=True)
class Region:
    """A piece of the text that holds code; lines are 1-based and inclusive."""

    start_line: int
    end_line: int
    text: str
    language: str | None  # from the fence tag, or None
    fenced: bool


@dataclass(frozen=True, slots=True)
class Match:
    """Part of the text that matches an indexed proprietary file."""

    text_start_line: int  # 1-based, inclusive, in the looked-up text
    text_end_line: int
    start: int  # byte offset (UTF-8) in the text where the matched lines start
    end: int  # byte offset just past the last matched line (newline excluded)
    source_path: str
    source_start_line: int  # in the proprietary file, 1-based, inclusive
    source_end_line: int
    share: float  # matched fingerprints / fingerprints in the matched span, 0..1
    matched: int  # fingerprints of the span found in source_path
    fingerprints: int  # fingerprints in the span that count (not common)
    language: str | None  # language the region was tokenised as
    region_start_line: int
    region_end_line: int


# --------------------------------------------------------------------------- language guessing

_FEATURES: dict[str, tuple[tuple[str, float], ...]] = {
    "python": (
        (r"^[ \t]*def \w+\(.*\)(?:[ \t]*->[^:\n]+)?:[ \t]*$", 3), (r"^[ \t]*(?:el)?if\b.*:[ \t]*$", 2),
        (r"^[ \t]*(?:for|while|with|try|except\b.*|else|finally)\b.*:[ \t]*$", 1.5),
        (r"\bself\.\w+", 2), (r"\b(?:None|True|False)\b", 1), (r"^[ \t]*from [\w.]+ import\b", 3),
        (r"^[ \t]*import \w+[ \t]*$", 1), (r"\belif\b|\blambda\b|__\w+__", 2), (r"^[ \t]*@\w+", 0.5),
        (r"^[ \t]*class \w+(?:\(.*\))?:[ \t]*$", 3), (r"\bnot in\b|\bis not\b|\bis None\b", 2),
        (r"^[ \t]*(?:return|raise|pass|yield)\b(?!.*;[ \t]*$)", 0.5), (r'"""|\'\'\'', 1),
    ),
    "javascript": (
        (r"\bfunction\b\s*\w*\s*\(", 2), (r"^[ \t]*(?:const|let|var) \w+", 2), (r"=>", 1.5), (r"===|!==", 2),
        (r"\bconsole\.\w+\(", 2), (r"\brequire\(['\"]", 2), (r"\bmodule\.exports\b", 3),
        (r"\b(?:undefined|null|this)\b", 0.5), (r";[ \t]*$", 0.5), (r"\basync\b|\bawait\b", 0.5),
        (r"\bexport (?:default|const|function|class)\b", 1.5), (r"\.then\(|\bPromise\b", 1),
    ),
    "typescript": (
        (r"\bfunction\b\s*\w*\s*\(", 1.5), (r"^[ \t]*(?:const|let|var) \w+", 1.5), (r"=>", 1.5), (r"===|!==", 1.5),
        (r"\w\??: (?:string|number|boolean|any|void|unknown|never)\b", 4), (r"\binterface \w+\s*(?:<[^>]*>)?\s*\{", 3),
        (r"\btype \w+\s*=", 2), (r"\b(?:readonly|private|public|protected) \w+\s*[:(]", 2),
        (r"\bexport (?:default|const|function|class|interface|type)\b", 1.5), (r"\bas (?:const|string|number|any)\b", 2),
        (r"\bconsole\.\w+\(", 1.5), (r";[ \t]*$", 0.5),
    ),
    "java": (
        (r"\b(?:public|private|protected)\s+(?:static\s+)?(?:final\s+)?[A-Z]\w*(?:<[^>]*>)?(?:\[\])?\s+\w+\s*[(;=]", 3),
        (r"\bSystem\.out\.", 4), (r"@Override\b", 3), (r"\bnew [A-Z]\w*(?:<[^>]*>)?\(", 1.5),
        (r"\b(?:String|Integer|List|Map|boolean|void)\b", 1), (r"^[ \t]*package [\w.]+;", 3),
        (r"^[ \t]*import (?:static )?[\w.]+(?:\.\*)?;", 3), (r"\bextends \w+|\bimplements \w+", 2),
        (r";[ \t]*$", 0.5), (r"\bthrows \w+", 3), (r"\bfinal \w+", 1),
    ),
    "go": (
        (r"^[ \t]*func\b", 4), (r":=", 2.5), (r"^[ \t]*package \w+[ \t]*$", 3), (r"\bif err != nil\b", 4),
        (r"\bfmt\.\w+\(", 3), (r"\b(?:chan|defer|go func)\b", 2), (r"\[\](?:string|int|byte)\b", 2),
        (r"\bnil\b", 1), (r"^[ \t]*(?:type \w+ (?:struct|interface)\b)", 3),
    ),
    "c": (
        (r"^[ \t]*#[ \t]*(?:include|define|ifdef|ifndef|endif|if)\b", 3),
        (r"\b(?:int|void|char|unsigned|size_t|static|struct \w+)\s*\*?\s*\w+\s*\([^;]*\)\s*\{?[ \t]*$", 2),
        (r"->", 1.5), (r"\b(?:malloc|free|sizeof|printf|memcpy|strlen|NULL)\b", 2.5), (r";[ \t]*$", 1),
        (r"\bstruct \w+", 1.5), (r"\b(?:uint\d+_t|int\d+_t)\b", 2),
    ),
    "cpp": (
        (r"^[ \t]*#[ \t]*(?:include|define|ifdef|ifndef|endif)\b", 2.5), (r"\bstd::", 4), (r"::", 1.5),
        (r"\btemplate\s*<", 4), (r"\b(?:nullptr|constexpr|namespace|virtual|override)\b", 3),
        (r"\b(?:public|private|protected):", 3), (r"->", 1), (r";[ \t]*$", 1), (r"\bauto\b", 1.5),
        (r"\bclass \w+", 1),
    ),
    "csharp": (
        (r"\{\s*get;\s*(?:private\s+)?set;\s*\}", 5), (r"^[ \t]*using System", 4), (r"^[ \t]*namespace [\w.]+", 3),
        (r"\bConsole\.\w+\(", 4), (r"\b(?:public|private|protected|internal)\s+(?:static\s+)?(?:async\s+)?(?:override\s+)?\w+(?:<[^>]*>)?\s+\w+\s*\(", 2),
        (r"\b(?:string|bool|var)\s+\w+\s*=", 2), (r"\bforeach\s*\(", 2.5), (r"\basync Task\b|\bawait\b", 2), (r";[ \t]*$", 0.5),
        (r"^[ \t]*\[\w+(?:\(.*\))?\][ \t]*$", 1.5),
    ),
    "rust": (
        (r"^[ \t]*(?:pub(?:\([\w ]+\))? )?fn \w+", 4), (r"\blet (?:mut )?\w+", 2.5), (r"\bimpl\b", 3), (r"&self\b|&mut\b", 3),
        (r"\b\w+!\(", 2), (r"\b(?:Some|None|Ok|Err)\b", 1.5), (r"::", 1), (r"\bmatch \w+", 1.5),
        (r"->\s*(?:Self|Result|Option|&|\w+)", 1), (r"#\[\w+", 3),
    ),
    "kotlin": (
        (r"^[ \t]*(?:(?:private|override|suspend|public|internal) )*fun \w+", 4), (r"^[ \t]*(?:val|var) \w+", 2.5),
        (r"\?\.|!!|\?:", 2), (r"\bwhen\s*(?:\(|\{)", 2), (r"\b(?:data|sealed|companion) (?:class|object)\b", 4),
        (r"\bprintln\(", 1.5), (r":\s*(?:String|Int|Boolean|Unit)\b", 2),
    ),
    "php": (
        (r"<\?php", 6), (r"\$\w+", 3), (r"->\w+", 1), (r"\bfunction \w+\s*\(", 1.5), (r"\becho\b", 2),
        (r"\b(?:public|private|protected) function\b", 3), (r"=>", 0.5), (r";[ \t]*$", 0.5),
    ),
    "ruby": (
        (r"^[ \t]*def \w+[?!]?(?:\(.*\))?[ \t]*$", 3), (r"^[ \t]*end[ \t]*$", 3), (r"\bdo(?: \|[\w, ]+\|)?[ \t]*$", 3),
        (r"\.each\b|\.map\b", 1), (r"\bputs\b", 2.5), (r"@\w+", 1), (r"\b(?:elsif|unless|nil)\b", 2.5),
        (r"\brequire ['\"]", 2), (r"\battr_(?:reader|accessor|writer)\b", 4), (r"^[ \t]*module \w+", 2),
    ),
    "sql": (
        (r"(?i)\bselect\b[\s\S]*?\bfrom\b", 4), (r"(?i)\binsert into\b", 4), (r"(?i)\bcreate (?:table|view|index)\b", 5),
        (r"(?i)\b(?:where|group by|order by|left join|inner join)\b", 2), (r"(?i)\bupdate \w+ set\b", 4),
    ),
}
_COMPILED = {lang: tuple((re.compile(p, re.MULTILINE), wt) for p, wt in feats) for lang, feats in _FEATURES.items()}
_FEATURE_CAP = 5  # one feature adds at most this many occurrences


def language_scores(text: str, candidates: tuple[str, ...] | None = None) -> list[tuple[str, float]]:
    """Languages ranked by how much ``text`` looks like them (score > 0 only)."""
    names = candidates if candidates else tuple(LANGUAGES)
    scores: list[tuple[str, float]] = []
    lines = max(1, text.count("\n") + 1)
    for name in names:
        key = "typescript" if name == "tsx" else name
        feats = _COMPILED.get(key)
        if not feats:
            continue
        score = 0.0
        for pattern, weight in feats:
            hits = 0
            for _ in pattern.finditer(text):
                hits += 1
                if hits >= _FEATURE_CAP:
                    break
            score += weight * hits
        if name == "tsx":  # TypeScript with JSX: only ahead of plain TypeScript when there is markup
            score = score + 2 if re.search(r"</\w+>|/>", text) else score * 0.99
        if score > 0:
            scores.append((name, score / lines))
    scores.sort(key=lambda item: (-item[1], item[0]))
    return scores


def guess_language(text: str, candidates: tuple[str, ...] | None = None) -> str | None:
    """The most likely language of ``text`` (among ``candidates``), or None."""
    scores = language_scores(text, candidates)
    return scores[0][0] if scores else None


# --------------------------------------------------------------------------- regions

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)")
_CODE_START = re.compile(
    r"^\s*(?:def|class|return|if|elif|else|for|while|import|from|function|const|let|var|public|private|"
    r"protected|static|func|fn|package|#include|#define|#if|#endif|using|namespace|try|catch|except|finally|"
    r"with|async|await|switch|case|break|continue|raise|throw|yield|struct|impl|enum|interface|type|val|"
    r"fun|select|insert|update|delete|create|end|begin|do|unless|module|require|echo|foreach|@\w+|\$\w+)\b",
    re.IGNORECASE,
)
_CODE_END = re.compile(r"(?:[;{}()\[\],:]|=>|->|\\)\s*$")
_SYMBOL_CHARS = str.maketrans("", "", "(){}[];=<>&|")  # deleting them counts them
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]{1,2}\b)?")


_COMMENT_START = re.compile(r"#(?!\[)|//|/\*|\*(?:\s|/|$)|--(?:\s|$)|<!--")
_PREPROCESSOR = re.compile(r"#[ \t]*(?:include|define|undef|if|ifdef|ifndef|elif|else|endif|pragma|error)\b")


def _code_line(line: str) -> bool | None:
    """True if the line looks like code, False if like prose, None if neutral.

    Neutral lines (blank, comments, indented lines that do not look like code)
    neither start nor end a run of code.
    """
    stripped = line.strip()
    if _PREPROCESSOR.match(stripped):
        return True
    if not stripped or _COMMENT_START.match(stripped):
        return None
    words = _WORD.findall(stripped)
    symbols = len(stripped) - len(stripped.translate(_SYMBOL_CHARS))
    if " = " in stripped or "self" in stripped or "$" in stripped:
        symbols += 1
    starts_like_code = _CODE_START.match(stripped) is not None
    code = 1.5 if starts_like_code else 0.0
    if _CODE_END.search(stripped) and (
        not stripped.endswith(":") or starts_like_code or stripped[-2:-1] in ")]"
    ):  # "Here is my code:" is prose
        code += 1.5
    code += min(symbols, 4) * 0.75
    if line[:1] in (" ", "\t") and symbols:
        code += 1
    prose = 0.0
    if len(words) >= 5 and len("".join(words)) >= 0.6 * len(stripped):
        prose += 2
        if stripped[-1:] in ".?!" or stripped[:1].isupper():
            prose += 1.5
        if len(words) >= 12:
            prose += 1
    if stripped[:1] in "-*>" and len(words) >= 3 and not symbols:
        prose += 2  # markdown list or quote
    if code > prose:
        return True
    if line[:2] == "  " or line[:1] == "\t":
        return None  # indented: a continuation line, a string, a comment
    return False


_MAX_BRIDGE = 6  # prose lines allowed between two code lines of one region (blank and comment lines: any number)


def code_regions(text: str) -> tuple[Region, ...]:
    """Fenced blocks, and runs of code-looking lines outside fences.

    Outside fences a region runs from a code line to the last code line that
    follows it with at most ``_MAX_BRIDGE`` prose lines between any two code
    lines (blank, comment and indented lines do not count), so docstrings and
    comments inside pasted code do not split it.
    """
    lines = text.split("\n")
    regions: list[Region] = []
    code: list[int] = []  # code line indexes of the current unfenced region

    def flush() -> None:
        if len(code) >= 2:
            first, last = code[0], code[-1]
            regions.append(Region(first + 1, last + 1, "\n".join(lines[first : last + 1]), None, False))
        code.clear()

    i = 0
    n = len(lines)
    prose = 0  # prose lines since the last code line
    while i < n:
        fence = _FENCE.match(lines[i])
        if fence:
            flush()
            prose = 0
            marker, tag = fence.group(1), fence.group(2)
            j = i + 1
            while j < n and not (lines[j].strip().startswith(marker) and lines[j].strip().strip(marker[0]) == ""):
                j += 1
            if j > i + 1:
                regions.append(Region(i + 2, j, "\n".join(lines[i + 1 : j]), language_name(tag), True))
            i = j + 1
            continue
        kind = _code_line(lines[i])
        if kind:
            if code and prose > _MAX_BRIDGE:
                flush()
            code.append(i)
            prose = 0
        elif kind is False:
            prose += 1
        i += 1
    flush()
    return tuple(regions)


# --------------------------------------------------------------------------- lookup


@dataclass(slots=True)
class _Reading:
    """One tokenisation of a region: stream, line starts, every k-gram hash, anchors."""

    language: str | None
    stream: bytes
    line_starts: tuple[int, ...]
    hashes: list[int]  # signed hash of the k-gram at every position
    anchors: list[int]  # winnowed, non-weak positions


@dataclass(slots=True)
class _Candidate:
    file_id: int
    matched: int
    counted: int
    first: int  # first and last matched k-gram positions in the reading
    last: int
    source_start: int
    source_end: int


_OPENER_BEFORE = re.compile(r"(?:[=(,\[{:]|\breturn|\byield|\bprint|[rRbBuUfF]{1,2})\s*$")


def _starts_inside(text: str, quote: str) -> tuple[bool, bool]:
    """Whether the first ``quote`` in ``text`` closes a string opened before the text began,
    and whether that guess is safe."""
    at = text.find(quote)
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at]
    if before.strip():
        # text before it on its line: a closer unless it reads like `x = """` / `f("""`
        return not _OPENER_BEFORE.search(before), True
    line_end = text.find("\n", at)
    after = text[at + len(quote) : line_end if line_end >= 0 else len(text)]
    if after.strip():
        return False, True  # `"""Summary line` opens a docstring
    # alone on its line: an opener right after `def ...:` / `class ...:`, else a closer
    previous = text[:line_start].rstrip()
    if previous.endswith(":"):
        return False, True
    return bool(previous), False


def _reading(text: str, language: str | None, *, flip: bool = False) -> str | None:
    """The region, repaired when it was cut inside a string or a comment.

    A fragment that starts inside a docstring turns every string boundary
    inside out; reading it with an opening delimiter in front (and, when it
    also ends inside one, a closing one behind) restores them.  Only the
    first delimiter is inspected, so this costs nothing when there is none.
    ``flip``: the other guess about the first delimiter (None when there is no
    other guess to make).
    """
    if language in ("python", None):
        quotes = [(text.find(q), q) for q in ('"""', "'''") if q in text]
        if quotes:
            quote = min(quotes)[1]
            inside, certain = _starts_inside(text, quote)
            if flip and certain:
                return None
            inside = inside != flip
            odd = text.count(quote) % 2 == 1
            if inside:
                text = quote + text
            if inside == (not odd):  # ends inside a string
                text = text + quote
        elif flip:
            return None
        return text
    if flip or language == "ruby":
        return None if flip else text
    close = text.find("*/")
    if close >= 0:
        opening = text.find("/*")
        if opening < 0 or close < opening:
            text = "/*" + text
    if text.rfind("/*") > text.rfind("*/"):  # cut inside a comment at the end: close it
        text = text + "*/"
    if language in ("javascript", "typescript", "tsx") and text.count("`") % 2 == 1:
        text = "`" + text
    return text


def _read(text: str, language: str | None, k: int, w: int, *, flip: bool = False,
          engine: str | None = None) -> list[_Reading]:
    out = []
    repaired = _reading(text, language, flip=flip)
    for variant in (() if repaired is None else (repaired,)):
        tokens = tokenize(variant, language, engine=engine)
        stream = tokens.stream
        unsigned = kgram_hashes(stream, k)
        anchors = [p for p in winnow_positions(unsigned, w) if not is_weak(stream[p : p + k])]
        hashes = array("i", array("I", unsigned).tobytes()).tolist()  # as signed 32-bit, like the index
        out.append(_Reading(language, stream, tokens.line_starts, hashes, anchors))
    return out


def _line_offsets(data: bytes) -> list[int]:
    offsets = [0]
    find = data.find
    pos = find(b"\n")
    while pos >= 0:
        offsets.append(pos + 1)
        pos = find(b"\n", pos + 1)
    return offsets


# languages whose files a region tokenised as the key may match (same keyword table
# or a superset, same comment and string syntax)
_COMPATIBLE: dict[str | None, frozenset[str]] = {
    "javascript": frozenset({"javascript", "typescript", "tsx"}),
    "typescript": frozenset({"javascript", "typescript", "tsx"}),
    "tsx": frozenset({"javascript", "typescript", "tsx"}),
    "c": frozenset({"c", "cpp"}),
    "cpp": frozenset({"c", "cpp"}),
}


_SLACK = 24  # tokens a copied k-gram may drift from where its nearest anchor puts it


def _align(reading: _Reading, file_id: int, anchor_rows: list[SourceRow], index: Index,
           *, min_matches: int) -> tuple[list[tuple[int, int]], bytes, Sequence[int]] | None:
    """Anchor pairs (reading position, file offset) if the file agrees with the reading next to them.

    Copied code agrees with the file right next to its anchors; an idiom
    shared by chance does not, and is dropped here before the full count.
    """
    k = index.k
    stream = reading.stream
    n = len(reading.hashes)
    file_stream, file_starts = index.file_tokens(file_id)
    lines = len(file_starts)
    find = file_stream.find
    lines_by_hash: dict[int, list[int]] = {}
    for row in anchor_rows:
        occurrences = lines_by_hash.setdefault(row.hash, [])
        if len(occurrences) < _MAX_OCCURRENCES:
            occurrences.append(row.start_line)
    pairs: list[tuple[int, int]] = []
    for p in reading.anchors:
        for line in lines_by_hash.get(reading.hashes[p], ()):
            if line <= lines:
                at = find(stream[p : p + k], file_starts[line - 1])
                if at >= 0:
                    pairs.append((p, at - p))
    if not pairs:
        return None
    pairs.sort()
    near = 0
    wanted = min(min_matches, _NEAR)
    for a, delta in pairs:
        for p in range(max(0, a - _NEAR), min(n, a + _NEAR + 1)):
            if p != a and find(stream[p : p + k], max(0, p + delta - 2), p + delta + k + 2) >= 0:
                near += 1
        if near >= wanted:
            return pairs, file_stream, file_starts
    return None


def _neighbourhood(reading: _Reading, pairs: list[tuple[int, int]], reach: int) -> list[tuple[int, int]]:
    """Merged [lo, hi) position ranges within ``reach`` of an anchor."""
    n = len(reading.hashes)
    spans: list[tuple[int, int]] = []
    for a, _ in pairs:
        lo, hi = max(0, a - reach), min(n, a + reach)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


def _verify(
    reading: _Reading,
    file_id: int,
    aligned: tuple[list[tuple[int, int]], bytes, Sequence[int]],
    spans: list[tuple[int, int]],
    frequent: set[int] | frozenset[int],
    k: int,
    *,
    min_matches: int,
    min_span: int,
    threshold: float,
) -> list[_Candidate]:
    """Count the k-grams of the reading that the file holds where the anchors put them.

    Each anchor (a fingerprint the reading shares with the file) fixes an
    offset between reading and file; every other k-gram of the reading must
    be found in the file within ``_SLACK`` tokens of where its nearest anchor
    puts it.  Only the neighbourhood of anchors can hold copied code (a copied
    run of w + k - 1 tokens always holds an anchor).
    """
    pairs, file_stream, file_starts = aligned
    stream = reading.stream
    find = file_stream.find
    anchor_positions = [a for a, _ in pairs]
    hashes = reading.hashes
    counted = [
        p for lo, hi in spans for p in range(lo, hi)
        if hashes[p] not in frequent and stream[p : p + k].translate(None, WEAK_TOKENS)
    ]
    located: dict[int, int] = {}  # reading position -> file position, for aligned k-grams
    for p in counted:
        gram = stream[p : p + k]
        i = bisect_right(anchor_positions, p)
        for j in (i - 1, i, i - 2, i + 1):
            if 0 <= j < len(pairs):
                expected = p + pairs[j][1]
                at = find(gram, max(0, expected - _SLACK), expected + _SLACK + k)
                if at >= 0:
                    located[p] = at
                    break
    if len(located) < min_matches:
        return []
    # clusters of aligned k-grams at most k counted positions (and 2k tokens) apart
    clusters: list[tuple[int, int, int]] = []  # matched, first index into counted, last index
    start = prev = -1
    matched = 0
    for i, p in enumerate(counted):
        if p not in located:
            continue
        if start < 0 or i - prev > k or p - counted[prev] > 2 * k:
            if start >= 0:
                clusters.append((matched, start, prev))
            start, matched = i, 0
        matched += 1
        prev = i
    clusters.append((matched, start, prev))
    found: list[_Candidate] = []
    for matched, first, last in clusters:
        if matched < min_matches:
            continue
        # a short cluster is judged with its neighbours: widen it to at least min_span positions
        if last - first + 1 < min_span:
            first = max(0, min(first - (min_span - (last - first + 1)) // 2, len(counted) - min_span))
            last = min(len(counted) - 1, first + min_span - 1)
        window = counted[first : last + 1]
        window_hits = [p for p in window if p in located]
        if len(window_hits) < min_matches or len(window_hits) < threshold * len(window):
            continue
        # repetitive code (tables of constants, runs of ``this.a = a;``) aligns with any other
        # repetition of the same shape: each distinct k-gram counts once towards min_matches
        if len({hashes[p] for p in window_hits}) < min_matches:
            continue
        positions = [located[p] for p in window_hits]
        found.append(_Candidate(
            file_id=file_id,
            matched=len(window_hits),
            counted=len(window),
            first=window_hits[0],
            last=window_hits[-1],
            source_start=bisect_right(file_starts, min(positions)),
            source_end=bisect_right(file_starts, max(positions) + k - 1),
        ))
    return found


def lookup(
    text: str,
    index: Index,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_matches: int = DEFAULT_MIN_MATCHES,
    language: str | None = None,
    engine: str | None = DEFAULT_ENGINE,
) -> tuple[Match, ...]:
    """Matches of indexed proprietary code in ``text``, at most one per code region.

    ``threshold``: minimum share (0..1) of the k-grams of the matched span found
    in one proprietary file; ``min_matches``: minimum number of such k-grams
    (``min_matches + k - 1`` tokens of shared code); ``language``: tokenise every
    region as this language instead of guessing.
    """
    forced = language_name(language) if language else None
    if language and forced is None:
        raise ValueError(f"unknown language {language!r}")
    k, w = index.k, index.w
    candidates_languages = index.languages
    regions: list[tuple[Region, list[_Reading], tuple[tuple[str | None, bool], ...]]] = []
    for region in code_regions(text):
        if forced or region.language is not None:
            regions.append((region, _read(region.text, forced or region.language, k, w, engine=engine),
                            ((forced or region.language, True),)))
            continue
        if len(candidates_languages) == 1:
            ranked: list[str | None] = list(candidates_languages)
        else:
            ranked = [name for name, _ in language_scores(region.text, candidates_languages)]
            ranked += [name for name in candidates_languages if name not in ranked]  # unscored: try last
            ranked = ranked or [None]
        tries = [(ranked[0], True)] + [(name, False) for name in ranked[1:3]]
        regions.append((region, _read(region.text, ranked[0], k, w, engine=engine), tuple(tries)))
    if not regions:
        return ()

    rows_by_hash: dict[int, list[SourceRow]] = {}
    common: set[int] = set()
    queried: set[int] = set()

    def fetch(readings: list[_Reading]) -> None:
        anchors = {r.hashes[p] for r in readings for p in r.anchors} - queried
        if not anchors:
            return
        queried.update(anchors)
        for row in index.rows(anchors):
            rows_by_hash.setdefault(row.hash, []).append(row)

    reach = max(w + k, _MIN_SPAN)

    def common_among(hashes: set[int]) -> set[int]:
        fresh = hashes - queried_common
        if fresh:
            common.update(index.common(fresh))
            queried_common.update(fresh)
        return common & hashes

    def lines_of(reading: _Reading, found: _Candidate) -> tuple[int, int]:
        first = bisect_right(reading.line_starts, found.first)
        return first, max(first, bisect_right(reading.line_starts, found.last + k - 1))

    file_languages = index.file_languages()

    def judge(readings: list[_Reading]) -> list[tuple[_Reading, _Candidate]]:
        fetch(readings)
        candidates: list[tuple[_Reading, _Candidate]] = []
        for reading in readings:
            compatible = _COMPATIBLE.get(reading.language, frozenset({reading.language}))
            by_file: dict[int, list[SourceRow]] = {}
            for p in reading.anchors:
                for row in rows_by_hash.get(reading.hashes[p], ()):
                    if reading.language is None or file_languages[row.file_id] in compatible:
                        by_file.setdefault(row.file_id, []).append(row)
            if not by_file:
                continue
            # in a long region a single shared fingerprint is usually an idiom met by chance
            least = 2 if len(reading.anchors) >= _MANY_ANCHORS else 1
            anchor_count = {
                f: len({r.hash for r in rows}) if least > 1 else len(rows)
                for f, rows in by_file.items() if len(rows) >= least
            }
            ranked_files = sorted((f for f, count in anchor_count.items() if count >= least),
                                  key=lambda f: (-anchor_count[f], f))[:_MAX_FILES]
            aligned = []
            for file_id in ranked_files:
                found_pairs = _align(reading, file_id, by_file[file_id], index, min_matches=min_matches)
                if found_pairs is not None:
                    aligned.append((file_id, found_pairs, _neighbourhood(reading, found_pairs[0], reach)))
            if not aligned:
                continue
            in_memory = index.frequent()  # all of them held in memory: no need to ask about each hash
            frequent: set[int] | frozenset[int] = in_memory if in_memory is not None else common_among(
                {reading.hashes[p] for _, _, spans in aligned for lo, hi in spans for p in range(lo, hi)})
            for file_id, found_pairs, spans in aligned:
                for found in _verify(reading, file_id, found_pairs, spans, frequent, k,
                                     min_matches=min_matches, min_span=_MIN_SPAN, threshold=threshold):
                    candidates.append((reading, found))
        # the best matches that do not overlap one another in the text
        candidates.sort(key=lambda c: (-c[1].matched, -c[1].matched / c[1].counted, c[1].file_id))
        chosen: list[tuple[_Reading, _Candidate]] = []
        taken: list[tuple[int, int]] = []
        for reading, found in candidates:
            first, last = lines_of(reading, found)
            if all(last < a or first > b for a, b in taken):
                chosen.append((reading, found))
                taken.append((first, last))
        return chosen

    queried_common: set[int] = set()
    fetch([reading for _, readings, _ in regions for reading in readings])  # one query for all regions
    data = text.encode("utf-8", "surrogateescape")
    offsets: list[int] | None = None
    matches: list[Match] = []
    for region, readings, alternatives in regions:
        outcomes = judge(readings)
        for alternative, flip in alternatives:  # the other reading of a docstring, other languages
            if outcomes:
                break
            outcomes = judge(_read(region.text, alternative, k, w, flip=flip, engine=engine))
        for reading, found in sorted(outcomes, key=lambda o: lines_of(*o)):
            if offsets is None:
                offsets = _line_offsets(data)
            matches.append(_match(region, reading, found, index, data, offsets))
    return tuple(matches)


def _match(region: Region, reading: _Reading, found: _Candidate, index: Index, data: bytes,
           offsets: list[int]) -> Match:
    k = index.k
    text_start = region.start_line + bisect_right(reading.line_starts, found.first) - 1
    text_end = region.start_line + bisect_right(reading.line_starts, found.last + k - 1) - 1
    text_end = min(max(text_end, text_start), region.end_line)
    end_offset = offsets[text_end] - 1 if text_end < len(offsets) else len(data)
    return Match(
        text_start_line=text_start,
        text_end_line=text_end,
        start=offsets[text_start - 1],
        end=max(end_offset, offsets[text_start - 1]),
        source_path=index.file_path(found.file_id),
        source_start_line=found.source_start,
        source_end_line=found.source_end,
        share=round(found.matched / found.counted, 4),
        matched=found.matched,
        fingerprints=found.counted,
        language=reading.language,
        region_start_line=region.start_line,
        region_end_line=region.end_line,
    )
