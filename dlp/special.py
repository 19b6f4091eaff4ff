"""Special categories of personal data near a value: health, religion,
criminal records, biometrics, political opinions.

The PDPA counts data about a person's physical or mental health, religious
beliefs, political opinions and (alleged) offences as *sensitive* personal
data (MY PDPA s.4; TH PDPA s.26 adds biometric and genetic data; ID UU PDP
Art. 4 health, biometric, genetic and criminal records; PH RA 10173 s.3(l)
health, religion, political affiliation and offences; VN Decree 13 Art. 2(4)).
A phone number or an IC in a patient list is therefore sensitive data even
though the number itself is only personal: :func:`special_category` finds a
term of one of those categories next to a value (on its line, ``window``
characters on either side, in identifiers too: ``medical_condition``,
``diagnosisCode``); in the header of the CSV/TSV table the value is a
cell of (a ``diagnosis`` or ``agama`` column makes every row special), in
the table and columns of its SQL ``INSERT``, or in the other members of the
JSON or YAML object whose member it is (``"diagnosis"`` two lines below
``"nric"``, a ``patients:`` key above the list). The
scanner then reports the finding at the highest tier (dlp/scan.py). The
line bounds the window because the next line of a prompt, a log or a list is
often another person's record: other lines count only as members of the
value's own object.

Terms are phrases, not single ambiguous words: ``health`` alone is a health
check endpoint in code (and ``HealthStatus`` a service's), ``faith`` is "in
good faith", ``fingerprint`` a key digest, ``jail`` a chroot or FreeBSD
jail, ``disabled`` a flag, ``patient``
"be patient", ``Christian`` a first name (the AUTHORS files of
site-packages), ``Islam`` part of a bank's name (Bank Islam), ``Masjid`` of
Malaysian street names; those count only inside a phrase (``health record``,
``fingerprint scan``) or not at all. ASCII terms are whole
words (not next to ``[a-z0-9]``), others anywhere.
"""
from __future__ import annotations

import re
from functools import cache

from dlp.context import _DELIMITERS, _csv_column, _tables, normalise, sql_statement
from dlp.engine.literals import Literals

# category -> terms, lower case (English, Malay, Indonesian, Filipino, Chinese,
# Tamil, Thai, Vietnamese)
SPECIAL_TERMS: dict[str, tuple[str, ...]] = {
    "health": (
        "medical", "medical record", "medical history", "medical condition", "health record", "health records",
        "health condition", "health data", "health information", "mental health",
        "diagnosis", "diagnoses", "diagnosed", "disease", "illness", "patient id", "patient name",
        "patient record", "patient records", "patient data", "patient list", "patients", "medical records",
        "hiv", "hiv/aids", "cancer", "diabetes", "diabetic", "tuberculosis", "hepatitis", "pregnant",
        "pregnancy", "psychiatric", "prescription", "medication", "blood type", "blood group", "allergy",
        "allergies", "disability", "vaccination status", "covid-19 positive",
        "kesihatan", "rekod kesihatan", "rekod perubatan", "perubatan", "penyakit", "pesakit", "rawatan",
        "hamil", "mengandung", "kencing manis", "darah tinggi", "barah", "kanser", "kesehatan",
        "rekam medis", "riwayat penyakit", "pasien", "diagnosa", "kalusugan", "pasyente", "sakit",
        "病历", "病歷", "诊断", "診斷", "患者", "病人", "疾病", "病史", "艾滋病", "癌症", "糖尿病", "怀孕",
        "懷孕", "医疗", "醫療", "健康状况", "健康狀況",
        "நோய்", "நோயாளி", "மருத்துவ",
        "ผู้ป่วย", "โรค", "การวินิจฉัย", "ประวัติการรักษา", "สุขภาพ",
        "bệnh", "chẩn đoán", "sức khỏe", "sức khoẻ", "tiền sử bệnh",
    ),
    "religion": (
        "religion", "religious", "religious belief", "muslim", "buddhist", "hindu", "sikh",
        "taoist", "atheist", "agama", "kepercayaan agama", "relihiyon",
        "宗教", "信仰", "穆斯林", "基督徒", "佛教徒",
        "மதம்",
        "ศาสนา",
        "tôn giáo",
    ),
    "criminal": (
        "criminal", "criminal record", "conviction", "convictions", "convicted", "offender", "offence",
        "offense", "prison", "prisoner", "inmate", "arrest record", "arrested", "court case",
        "jenayah", "rekod jenayah", "banduan", "penjara", "sabitan", "pidana", "narapidana", "kriminal",
        "catatan kriminal", "krimen", "bilanggo", "kulungan",
        "犯罪", "刑事", "前科", "定罪", "监狱", "監獄", "罪犯",
        "குற்ற", "சிறை",
        "อาชญากรรม", "คดีอาญา", "ต้องโทษ",
        "tiền án", "tiền sự", "hình sự", "tội phạm", "phạm tội",
    ),
    "biometric": (
        "biometric", "biometrics", "fingerprint scan", "fingerprint template", "fingerprint image",
        "fingerprint data", "facial recognition", "face template", "iris scan", "retina scan", "voiceprint",
        "dna", "dna profile", "genetic data", "genetic test", "biometrik", "cap jari", "sidik jari",
        "生物识别", "生物識別", "指纹", "指紋", "人脸识别", "人臉識別", "虹膜",
        "கைரேகை",
        "ชีวมิติ", "ลายนิ้วมือ",
        "sinh trắc học", "vân tay",
    ),
    "political": (
        "political opinion", "political opinions", "political party", "political affiliation",
        "parti politik", "pandangan politik", "partai politik", "政党", "政黨", "政治观点", "政治觀點",
        "พรรคการเมือง", "đảng phái chính trị",
    ),
}

