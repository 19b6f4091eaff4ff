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

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from .index import Index, SourceRow
from .tokenize import LANGUAGES, language_name, tokenize
from .winnow import Fingerprint, fingerprints

DEFAULT_THRESHOLD = 0.5
DEFAULT_MIN_MATCHES = 3
DEFAULT_MAX_GAP = 3


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
_COMPILED = {lang: tuple((re.compile(p, re.M), wt) for p, wt in feats) for lang, feats in _FEATURES.items()}
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
        if name == "tsx" and re.search(r"</\w+>|/>", text):
            score += 2
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
    re.I,
)
_CODE_END = re.compile(r"(?:[;{}()\[\],:]|=>|->|\\)\s*$")
_CODE_SYMBOLS = re.compile(r"\w\(|\)\s*[{:]|[{};]|==|!=|=>|->|::|&&|\|\||\+=|-=|\w\[|\w\.\w+\(|^\s*[})\]]| = ")
_WORD = re.compile(r"[A-Za-z']+")


_COMMENT_START = ("#", "//", "/*", "*", "--", "<!--")


def _code_line(line: str) -> bool | None:
    """True if the line looks like code, False if like prose, None if neutral.

    Neutral lines (blank, comments, indented lines that do not look like code)
    neither start nor end a run of code.
    """
    stripped = line.strip()
    if not stripped or stripped.startswith(_COMMENT_START):
        return None
    words = _WORD.findall(stripped)
    symbols = len(_CODE_SYMBOLS.findall(stripped))
    code = 0.0
    if _CODE_START.match(stripped):
        code += 1.5
    if _CODE_END.search(stripped):
        code += 1.5
    code += min(symbols, 3)
    if line[:1] in (" ", "\t") and symbols:
        code += 1
    prose = 0.0
    if len(words) >= 5 and sum(len(w) for w in words) >= 0.6 * len(stripped):
        prose += 2
        if stripped[-1:] in ".?!" or stripped[:1].isupper():
            prose += 1.5
        if len(words) >= 12:
            prose += 1
    if stripped[:1] in "-*>" and len(words) >= 3 and not symbols:
        prose += 2  # markdown list or quote
    if code > prose:
        return True
    if line[:4] == "    " or line[:1] == "\t":
        return None  # indented: a continuation line, a string, a comment
    return False


def code_regions(text: str) -> tuple[Region, ...]:
    """Fenced blocks, and runs of code-looking lines outside fences."""
    lines = text.split("\n")
    regions: list[Region] = []
    run: list[int] = []  # line indexes of the current unfenced code run
    pending_blank: list[int] = []

    def flush() -> None:
        code_lines = [i for i in run if _code_line(lines[i])]
        if len(code_lines) >= 2:
            first, last = run[0], run[-1]
            regions.append(Region(first + 1, last + 1, "\n".join(lines[first : last + 1]), None, False))
        run.clear()
        pending_blank.clear()

    i = 0
    n = len(lines)
    while i < n:
        fence = _FENCE.match(lines[i])
        if fence:
            flush()
            marker, tag = fence.group(1), fence.group(2)
            j = i + 1
            while j < n and not (lines[j].strip().startswith(marker[0] * len(marker)) and lines[j].strip().strip(marker[0]) == ""):
                j += 1
            if j > i + 1:
                regions.append(Region(i + 2, j, "\n".join(lines[i + 1 : j]), language_name(tag), True))
            i = j + 1
            continue
        kind = _code_line(lines[i])
        if kind is None:
            if run:
                pending_blank.append(i)
        elif kind:
            run.extend(pending_blank)
            pending_blank.clear()
            run.append(i)
        elif run and len(pending_blank) == 0 and i + 1 < n and _code_line(lines[i + 1]):
            run.append(i)  # one prose-looking line between code lines (a comment, a long call)
        else:
            flush()
        i += 1
    flush()
    return tuple(regions)


# --------------------------------------------------------------------------- lookup


@dataclass(slots=True)
class _Prepared:
    region: Region
    language: str | None
    prints: tuple[Fingerprint, ...]
    alternatives: tuple[str, ...]


def _prepare(region: Region, language: str | None, alternatives: tuple[str, ...], k: int, w: int) -> _Prepared:
    tokens = tokenize(region.text, language)
    return _Prepared(region, language, fingerprints(tokens, k=k, w=w), alternatives)


def _line_offsets(data: bytes) -> list[int]:
    offsets = [0]
    find = data.find
    pos = find(b"\n")
    while pos >= 0:
        offsets.append(pos + 1)
        pos = find(b"\n", pos + 1)
    return offsets


