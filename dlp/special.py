"""Special categories of personal data near a value: health, religion,
criminal records, biometrics, political opinions.

The PDPA counts data about a person's physical or mental health, religious
beliefs, political opinions and (alleged) offences as *sensitive* personal
data (MY PDPA s.4; TH PDPA s.26 adds biometric and genetic data; ID UU PDP
Art. 4 health, biometric, genetic and criminal records; PH RA 10173 s.3(l)
health, religion, political affiliation and offences; VN Decree 13 Art. 2(4)).
A phone number or an IC in a patient list is therefore sensitive data even
though the number itself is only personal: :func:`special_category` finds a
term of one of those categories next to a value (``window`` characters on
either side, in identifiers too: ``medical_condition``, ``diagnosisCode``),
or in the header of the CSV/TSV table the value is a cell of (a ``diagnosis``
or ``agama`` column makes every row special). The scanner then reports the
finding at the highest tier (dlp/scan.py).

Terms are phrases, not single ambiguous words: ``health`` alone is a health
check endpoint in code, ``faith`` is "in good faith", ``fingerprint`` a key
digest, ``disabled`` a flag, ``Islam`` part of a bank's name (Bank Islam),
``Masjid`` of Malaysian street names; those count only inside a phrase
(``health record``, ``fingerprint scan``) or not at all. ASCII terms are whole
words (not next to ``[a-z0-9]``), others anywhere.
"""
from __future__ import annotations

import re
from functools import cache

from dlp import regex_cache
from dlp.context import _csv_column, _tables, normalise

# category -> terms, lower case (English, Malay, Indonesian, Filipino, Chinese,
# Tamil, Thai, Vietnamese)
SPECIAL_TERMS: dict[str, tuple[str, ...]] = {
    "health": (
        "medical", "medical record", "medical history", "medical condition", "health record", "health records",
        "health condition", "health status", "health data", "health information", "mental health",
        "diagnosis", "diagnoses", "diagnosed", "disease", "illness", "patient id", "patient name",
        "patient record", "patients", "hiv", "hiv/aids", "cancer", "diabetes", "diabetic", "tuberculosis",
        "hepatitis", "pregnant", "pregnancy", "psychiatric", "prescription", "medication", "blood type",
        "blood group", "allergy", "allergies", "disability", "vaccination status", "covid-19 positive",
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
        "religion", "religious", "religious belief", "muslim", "christian", "buddhist", "hindu", "sikh",
        "taoist", "atheist", "agama", "kepercayaan agama", "kristian", "relihiyon",
        "宗教", "信仰", "穆斯林", "基督徒", "佛教徒",
        "மதம்",
        "ศาสนา",
        "tôn giáo",
    ),
    "criminal": (
        "criminal", "criminal record", "conviction", "convictions", "convicted", "offender", "offence",
        "offense", "prison", "prisoner", "jail", "inmate", "arrest record", "arrested", "court case",
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

# characters on either side of a value where a term counts (a record: the
# line, or a few lines of a JSON/YAML object)
WINDOW = 100


def _led(term: str) -> str:
    """An ASCII term as a whole word: not after ``[a-z0-9]`` (checked after its
    first character, so that ``re`` skips to that character)."""
    first = re.escape(term[0])
    return f"{first}(?<![a-z0-9]{first}){re.escape(term[1:])}(?![a-z0-9])"


@cache
def _regex() -> re.Pattern[str]:
    """One alternation, a named group per category; longer terms first."""
    groups = []
    for category, terms in SPECIAL_TERMS.items():
        ordered = sorted(set(terms), key=lambda t: (-len(t), t))
        parts = [_led(t) if t.isascii() else re.escape(t) for t in ordered]
        groups.append(f"(?P<{category}>" + "|".join(parts) + ")")
    return regex_cache.compile("|".join(groups))


def _found(text: str) -> str | None:
    m = _regex().search(normalise(text).replace("_", " "))
    return m.lastgroup if m is not None else None


def special_category(data: bytes, start: int, end: int, window: int = WINDOW) -> str | None:
    """The special category (``health``, ``religion``, ``criminal``,
    ``biometric``, ``political``) of a term within ``window`` characters of
    the value at [start, end) or in the header of its table, or None."""
    # bytes: up to four per character; the windows are cut in characters, with
    # one more on the far side seen only as a boundary (``xdiagnosis`` cut to
    # ``diagnosis`` is not the word: a letter or digit there becomes ``0``,
    # which no term holds)
    before = data[max(0, start - 4 * window - 4):start].decode("utf-8", "replace")[-(window + 1):]
    after = data[end:end + 4 * window + 4].decode("utf-8", "replace")[:window + 1]
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
    tables = _tables(data)
    if tables.any_header and _csv_column(data, start, tables) is not None:
        return _found(tables.line.decode("utf-8", "replace"))
    return None