# characters on either side of a value, on its line, where a term counts
WINDOW = 100


_TOKEN = re.compile(r"[a-z0-9]+")


@cache
def _tables_of_terms() -> tuple[dict[str, tuple[tuple[tuple[str, ...], str], ...]], tuple[tuple[str, str], ...],
                               frozenset[str]]:
    """(ASCII terms as word sequences, by first word: ``("medical",
    "record")``, each with its category; the other terms with theirs; the
    first words)."""
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    other: list[tuple[str, str]] = []
    for category, terms in SPECIAL_TERMS.items():
        for term in terms:
            if term.isascii():
                words = tuple(_TOKEN.findall(term))
                by_first.setdefault(words[0], []).append((words, category))
            else:
                other.append((term, category))
    return {k: tuple(v) for k, v in by_first.items()}, tuple(other), frozenset(by_first)


@cache
def _first_words() -> Literals:
    return Literals(word.encode("ascii") for word in _tables_of_terms()[2])


def _found(text: str) -> str | None:
    """The category of the first term in ``text`` (ASCII terms as whole words:
    runs of ``[a-z0-9]`` in the lower-cased, camelCase-split text, any other
    characters between them; the other terms anywhere), or None.

    Words looked up in a table rather than one regex of every term: ``re``
    tries each of ~250 alternatives at each position (80 us for 200
    characters, measured), the table a few microseconds. Before either, an
    ASCII text (nearly every window in code) holding none of the first
    words anywhere, in any case, holds no term: a first word is a token of
    the normalised text, so a substring of the text lower-cased (0.3 us
    for a value's windows, against 6 us to normalise and tokenise them)."""
    if text.isascii() and _termless(text.encode("ascii")):
        return None
    return _term_category(text)


def _termless(raw: bytes) -> bool:
    """Whether ``raw`` is ASCII holding none of the first words, in any case:
    then no text cut or joined from its lines holds a term."""
    return raw.isascii() and not _first_words().any_in(raw)


def _term_category(text: str) -> str | None:
    """:func:`_found` without its precheck: the text normalised and read word by word."""
    text = normalise(text)
    by_first, other, first_words = _tables_of_terms()
    words = _TOKEN.findall(text)
    if not first_words.isdisjoint(words):  # most windows: no term begins there
        for i, word in enumerate(words):
            for term, category in by_first.get(word, ()):
                if len(term) == 1 or tuple(words[i:i + len(term)]) == term:
                    return category
    if not text.isascii():
        for phrase, category in other:
            if phrase in text:
                return category
    return None


def special_category(data: bytes, start: int, end: int, window: int = WINDOW) -> str | None:
    """The special category (``health``, ``religion``, ``criminal``,
    ``biometric``, ``political``) of a term within ``window`` characters of
    the value at [start, end) on its line, in the header of its CSV/TSV
    table, in its SQL ``INSERT`` statement or in the other members of its
    JSON/YAML object, or None."""
    # bytes: up to four per character; the windows are cut in characters, with
    # one more on the far side seen only as a boundary (``xdiagnosis`` cut to
    # ``diagnosis`` is not the word: a letter or digit there becomes ``0``,
    # which begins no term)
    before = data[max(0, start - 4 * window - 4):start].decode("utf-8", "replace")[-(window + 1):]
    after = data[end:end + 4 * window + 4].decode("utf-8", "replace")[:window + 1]
    # on the value's line only: the next line of a prompt or a log is often
    # another person's record (``PhilHealth ng pasyente`` below ``TIN ko``)
    before = before[before.rfind("\n") + 1:]
    newline = after.find("\n")
    if newline >= 0:
        after = after[:newline]
    if len(before) > window:
        before = ("0" if before[0].isalnum() else " ") + before[1:]
    if len(after) > window:
        after = after[:-1] + ("0" if after[-1].isalnum() else " ")
    # the value's own text stays out (a value is never a term); its first and
    # last characters are the boundaries (``cancer0127384916`` has no ``cancer``)
    value = data[start:end].decode("utf-8", "replace")
    found = _found(before + value[:1] + "\n" + value[-1:] + after)
    if found is not None:
        return found
    header = _header_category(data)
    if header is not None and _csv_column(data, start, _tables(data)) is not None:
        return header
    statement = sql_statement(data, start)  # INSERT INTO patients (nric, diagnosis) VALUES
    if statement is not None:
        return _found(statement.decode("utf-8", "replace"))
    record = _record(data, start)
    if record:
        return _found(record.decode("utf-8", "replace"))
    return None