def _best(
    prepared: _Prepared,
    rows_by_hash: dict[int, list[SourceRow]],
    common: set[int],
    *,
    threshold: float,
    min_matches: int,
    max_gap: int,
) -> tuple[int, list[int], list[Fingerprint], float] | None:
    counted = [fp for fp in prepared.prints if fp.hash not in common]
    if len(counted) < min_matches:
        return None
    per_file: Counter[int] = Counter()
    for fp in counted:
        rows = rows_by_hash.get(fp.hash)
        if rows:
            per_file.update({row.file_id for row in rows})
    if not per_file:
        return None
    best_result = None
    for file_id, count in sorted(per_file.items(), key=lambda item: (-item[1], item[0]))[:3]:
        if count < min_matches:
            break
        flags = [any(r.file_id == file_id for r in rows_by_hash.get(fp.hash, ())) for fp in counted]
        # clusters of matched fingerprints at most max_gap unmatched ones apart
        best_span: tuple[int, int, int] | None = None  # matched, first, last index into counted
        first = last = -1
        matched = gap = 0
        for idx, hit in enumerate(flags):
            if hit:
                if first < 0 or gap > max_gap:
                    if first >= 0 and (best_span is None or matched > best_span[0]):
                        best_span = (matched, first, last)
                    first, matched = idx, 0
                matched += 1
                last = idx
                gap = 0
            else:
                gap += 1
        if first >= 0 and (best_span is None or matched > best_span[0]):
            best_span = (matched, first, last)
        assert best_span is not None
        matched, first, last = best_span
        share = matched / (last - first + 1)
        if matched >= min_matches and share >= threshold:
            candidate = (file_id, [i for i in range(first, last + 1) if flags[i]], counted[first : last + 1], share)
            if best_result is None or matched > len(best_result[1]):
                best_result = candidate
    return best_result


def lookup(
    text: str,
    index: Index,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_matches: int = DEFAULT_MIN_MATCHES,
    max_gap: int = DEFAULT_MAX_GAP,
    language: str | None = None,
) -> tuple[Match, ...]:
    """Matches of indexed proprietary code in ``text``, at most one per code region.

    ``threshold``: minimum share (0..1) of a matched span's fingerprints found in
    one proprietary file; ``min_matches``: minimum number of such fingerprints;
    ``language``: tokenise every region as this language instead of guessing.
    """
    forced = language_name(language) if language else None
    if language and forced is None:
        raise ValueError(f"unknown language {language!r}")
    candidates = index.languages
    prepared: list[_Prepared] = []
    for region in code_regions(text):
        if forced:
            prepared.append(_prepare(region, forced, (), index.k, index.w))
            continue
        if region.language is not None:
            prepared.append(_prepare(region, region.language, (), index.k, index.w))
            continue
        ranked = [name for name, _ in language_scores(region.text, candidates)] if len(candidates) != 1 else list(candidates)
        if not ranked:
            ranked = list(candidates[:1]) or [None]  # type: ignore[list-item]
        prepared.append(_prepare(region, ranked[0], tuple(ranked[1:3]), index.k, index.w))
    if not prepared:
        return ()

    hashes = {fp.hash for p in prepared for fp in p.prints}
    rows_by_hash: dict[int, list[SourceRow]] = {}
    for row in index.rows(hashes):
        rows_by_hash.setdefault(row.hash, []).append(row)
    common = index.common(hashes) if rows_by_hash else set()

    data = text.encode("utf-8", "surrogateescape")
    offsets: list[int] | None = None
    matches: list[Match] = []
    for p in prepared:
        found = _best(p, rows_by_hash, common, threshold=threshold, min_matches=min_matches, max_gap=max_gap)
        for alternative in p.alternatives:
            if found is not None:
                break
            p = _prepare(p.region, alternative, (), index.k, index.w)
            extra = {fp.hash for fp in p.prints} - hashes
            if extra:
                hashes |= extra
                for row in index.rows(extra):
                    rows_by_hash.setdefault(row.hash, []).append(row)
                common |= index.common(extra)
            found = _best(p, rows_by_hash, common, threshold=threshold, min_matches=min_matches, max_gap=max_gap)
        if found is None:
            continue
        file_id, hit_indexes, span, share = found
        if offsets is None:
            offsets = _line_offsets(data)
        region = p.region
        text_start = region.start_line + span[0].start_line - 1
        text_end = region.start_line + span[-1].end_line - 1
        source_rows = [
            [r for r in rows_by_hash[span[i - hit_indexes[0]].hash] if r.file_id == file_id]
            for i in hit_indexes
        ]
        source_start, source_end = _source_range(source_rows)
        end_offset = offsets[text_end] - 1 if text_end < len(offsets) else len(data)
        matches.append(
            Match(
                text_start_line=text_start,
                text_end_line=text_end,
                start=offsets[text_start - 1],
                end=max(end_offset, offsets[text_start - 1]),
                source_path=index.file_path(file_id),
                source_start_line=source_start,
                source_end_line=source_end,
                share=round(share, 4),
                matched=len(hit_indexes),
                fingerprints=len(span),
                language=p.language,
                region_start_line=region.start_line,
                region_end_line=region.end_line,
            )
        )
    return tuple(matches)


def _source_range(occurrences: list[list[SourceRow]]) -> tuple[int, int]:
    """Line range in the source file: per fingerprint the occurrence nearest the median."""
    starts = sorted(r.start_line for rows in occurrences for r in rows)
    median = starts[len(starts) // 2]
    chosen = [min(rows, key=lambda r: abs(r.start_line - median)) for rows in occurrences if rows]
    return min(r.start_line for r in chosen), max(r.end_line for r in chosen)
