"""Validators for personal identifiers (national IDs, phones, tax numbers, cards).

Every validator is pure: ``fn(value: str, **args) -> bool``. Where
``python-stdnum`` or ``phonenumbers`` cover an identifier they decide; the
checks written here cover what they do not (Singapore NRIC/FIN, Vietnamese
CCCD, Malaysian SSM and LHDN numbers, payment-card IIN ranges, e-mail and IP
placeholders, dates of birth). Separators (space, hyphen, dot, slash) are
ignored where the format has them.

Sources: /work/shared/research/pii-pdpa.md and ``docs/pii.md``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from dlp import regex_cache

if TYPE_CHECKING:
    import datetime

# phonenumbers and stdnum are imported on first use: most scans meet an e-mail
# address or a rejected candidate long before a phone number or a national ID,
# and importing both costs about 80 ms per process.


def _stdnum(name: str) -> Any:
    """A python-stdnum module by dotted name (``my.nric``), imported on first use."""
    import importlib

    return importlib.import_module(f"stdnum.{name}")


def _phonenumbers() -> Any:
    import phonenumbers

    return phonenumbers


class _Lazy:
    """A regex of this module, compiled on first use: most scans need a few of
    them (an e-mail address's), and compiling every one at import cost each
    process about 1 ms."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # the pattern's methods, kept once looked up
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = regex_cache.compile(*self._args)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


_SEPARATORS = _Lazy(r"[\s./-]")


def _digits(value: str) -> str:
    """The value without separators (empty if anything else than digits remains)."""
    compact = _SEPARATORS.sub("", value)
    return compact if compact.isdigit() else ""


def _today() -> datetime.date:
    from datetime import date  # on first use: most scans check no date

    return date.today()


def trivial_digits(digits: str, *, min_distinct: int = 4, max_run: int = 6) -> bool:
    """True for placeholder-like digit strings: fewer than ``min_distinct``
    different digits, or an ascending/descending run longer than ``max_run``
    (``0123456789``, ``9876543210``)."""
    if len(set(digits)) < min(min_distinct, len(digits)):
        return True
    up = down = 1
    for a, b in pairwise(digits):
        step = int(b) - int(a)
        up = up + 1 if step == 1 else 1
        down = down + 1 if step == -1 else 1
        if up > max_run or down > max_run:
            return True
    return False


def distinct_digits(value: str, *, min: int = 4) -> bool:  # YAML argument name
    """The value has digits and is not a placeholder run (see :func:`trivial_digits`)."""
    digits = re.sub(r"\D", "", value)
    return bool(digits) and not trivial_digits(digits, min_distinct=min)


# --- Malaysia -----------------------------------------------------------------

# JPN place-of-birth codes (stdnum my/bp.dat): 01-16, 21-59, 60-68, 71-72, 74-79, 82-93, 98-99.
_MY_BIRTHPLACE = frozenset(
    [*range(1, 17), *range(21, 60), *range(60, 69), 71, 72, *range(74, 80),
     *range(82, 94), 98, 99]
)


def my_nric(value: str) -> bool:
    """Malaysian MyKad/NRIC ``YYMMDD-PB-###G``: a real birth date, a JPN
    place-of-birth code, not a trivial digit run. (There is no check digit.)"""
    digits = _digits(value)
    if len(digits) != 12 or int(digits[6:8]) not in _MY_BIRTHPLACE:
        return False
    if digits[8:] == "0000" or trivial_digits(digits):
        return False
    return bool(_stdnum("my.nric").is_valid(digits))


# New SSM registration number (since Oct 2019): YYYY + entity type 01-06 + 6-digit serial.
_MY_SSM_NEW = _Lazy(r"(?P<year>\d{4})(?P<type>0[1-6])(?P<serial>\d{6})")
# Old numbers: up to 7 digits and a check letter (``1312525-A``, ``123456-X``, ``SA0123456-X``).
_MY_SSM_OLD = _Lazy(r"(?:[A-Z]{1,3})?\d{1,7}-?[A-Z]")


def my_ssm(value: str) -> bool:
    """SSM company/business number: the 12-digit ``YYYYTTNNNNNN`` form (year
    1900..this year, entity type 01-06, serial not zero) or the old
    ``123456-X`` form."""
    compact = value.strip().replace(" ", "")
    m = _MY_SSM_NEW.fullmatch(compact)
    if m:
        year = int(m["year"])
        return 1900 <= year <= _today().year and m["serial"] != "000000"
    return bool(_MY_SSM_OLD.fullmatch(compact.upper())) and compact[0] != "0"


_MY_TIN_PREFIXES = ("IG", "SG", "OG", "C", "CS", "D", "E", "F", "FA", "PT", "TA", "TC",
                    "TN", "TR", "TP", "J", "LE", "H")
_MY_TIN = _Lazy(r"(?P<prefix>[A-Z]{1,2})(?P<digits>\d{8,11})0?")


def my_tin(value: str) -> bool:
    """LHDN income-tax reference: a known prefix (``IG`` individuals, ``C``
    companies, ...) and 8-11 digits; the e-Invoice placeholders
    ``EI00000000010/20/30`` are not tax numbers."""
    compact = _SEPARATORS.sub("", value).upper()
    m = _MY_TIN.fullmatch(compact)
    if not m or m["prefix"] not in _MY_TIN_PREFIXES:
        return False
    return not trivial_digits(m["digits"])


# --- Singapore ----------------------------------------------------------------

_SG_NRIC = _Lazy(r"[STFGM]\d{7}[A-Z]")
_SG_WEIGHTS = (2, 7, 6, 5, 4, 3, 2)
_SG_OFFSET = {"S": 0, "F": 0, "T": 4, "G": 4, "M": 3}
_SG_LETTERS_ST = "JZIHGFEDCBA"
_SG_LETTERS_FG = "XWUTRQPNMLK"
_SG_LETTERS_M = "KLJNPQRTUWX"


def sg_nric_check_letter(prefix: str, digits: str) -> str:
    """The check letter of an NRIC/FIN, as GovTech's FormSG computes it
    (``packages/shared/utils/nric-validation.ts``)."""
    r = (sum(int(d) * w for d, w in zip(digits, _SG_WEIGHTS)) + _SG_OFFSET[prefix]) % 11
    if prefix in "ST":
        return _SG_LETTERS_ST[r]
    if prefix in "FG":
        return _SG_LETTERS_FG[r]
    return _SG_LETTERS_M[10 - r]


def sg_nric(value: str) -> bool:
    """Singapore NRIC/FIN ``[STFGM]1234567X`` with its check letter. T-series
    numbers start with the birth year (2000 onwards), so ``T`` followed by a
    year still in the future is rejected."""
    compact = value.strip().upper()
    if not _SG_NRIC.fullmatch(compact):
        return False
    prefix, digits, letter = compact[0], compact[1:8], compact[8]
    if prefix == "T" and int(digits[:2]) > _today().year % 100:
        return False
    if len(set(digits)) == 1:
        return False
    return sg_nric_check_letter(prefix, digits) == letter


def sg_uen(value: str) -> bool:
    """Singapore Unique Entity Number (``stdnum.sg.uen``)."""
    return bool(_stdnum("sg.uen").is_valid(value.strip().upper()))


def sg_postal_code(value: str) -> bool:
    """Six-digit Singapore postal code whose sector (first two digits) is 01-82,
    not one repeated digit. (HDB codes repeat digits: Ang Mo Kio block 505 is
    560505, so three distinct digits are ordinary.)"""
    digits = _digits(value)
    return len(digits) == 6 and 1 <= int(digits[:2]) <= 82 and not trivial_digits(digits, min_distinct=2)


_FIVE_DIGITS = _Lazy(r"(?<!\d)(\d{5})(?!\d)")
_POSTCODE = {"my": _FIVE_DIGITS, "sg": _Lazy(r"(?<!\d)(\d{6})(?!\d)"), "th": _FIVE_DIGITS,
             "id": _FIVE_DIGITS, "ph": _Lazy(r"(?<!\d)(\d{4})(?!\d)")}


def address_postcode(value: str, *, country: str) -> bool:
    """The last postcode in an address is plausible for ``country``: Malaysia
    01000-98859, Singapore sector 01-82, Thailand a province prefix 10-96,
    Indonesia 10000-99999 (no leading 0), the Philippines 0400-9811."""
    if country not in _POSTCODE:
        raise ValueError(f"unknown postcode country {country!r}")
    codes = _POSTCODE[country].findall(value)
    if not codes:
        return False
    code = codes[-1]
    if country == "my":
        return 1000 <= int(code) <= 98859
    if country == "th":
        # a province's main post office ends in 000 (Nonthaburi 11000, Chiang
        # Mai 50000); Bangkok's codes start at 10100
        return 10 <= int(code[:2]) <= 96 and code != "10000"
    if country == "id":
        return 10000 <= int(code) <= 99999 and not trivial_digits(code, min_distinct=2)  # Bandung 40111
    if country == "ph":
        return 400 <= int(code) <= 9811
    return sg_postal_code(code)


# --- Vehicles -----------------------------------------------------------------

_SG_PLATE = _Lazy(r"([A-Z]{1,3}) ?(\d{1,4}) ?([A-Z])")
_SG_PLATE_LETTERS = "AZYXUTSRPMLKJHGEDCB"


def sg_vehicle_plate(value: str) -> bool:
    """Singapore plate ``SBA 1234 G``: the check letter from the last two prefix
    letters (A=1..Z=26, one letter is preceded by 0) and the number padded to
    four digits, weights 9,4,5,4,3,2, sum mod 19 indexing AZYXUTSRPMLKJHGEDCB.
    Prefixes never use I or O; the number is 1-9999. ``SA`` + a letter is
    Sabah's West Coast series (``SAB 1234 M``), never issued in Singapore
    (private cars began at SBA in 1984), so it is left to my_vehicle_plate."""
    m = _SG_PLATE.fullmatch(value.strip().upper())
    if not m:
        return False
    prefix, number, check = m.groups()
    if "I" in prefix or "O" in prefix or int(number) == 0 or number.startswith("0"):
        return False
    if len(prefix) == 3 and prefix.startswith("SA"):
        return False
    letters = [0, *(ord(c) - 64 for c in prefix)][-2:]
    digits = [int(d) for d in number.zfill(4)]
    total = sum(w * v for w, v in zip((9, 4, 5, 4, 3, 2), (*letters, *digits)))
    return _SG_PLATE_LETTERS[total % 19] == check


_MY_PLATE = _Lazy(r"([A-Z]{1,3}) ?(\d{1,4}) ?([A-Z]?)")
# First letter: state or territory (A Perak ... W/V Kuala Lumpur), Z military.
_MY_PLATE_STATES = frozenset("ABCDFJKLMNPQRSTVWZ")
# Three-letter S prefixes Malaysia does not issue: Sabah's plates are S + a
# division letter (A West Coast, B Beaufort, D Lahad Datu, K Kudat, S Sandakan,
# T Tawau, U Keningau) + a serial suffix, and only West Coast (SAA-) and
# Sandakan (SSA-, since 2017) have run out of two letters; Tawau (ST) is next.
# Singapore's private cars run SBA .. SN? with a check letter.
_SG_ONLY_PREFIX = _Lazy(r"S[B-R][A-HJ-NP-Z]")


def my_vehicle_plate(value: str) -> bool:
    """Malaysian plate ``WXY 1234`` / ``BKL 123 A``: a state letter first, no I
    or O in the prefix, a number 1-9999 without a leading zero. A Singapore
    plate (``SBA 1234 G``: a three-letter S prefix Malaysia does not issue and
    a valid LTA check letter) is left to ``sg_vehicle_plate``, so a plate is
    reported once when both packs run."""
    m = _MY_PLATE.fullmatch(value.strip().upper())
    if not m:
        return False
    prefix, number, suffix = m.groups()
    if suffix and _SG_ONLY_PREFIX.fullmatch(prefix) and sg_vehicle_plate(value):
        return False
    return (prefix[0] in _MY_PLATE_STATES and "I" not in prefix and "O" not in prefix
            and not number.startswith("0") and suffix not in ("I", "O"))


# --- Bank accounts ------------------------------------------------------------


def bank_account(value: str, *, lengths: Sequence[int] = (10, 11, 12, 13, 14, 15, 16)) -> bool:
    """An account number of one of ``lengths`` digits (separators ignored) that is
    not a placeholder run. Malaysian banks publish no check digit; the rule
    requires a bank or account word."""
    digits = _digits(value)
    return len(digits) in lengths and not trivial_digits(digits)


# --- Thailand -----------------------------------------------------------------

# Province (changwat) codes used in digits 2-3 of the citizen ID.
_TH_PROVINCES = frozenset(
    [*range(10, 28), *range(30, 50), *range(50, 59), *range(60, 68), *range(70, 78),
     *range(80, 87), *range(90, 97)]
)


def th_pin(value: str) -> bool:
    """Thai 13-digit citizen ID: check digit (``stdnum.th.pin``), first digit
    1-8 and a province code in digits 2-3."""
    digits = _digits(value)
    if len(digits) != 13 or int(digits[1:3]) not in _TH_PROVINCES:
        return False
    return bool(_stdnum("th.pin").is_valid(digits)) and not trivial_digits(digits)


# --- Indonesia ----------------------------------------------------------------

def id_nik(value: str) -> bool:
    """Indonesian NIK (KTP number): region code and DDMMYY date checked by
    ``stdnum.id.nik``; day 01-31 (men) or 41-71 (women); serial not 0000."""
    digits = _digits(value)
    if len(digits) != 16 or digits[12:] == "0000":
        return False
    day = int(digits[6:8])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return False
    return bool(_stdnum("id.nik").is_valid(digits)) and not trivial_digits(digits)


def id_npwp(value: str) -> bool:
    """Indonesian NPWP tax number, old 15-digit (Luhn) or new 16-digit (``stdnum.id.npwp``)."""
    digits = _digits(value)
    if trivial_digits(digits):
        return False
    return bool(_stdnum("id.npwp").is_valid(digits))


# --- Philippines (no stdnum module) ---------------------------------------------

_PH_LENGTHS = {"psn": (12,), "pcn": (16,), "sss": (10,), "tin": (9, 12, 13, 14),
               "umid": (12,), "philhealth": (12,), "pagibig": (12,)}


def ph_id(value: str, *, kind: str) -> bool:
    """Philippine government number of the given ``kind`` (psn, pcn, sss, tin,
    umid, philhealth, pagibig): the right number of digits, not a placeholder.
    None of them has a published check digit, so the rules require context."""
    if kind not in _PH_LENGTHS:
        raise ValueError(f"unknown Philippine identifier kind {kind!r}")
    digits = _digits(value)
    return len(digits) in _PH_LENGTHS[kind] and not trivial_digits(digits)


# --- Vietnam ------------------------------------------------------------------

# Province/city codes of the 12-digit personal identification number (Circular 07/2016/TT-BCA).
_VN_PROVINCES = frozenset(int(c) for c in (  # noqa: SIM905 - the official table, as printed
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034"
    " 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068"
    " 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096").split())


def vn_cccd(value: str) -> bool:
    """Vietnamese 12-digit personal ID (CCCD): province code from the official
    list, century/sex digit (0/1 = 1900s, 2/3 = 2000s, ...) and a birth year
    that is not in the future."""
    digits = _digits(value)
    if len(digits) != 12 or int(digits[:3]) not in _VN_PROVINCES:
        return False
    century = 1900 + 100 * (int(digits[3]) // 2)
    if century + int(digits[4:6]) > _today().year:
        return False
    return not trivial_digits(digits[6:], min_distinct=3)


def vn_mst(value: str) -> bool:
    """Vietnamese tax code (MST), 10 or 13 digits (``stdnum.vn.mst``)."""
    digits = _digits(value)
    if trivial_digits(digits):
        return False
    return bool(_stdnum("vn.mst").is_valid(digits))


# --- Phones -------------------------------------------------------------------

_PHONE_TYPES = ("mobile", "fixed_line", "fixed_line_or_mobile", "voip", "personal_number", "pager",
                "toll_free", "premium_rate", "shared_cost", "uan")
_PERSONAL_PHONE_TYPES = ("mobile", "fixed_line", "fixed_line_or_mobile", "voip",
                         "personal_number")


def phone(value: str, *, region: str, types: Sequence[str] = _PERSONAL_PHONE_TYPES) -> bool:
    """A valid phone number of ``region`` (ISO 3166 code, e.g. ``MY``) whose
    ``phonenumbers`` number type is one of ``types`` (default: subscriber
    numbers; toll-free and premium lines are businesses). Placeholder runs
    such as ``012-345 6789`` (an ascending or descending run of 7
    digits or more) are rejected: a run of 6 is in real numbers (02-345-6727)."""
    unknown = set(types) - set(_PHONE_TYPES)
    if unknown:
        raise ValueError(f"unknown phone number types {sorted(unknown)}")
    region = region.upper()
    text = value.strip()
    phonenumbers = _phonenumbers()
    country_code = str(phonenumbers.country_code_for_region(region))
    spellings = [text]
    if text.startswith(country_code):  # 60127384916: international without the +
        spellings.append("+" + text)
    wanted = {getattr(phonenumbers.PhoneNumberType, t.upper()) for t in types}
    for spelling in spellings:
        try:
            number = phonenumbers.parse(spelling, region)
        except phonenumbers.NumberParseException:
            continue
        if (phonenumbers.is_valid_number(number)
                and phonenumbers.region_code_for_number(number) == region
                and phonenumbers.number_type(number) in wanted):
            return not trivial_digits(str(number.national_number), max_run=6)
    return False


# --- Cards, banks -------------------------------------------------------------

# (IIN prefix range low, high, allowed lengths)
_CARD_RANGES: tuple[tuple[int, int, tuple[int, ...]], ...] = (
    (4, 4, (13, 16, 19)),                  # Visa
    (51, 55, (16,)),                       # Mastercard
    (2221, 2720, (16,)),                   # Mastercard 2-series
    (34, 34, (15,)), (37, 37, (15,)),      # American Express
    (3528, 3589, (16, 17, 18, 19)),        # JCB
    (62, 62, (16, 17, 18, 19)),            # UnionPay
    (6011, 6011, (16, 17, 18, 19)),        # Discover
    (644, 649, (16, 17, 18, 19)),
    (65, 65, (16, 17, 18, 19)),
    (300, 305, (14, 15, 16, 17, 18, 19)),  # Diners Club
    (36, 36, (14, 15, 16, 17, 18, 19)),
    (38, 39, (14, 15, 16, 17, 18, 19)),
    (2200, 2204, (16, 17, 18, 19)),        # Mir
    (9704, 9704, (16, 19)),                # NAPAS (Vietnam domestic)
)


def card_brand_ok(digits: str) -> bool:
    """The digits start with a known issuer range and have a length that issuer uses."""
    for low, high, lengths in _CARD_RANGES:
        width = len(str(low))
        if low <= int(digits[:width]) <= high and len(digits) in lengths:
            return True
    return False


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def payment_card(value: str) -> bool:
    """Payment card number: 12-19 digits, Luhn, a known IIN range and length
    (Visa, Mastercard incl. 2221-2720, Amex, JCB, UnionPay, Discover, Diners,
    Mir, NAPAS 9704)."""
    digits = re.sub(r"[ -]", "", value)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        return False
    if len(set(digits)) == 1:
        return False
    return card_brand_ok(digits) and _luhn(digits)


def iban(value: str) -> bool:
    """International bank account number (``stdnum.iban``: country format and
    mod-97). The mod-97 check runs first, here, not as
    ``stdnum.iso7064.mod_97_10``: most candidates in code fail it, and any
    ``stdnum`` import costs a process ~55 ms (``stdnum.util``), ~70 ms with
    the IBAN registry."""
    compact = "".join(value.split()).upper()
    if len(compact) < 15 or not compact.isascii() or not compact.isalnum():
        return False
    digits = "".join(str(int(c, 36)) for c in compact[4:] + compact[:4])
    if int(digits) % 97 != 1:
        return False
    return bool(_stdnum("iban").is_valid(value.strip().upper()))


# --- E-mail, IP ---------------------------------------------------------------

_EMAIL = _Lazy(r"(?P<local>[^@\s]+)@(?P<domain>[A-Za-z0-9.-]+\.(?P<tld>[A-Za-z]{2,24}))")
_PLACEHOLDER_DOMAINS = frozenset({
    "example.com", "example.org", "example.net", "example.edu", "domain.com",
    "yourdomain.com", "your-domain.com", "yourcompany.com", "company.com", "email.com",
    "test.com", "foo.com", "bar.com", "foo.bar", "acme.com", "somewhere.com",
    "mydomain.com", "sample.com", "host.com", "server.com", "xyz.com",
})
_ASSET_SCALE = _Lazy(r"[0-9]+x")
_MESSAGE_ID = _Lazy(r"[A-Z0-9.$_-]{10,}")
_HEX_LOCAL = _Lazy(r"[0-9a-f.-]{16,}")
_PLACEHOLDER_SUFFIXES = tuple("." + d for d in sorted(_PLACEHOLDER_DOMAINS))
_PLACEHOLDER_TLDS = frozenset({
    "example", "test", "invalid", "localhost", "local", "localdomain", "internal", "lan",
    "home", "corp", "intranet", "private", "domain", "tld",
    # file extensions after ``name@2x``-style asset names
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "js", "mjs", "ts", "css", "map",
    "json", "txt", "html", "htm", "xml", "yaml", "yml", "md", "pdf", "zip", "gz",
})
_PLACEHOLDER_LOCALS = frozenset({
    "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "do_not_reply",
    "mailer-daemon", "postmaster", "git", "root", "nobody", "user", "username", "email",
    "someone", "somebody", "your.name", "yourname", "your-email", "youremail", "you",
    "name", "test", "foo", "bar", "xxx", "abc", "john.doe", "jane.doe", "johndoe",
    "janedoe",
})

# Top-level domains an address can end in: every country code phonenumbers
# knows, plus the generic TLDs seen in practice. Unknown TLDs (``dom.ain``,
# ``foo.bar``) are test fixtures far more often than real mailboxes.
# (phonenumbers.SUPPORTED_REGIONS, written out: e-mail checks need not import it)
_COUNTRY_TLD_NAMES = """
ac ad ae af ag ai al am ao ar as at au aw ax az ba bb bd be bf bg bh bi bj bl bm bn bo bq br bs
bt bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk dm do dz ec ee eg
eh er es et fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq gr gt gu gw gy hk hn hr ht
hu id ie il im in io iq ir is it je jm jo jp ke kg kh ki km kn kp kr kw ky kz la lb lc li lk lr
ls lt lu lv ly ma mc md me mf mg mh mk ml mm mn mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf
ng ni nl no np nr nu nz om pa pe pf pg ph pk pl pm pr ps pt pw py qa re ro rs ru rw sa sb sc sd
se sg sh si sj sk sl sm sn so sr ss st sv sx sy sz ta tc td tg th tj tk tl tm tn to tr tt tv tw
tz ua ug us uy uz va vc ve vg vi vn vu wf ws xk ye yt za zm zw
"""
_COUNTRY_TLDS = frozenset(_COUNTRY_TLD_NAMES.split()) | {"uk", "eu", "su", "ac", "tp"}
_GENERIC_TLD_NAMES = """
com org net edu gov mil int info biz name pro mobi asia aero coop museum jobs travel tel cat
post io co ai app dev me tv cc ws xyz online site tech store shop cloud email website space live
life world today news blog digital network systems solutions services company agency group
global media design studio academy education university school institute consulting finance
capital money bank insurance health care clinic hospital law legal ltd llc inc gmbh foundation
charity ngo ong family club social chat link page one zone top vip win work works click host
press guru ninja expert center centre city team tools software codes computer technology
engineering partners
"""
_GENERIC_TLDS = frozenset(_GENERIC_TLD_NAMES.split())
_KNOWN_TLDS = _COUNTRY_TLDS | _GENERIC_TLDS


# Role and list mailboxes belong to an organisation or a group, not a person.
_ROLE_LOCALS = frozenset({
    "info", "support", "help", "helpdesk", "admin", "administrator", "webmaster", "hostmaster",
    "security", "sales", "contact", "team", "hello", "office", "press", "media", "abuse",
    "billing", "accounts", "marketing", "enquiries", "enquiry", "inquiries", "feedback", "jobs",
    "careers", "privacy", "legal", "dpo", "hr", "service", "services", "customerservice", "mail",
    "news", "newsletter", "list", "lists", "bugs", "bug", "issues", "maintainers", "dev", "devs",
    "developers", "announce", "staff", "ops", "devops", "it", "noc", "cert", "psirt", "licensing",
    "license", "opensource", "oss", "community", "docs", "hq", "general", "registrar",
})
# list and team mailboxes by their last part (``python-dev@``, ``numpy.users@``)
_ROLE_SUFFIXES = frozenset({
    "dev", "devel", "users", "user", "list", "announce", "discuss", "request", "bounces", "owner",
    "help", "admin", "ideas", "checkins", "committers", "sig", "team", "core", "bugs", "security",
})


def _role_suffix(local: str) -> bool:
    """Whether the part after the last ``-``, ``_`` or ``.`` of ``local`` is a list suffix."""
    last = max(local.rfind("-"), local.rfind("_"), local.rfind("."))
    return last >= 0 and local[last + 1:] in _ROLE_SUFFIXES


def email_address(value: str) -> bool:
    """An e-mail address that is not documentation or a placeholder:
    ``example.com/org/net``, reserved TLDs (``.test``, ``.invalid``,
    ``.localhost``, ``.example``), internal TLDs, ``noreply@``-style and
    ``user@``-style mailboxes, ``icon@2x.png`` asset names, role and list
    mailboxes (``support@``, ``python-dev@``), Message-ID-like local parts."""
    m = _EMAIL.fullmatch(value.strip().replace("%40", "@"))  # ali%40gmail.com in a query string
    if not m:
        return False
    local = m["local"].lower()
    domain = m["domain"].lower().rstrip(".")
    tld = m["tld"].lower()
    if tld in _PLACEHOLDER_TLDS or tld not in _KNOWN_TLDS or domain in _PLACEHOLDER_DOMAINS:
        return False
    if domain.endswith(_PLACEHOLDER_SUFFIXES):
        return False
    if local in _PLACEHOLDER_LOCALS or local.startswith(("noreply", "no-reply", "donotreply")):
        return False
    if "users.noreply." in domain or domain.startswith("noreply."):
        return False
    # (each regex below only where its length or last character allows a
    # match: most addresses are judged by string checks alone)
    if local.endswith("x") and _ASSET_SCALE.fullmatch(local):  # icon@2x
        return False
    if local in _ROLE_LOCALS or _role_suffix(local):
        return False
    # Message-IDs and tokens: long upper-case/digit or hex local parts.
    raw_local = m["local"]
    if len(raw_local) >= 10 and _MESSAGE_ID.fullmatch(raw_local) and any(c.isdigit() for c in raw_local):
        return False
    return len(local) < 16 or not _HEX_LOCAL.fullmatch(local)


# Public resolvers and other shared infrastructure: not anybody's personal data.
_WELL_KNOWN_IPS = frozenset({
    "8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112",
    "208.67.222.222", "208.67.220.220", "4.2.2.1", "4.2.2.2", "64.6.64.6", "64.6.65.6",
    # documentation favourites outside the reserved ranges
    "12.34.56.78", "11.22.33.44", "42.42.42.42", "123.123.123.123", "123.45.67.89",
})


@cache
def _ipv6_documentation() -> tuple[Any, ...]:
    import ipaddress

    return (ipaddress.IPv6Network("2001:db8::/32"), ipaddress.IPv6Network("3fff::/20"))


def public_ipv6(value: str) -> bool:
    """A globally routable unicast IPv6 address (``ipaddress.is_global``): not
    loopback, link-local, unique-local, multicast, IPv4-mapped, or the
    documentation ranges 2001:db8::/32 and 3fff::/20 (RFC 9637)."""
    import ipaddress  # on first use, as the other ranges

    try:
        address = ipaddress.IPv6Address(value.strip())
    except ValueError:
        return False
    if address.is_multicast or address.ipv4_mapped is not None:
        return False
    if any(address in network for network in _ipv6_documentation()):
        return False
    return address.is_global


def public_ip(value: str) -> bool:
    """A public (globally routable, unicast) IPv4 address: not private,
    loopback, link-local, CGNAT, multicast, reserved or documentation
    (192.0.2/24, 198.51.100/24, 203.0.113/24); not a public DNS resolver; not
    version-like (all four parts single digits, e.g. ``3.8.1.0``); not a
    network or broadcast address (``52.216.0.0``)."""
    import ipaddress

    text = value.strip()
    try:
        address = ipaddress.IPv4Address(text)
    except ValueError:
        return False
    if text in _WELL_KNOWN_IPS or address.is_multicast:
        return False
    parts = text.split(".")
    if all(len(part) == 1 for part in parts):
        return False
    if parts[3] in ("0", "255"):  # network and broadcast addresses, CIDR bases
        return False
    return address.is_global


# --- Dates of birth -----------------------------------------------------------

_MONTHS = {
    # English, Malay, Indonesian, Filipino (Tagalog/Spanish-derived)
    "jan": 1, "january": 1, "januari": 1, "enero": 1,
    "feb": 2, "february": 2, "februari": 2, "pebrero": 2, "peb": 2,
    "mar": 3, "march": 3, "mac": 3, "maret": 3, "marso": 3,
    "apr": 4, "april": 4, "abril": 4,
    "may": 5, "mei": 5, "mayo": 5,
    "jun": 6, "june": 6, "juni": 6, "hunyo": 6,
    "jul": 7, "july": 7, "julai": 7, "juli": 7, "hulyo": 7,
    "aug": 8, "august": 8, "ogos": 8, "agustus": 8, "agosto": 8, "ogo": 8, "agu": 8, "ags": 8,
    "sep": 9, "sept": 9, "september": 9, "setyembre": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10, "oktubre": 10,
    "nov": 11, "november": 11, "nobyembre": 11,
    "dec": 12, "december": 12, "dis": 12, "disember": 12, "des": 12, "desember": 12,
    "disyembre": 12,
    # Thai
    "มกราคม": 1, "กุมภาพันธ์": 2, "มีนาคม": 3, "เมษายน": 4, "พฤษภาคม": 5, "มิถุนายน": 6,
    "กรกฎาคม": 7, "สิงหาคม": 8, "กันยายน": 9, "ตุลาคม": 10, "พฤศจิกายน": 11, "ธันวาคม": 12,
}
_DATE_NUMERIC = _Lazy(r"(\d{1,4})[./ -](\d{1,2})[./ -](\d{1,4})")
_DATE_NAMED = _Lazy(r"(\d{1,2})(?:st|nd|rd|th|hb)?[ -]([A-Za-z]+|[\u0e00-\u0e7f]+)\.?,?[ -](\d{4})")
_DATE_CJK = _Lazy(r"(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日")                       # 1974年8月25日
_DATE_VI = _Lazy(r"(\d{1,2}) (?:tháng|thang) (\d{1,2}),? (?:năm|nam) (\d{4})", re.IGNORECASE)  # 12 tháng 1 năm 1969
_DATE_NAMED_US = _Lazy(r"([A-Za-z]+)\.?[ -](\d{1,2})(?:st|nd|rd|th)?,?[ -](\d{4})")


def _parse_date(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a written date; numeric forms are read as ISO
    ``YYYY-MM-DD`` or, as written in Southeast Asia, day first ``DD/MM/YYYY``."""
    text = value.strip()
    m = _DATE_NUMERIC.fullmatch(text)
    if m:
        a, b, c = m.groups()
        if len(a) == 4 and len(c) <= 2:
            return int(a), int(b), int(c)
        if len(c) == 4 and len(a) <= 2:
            return int(c), int(b), int(a)
        return None
    m = _DATE_NAMED.fullmatch(text)
    if m and m[2].lower() in _MONTHS:
        return int(m[3]), _MONTHS[m[2].lower()], int(m[1])
    m = _DATE_NAMED_US.fullmatch(text)
    if m and m[1].lower() in _MONTHS:
        return int(m[3]), _MONTHS[m[1].lower()], int(m[2])
    m = _DATE_CJK.fullmatch(text)
    if m:
        return int(m[1]), int(m[2]), int(m[3])
    m = _DATE_VI.fullmatch(text)
    if m:
        return int(m[3]), int(m[2]), int(m[1])
    return None


def birth_date(value: str, *, era: str = "ce", min_year: int = 1900) -> bool:
    """A real calendar date that can be a living person's birth date: year
    ``min_year`` .. today, not in the future. ``era="be"`` reads the year in
    the Thai Buddhist era (CE + 543); ``era="any"`` accepts either."""
    if era not in ("ce", "be", "any"):
        raise ValueError(f"unknown era {era!r}")
    parsed = _parse_date(value)
    if parsed is None:
        return False
    year, month, day = parsed
    if era == "be" or (era == "any" and year > _today().year + 1):
        year -= 543
    from datetime import date as _date

    try:
        date = _date(year, month, day)
    except ValueError:
        return False
    return min_year <= year and date <= _today()


VALIDATORS: dict[str, Callable[..., bool]] = {
    "pii_digits": distinct_digits,
    "my_nric": my_nric,
    "my_ssm": my_ssm,
    "my_tin": my_tin,
    "sg_nric": sg_nric,
    "sg_uen": sg_uen,
    "sg_postal_code": sg_postal_code,
    "address_postcode": address_postcode,
    "th_pin": th_pin,
    "id_nik": id_nik,
    "id_npwp": id_npwp,
    "ph_id": ph_id,
    "vn_cccd": vn_cccd,
    "vn_mst": vn_mst,
    "phone": phone,
    "payment_card": payment_card,
    "iban": iban,
    "email_address": email_address,
    "public_ip": public_ip,
    "public_ipv6": public_ipv6,
    "sg_vehicle_plate": sg_vehicle_plate,
    "my_vehicle_plate": my_vehicle_plate,
    "bank_account": bank_account,
    "birth_date": birth_date,
}