# a member line of a JSON/YAML object: a key, then ``:`` (a YAML list item's
# first member after ``- ``, a JSON object's after its ``{``)
_MEMBER = re.compile(rb"""[ \t]*(?:- +|[{\[]+[ \t]*)?(?:"[^"\n]{1,64}"|'[^'\n]{1,64}'|[A-Za-z_][\w .-]{0,63}?)[ \t]*:(?![:/])""")
# lines (and bytes) read above and below the value's line, at most, for its record
_RECORD_LINES = 12
_RECORD_BYTES = 2048


def _record(data: bytes, start: int) -> bytes:
    """The other members of the JSON or YAML object whose member line holds
    the value at ``start`` (``"nric": "…"`` with ``"diagnosis": "…"`` two
    lines below), with what is nested in them; b"" when the value's line is
    no member line. A member is a member line at the same indentation, with
    the deeper lines after it and the line closing them; the record ends at a
    shallower line, a blank line, a line at the same indentation that is
    neither, or the next list item.

    Also b"" when none of the lines it may read holds a term (ASCII, and
    no term's first word anywhere, in any case): one literal scan instead
    of walking the object line by line, 7 us a finding (the author's
    e-mail in a package's metadata dict)."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", start)
    line = data[line_start:len(data) if line_end < 0 else line_end]
    if _MEMBER.match(line) is None:
        return b""
    lo = max(0, line_start - _RECORD_BYTES)
    hi = line_end + 1 + _RECORD_BYTES
    if _termless(data[lo:hi] if line_end >= 0 else data[lo:]):
        return b""
    indent = _indent(line)
    members: list[bytes] = []
    if line_start:
        above = data[lo:line_start - 1].split(b"\n")
        if lo:
            del above[0]  # cut by the window
        above.reverse()
        # a YAML list item's first member has no members above it, only perhaps its parent
        first = line.lstrip().startswith(b"- ")
        for i, other in enumerate(above[:_RECORD_LINES]):
            depth = _indent(other)
            if not other.strip():
                break
            if depth < indent:
                members.extend(_parent(above[i:i + 2], depth))
                break
            if first or (depth == indent and not _member_or_closer(other)):
                break
            members.append(other)
            if depth == indent and other.lstrip().startswith(b"- "):
                break  # this item's first member: above it is the previous item
    if line_end >= 0:
        below = data[line_end + 1:hi].split(b"\n")
        if hi < len(data):
            del below[-1]  # cut by the window
        for other in below[:_RECORD_LINES]:
            depth = _indent(other)
            if not other.strip() or depth < indent or (depth == indent and (
                    other.lstrip().startswith(b"- ") or not _member_or_closer(other))):
                break
            members.append(other)
    return b"\n".join(members)


def _member_or_closer(line: bytes) -> bool:
    """A member line, or one that closes a nested member (``},``, ``]``)."""
    return _MEMBER.match(line) is not None or line.strip(b" \t\r}],") == b""


def _parent(lines: list[bytes], depth: int) -> list[bytes]:
    """The key the record is the value of (``patients:``, ``"medical": {``):
    ``lines[0]``, the first shallower line above the record, when it is a
    member line; else, when it only opens the record (``{``, ``[``, ``- ``),
    the line above it when that is a shallower member line."""
    if _MEMBER.match(lines[0]):
        return lines[:1]
    if lines[0].strip(b" \t\r-[{") == b"" and len(lines) > 1 and _indent(lines[1]) < depth \
            and _MEMBER.match(lines[1]):
        return lines[1:2]
    return []


def _indent(line: bytes) -> int:
    """Where a line's key starts: its indentation, past a YAML list item's ``- ``."""
    stripped = line.lstrip(b" \t")
    depth = len(line) - len(stripped)
    while stripped.startswith(b"- "):
        rest = stripped[2:].lstrip(b" ")
        depth += len(stripped) - len(rest)
        stripped = rest
    return depth


# [document, the category of a term in its first line]: a one-document memo,
# by identity (a document's findings are judged one after the other)
_LAST_HEADER: list[object] = [None, None]


def _header_category(data: bytes) -> str | None:
    """The category of a term in the first line of ``data`` when that line
    may be a table's header (it holds a delimiter and a line follows). Asked
    before the table's own parse (``context._tables``, which splits and checks
    every header field), which then runs only for a header naming a term:
    4 us a finding less over the benchmark corpus (measured)."""
    if _LAST_HEADER[0] is data:
        return _LAST_HEADER[1]  # type: ignore[return-value]
    end = data.find(b"\n")
    line = data[:end] if end > 0 else b""
    category = None
    if any(d in line for d in _DELIMITERS):
        category = _found(line.decode("utf-8", "replace"))
    _LAST_HEADER[:] = [data, category]
    return category
