"""Regenerate the held-out personal-data corpus: ``python tests/corpus/pii_holdout/_generate.py``.

``--seed N --out DIR`` writes a fresh draw of the same templates elsewhere
(``DLP_HOLDOUT_DIR=DIR pytest -q tests/test_pii_holdout.py -s`` measures it).

An evaluation written apart from the rules, the way the maintainers describe
theirs in issue 4: valid identifiers of all six countries in code, CSV, JSON,
SQL, YAML, logs and chat prompts in eight languages, plus decoys. Values come
from public format descriptions and are checked with ``python-stdnum`` and
``phonenumbers`` (never with ``dlp.validators``): real birth dates, known place
and province codes, check digits. Nothing here imports dlp.

Each labelled item is ``{line, kind, country, value}``. A positive is found
when a finding on its line overlaps its value with a rule that reports that
kind (the mapping lives in ``tests/test_pii_holdout.py``). A decoy is flagged
when any finding overlaps it. Bare identifiers that the issue says need
context always carry context here (a key, a column, a word); a bare value
without context is neither a positive nor a decoy and is left out.
"""
from __future__ import annotations

import argparse
import datetime
import json
import random
import string
import uuid
from collections.abc import Callable
from pathlib import Path

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.id import nik as std_nik
from stdnum.id import npwp as std_npwp
from stdnum.my import nric as std_nric
from stdnum.sg import uen as std_uen
from stdnum.th import pin as std_pin
from stdnum.vn import mst as std_mst

HERE = Path(__file__).resolve().parent
_parser = argparse.ArgumentParser(description="Regenerate the held-out personal-data corpus.")
_parser.add_argument("--seed", type=int, default=40404)
_parser.add_argument("--out", type=Path, default=HERE)
ARGS = _parser.parse_args() if __name__ == "__main__" else _parser.parse_args([])
OUT: Path = ARGS.out
R = random.Random(ARGS.seed)
TODAY = datetime.date(2026, 1, 1)


def digits(n: int) -> str:
    return "".join(R.choice(string.digits) for _ in range(n))


def nonzero_digits(n: int) -> str:
    while True:
        d = digits(n)
        if len(set(d)) >= min(3, n):
            return d


def birth(start: int = 1950, end: int = 2005) -> datetime.date:
    first = datetime.date(start, 1, 1)
    return first + datetime.timedelta(days=R.randrange((datetime.date(end, 12, 31) - first).days))


# --- Identifiers, from public format descriptions --------------------------------

# JPN place-of-birth codes (states 01-16, 21-59 states again, 60-99 foreign countries).
MY_PB = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
         "21", "22", "24", "25", "27", "30", "31", "33", "36", "40", "43", "45", "47", "49", "50", "53", "56", "58"]


def mykad(style: str = "hyphen") -> str:
    while True:
        value = birth().strftime("%y%m%d") + R.choice(MY_PB) + nonzero_digits(4)
        if std_nric.is_valid(value):
            break
    if style == "hyphen":
        return f"{value[:6]}-{value[6:8]}-{value[8:]}"
    if style == "space":
        return f"{value[:6]} {value[6:8]} {value[8:]}"
    return value


def sg_nric(prefix: str) -> str:
    """GovTech FormSG: weights 2,7,6,5,4,3,2; +4 for T/G, +3 for M."""
    if prefix == "T":
        body = R.choice(["01", "03", "05", "07", "09", "11", "14", "16", "18", "20"]) + nonzero_digits(5)
    elif prefix == "S":
        body = R.choice("56789") + nonzero_digits(6)
    else:
        body = nonzero_digits(7)
    total = sum(int(d) * w for d, w in zip(body, (2, 7, 6, 5, 4, 3, 2)))
    total += {"S": 0, "F": 0, "T": 4, "G": 4, "M": 3}[prefix]
    r = total % 11
    if prefix in "ST":
        letter = "JZIHGFEDCBA"[r]
    elif prefix in "FG":
        letter = "XWUTRQPNMLK"[r]
    else:
        letter = "KLJNPQRTUWX"[10 - r]  # M series: read from the end
    return prefix + body + letter


def sg_uen() -> str:
    while True:
        kind = R.random()
        if kind < 0.4:  # business (ROB): 8 digits + letter
            value = nonzero_digits(8) + R.choice(string.ascii_uppercase)
        elif kind < 0.8:  # local company (ROC): year + 5 digits + letter
            value = str(R.randrange(1975, 2025)) + nonzero_digits(5) + R.choice(string.ascii_uppercase)
        else:  # other entities: T/S + yy + type + 4 digits + letter
            value = (R.choice("TS") + f"{R.randrange(8, 25):02d}" + R.choice(["LL", "LP", "RF", "CC", "FC", "PF", "SS"])
                     + nonzero_digits(4) + R.choice(string.ascii_uppercase))
        if std_uen.is_valid(value):
            return value


TH_PROVINCES = [10, 11, 12, 13, 14, 20, 21, 30, 34, 40, 41, 50, 57, 65, 80, 83, 90, 92, 95]


def th_id(style: str = "dash") -> str:
    while True:
        base = R.choice("1235") + str(R.choice(TH_PROVINCES)) + nonzero_digits(9)
        value = base + std_pin.calc_check_digit(base)
        if std_pin.is_valid(value):
            break
    if style == "dash":
        return f"{value[0]}-{value[1:5]}-{value[5:10]}-{value[10:12]}-{value[12]}"
    if style == "space":
        return f"{value[0]} {value[1:5]} {value[5:10]} {value[10:12]} {value[12]}"
    return value


ID_REGIONS = ["317101", "317402", "327301", "357801", "647105", "127106", "517102", "737105", "337401", "320401"]


def nik(female: bool | None = None) -> str:
    while True:
        born = birth(1960, 2005)
        woman = R.random() < 0.5 if female is None else female
        value = R.choice(ID_REGIONS) + f"{born.day + (40 if woman else 0):02d}{born:%m%y}" + f"{R.randrange(1, 999):04d}"
        if std_nik.is_valid(value):
            return value


def npwp(style: str) -> str:
    while True:
        body = f"{R.choice(['01', '02', '07', '08', '09', '15', '21', '31', '47', '71', '73', '81', '91', '96'])}{digits(6)}"
        value = body + luhn.calc_check_digit(body) + digits(3) + "000"
        if std_npwp.is_valid(value):
            break
    if style == "dotted":
        return std_npwp.format(value)
    if style == "new16":
        return "0" + value
    return value


def vn_cccd() -> str:
    province = R.choice(["001", "004", "008", "015", "022", "024", "031", "036", "038", "040", "046", "048",
                         "052", "056", "066", "075", "079", "083", "092", "096"])
    year = R.randrange(1950, 2008)
    sex = R.randrange(2)
    century = 0 if year < 2000 else 2
    return province + str(century + sex) + f"{year % 100:02d}" + nonzero_digits(6)


def vn_mst(branch: bool = False) -> str:
    while True:
        base = R.choice(["01", "02", "03", "04", "08", "31", "36", "37", "79"]) + nonzero_digits(7)
        value = base + std_mst.calc_check_digit(base)
        if std_mst.is_valid(value):
            return value + (f"-{R.randrange(1, 30):03d}" if branch else "")


def card(brand: str, grouped: bool = True) -> str:
    prefix, length = {
        "visa": (lambda: "4" + digits(5), 16),
        "mc5": (lambda: str(R.randrange(51, 56)) + digits(4), 16),
        "mc2": (lambda: str(R.randrange(2221, 2721)) + digits(2), 16),
        "unionpay": (lambda: "62" + R.choice(["2126", "4000", "5888", "8210"]), R.choice([16, 19])),
        "jcb": (lambda: str(R.randrange(3528, 3590)) + digits(2), 16),
        "napas": (lambda: "9704" + R.choice(["05", "15", "36", "18", "22"]), R.choice([16, 19])),
        "amex": (lambda: R.choice(["34", "37"]) + digits(4), 15),
    }[brand]
    while True:
        body = prefix() + digits(length - 7)
        value = body + luhn.calc_check_digit(body)
        if len(set(value)) >= 5:
            break
    if not grouped:
        return value
    if len(value) == 15:
        return f"{value[:4]} {value[4:10]} {value[10:]}"
    sep = R.choice([" ", "-"]) if len(value) == 16 else " "
    return sep.join(value[i:i + 4] for i in range(0, len(value), 4))


def iban(country: str) -> str:
    make = {"DE": lambda: digits(18), "GB": lambda: "".join(R.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(4)) + digits(14),
            "FR": lambda: digits(23), "NL": lambda: "".join(R.choice("ABCDEFGHKLMNPRSTUVWXZ") for _ in range(4)) + digits(10),
            "CH": lambda: digits(17), "AE": lambda: digits(19)}[country]
    while True:
        bban = make()
        value = country + std_iban.calc_check_digits(country + "00" + bban) + bban
        if std_iban.is_valid(value):
            return value


PHONE_SHAPES = {  # national numbers, '#' a random digit
    "MY": ["01########", "011########", "03########", "04#######", "07#######", "088######", "082######"],
    "SG": ["8#######", "9#######", "6#######"],
    "TH": ["08########", "09########", "06########", "02#######", "053######"],
    "ID": ["0812########", "0813#######", "0857########", "021########", "022#######"],
    "PH": ["0917#######", "0905#######", "0998#######", "028#######", "032#######"],
    "VN": ["091#######", "098#######", "035#######", "070#######", "028########", "024########"],
}
_CC = {"MY": "60", "SG": "65", "TH": "66", "ID": "62", "PH": "63", "VN": "84"}


def phone_number(region: str, *, mobile: bool | None = None) -> phonenumbers.PhoneNumber:
    ok_types = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
                phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
    while True:
        national = "".join(R.choice(string.digits) if c == "#" else c for c in R.choice(PHONE_SHAPES[region]))
        try:
            number = phonenumbers.parse(national, region)
        except phonenumbers.NumberParseException:
            continue
        kind = phonenumbers.number_type(number)
        if not phonenumbers.is_valid_number(number) or kind not in ok_types:
            continue
        if mobile is not None and (kind == phonenumbers.PhoneNumberType.MOBILE) != mobile:
            continue
        nsn = phonenumbers.national_significant_number(number)
        if len(set(nsn)) < 4:
            continue
        return number


def phone(region: str, style: str, *, mobile: bool | None = None) -> str:
    n = phone_number(region, mobile=mobile)
    intl = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    nat = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.NATIONAL)
    e164 = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.E164)
    nsn = phonenumbers.national_significant_number(n)
    trunk = "" if region == "SG" else "0"
    forms = {
        "intl": intl, "e164": e164, "national": nat,
        "bare": trunk + nsn,
        "cc_bare": _CC[region] + nsn,
        "intl_dash": intl.replace(" ", "-", 1).replace(" ", "-"),
        "national_dash": nat.replace(" ", "-").replace("(", "").replace(")", ""),
        "national_dot": nat.replace(" ", ".").replace("-", "."),
        "national_nospace": nat.replace(" ", ""),
    }
    return forms[style]


def valid_phone(text: str, region: str) -> bool:
    try:
        n = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(n)


# --- People -----------------------------------------------------------------------

MALAY_M = ["Ahmad", "Muhammad Hafiz", "Mohd Faizal", "Azman", "Khairul Anuar", "Razak", "Syafiq", "Hakim", "Amirul"]
MALAY_F = ["Siti Aminah", "Nurul Huda", "Aisyah", "Farah Nadia", "Nor Azlina", "Zarina", "Rohani", "Noraini"]
MALAY_FATHER = ["Ali", "Abdullah", "Hassan", "Ismail", "Osman", "Yusof", "Ibrahim", "Kamaruddin", "Rahman"]
INDIAN = ["Muthu", "Saravanan", "Rajesh Kumar", "Kavitha", "Priya", "Ganesan", "Devi", "Thinesh"]
INDIAN_FATHER = ["Ramasamy", "Subramaniam", "Krishnan", "Arumugam", "Maniam", "Suppiah"]
CHINESE = ["Tan Wei Ming", "Lim Mei Ling", "Wong Kah Seng", "Lee Chee Keong", "Chong Siew Lan", "Goh Boon Hock"]
THAI = ["Somchai Jaidee", "Suda Srisuk", "Anan Wongsa", "Pranee Thongdee"]
INDO = ["Budi Santoso", "Dewi Lestari", "Agus Salim", "Sri Wahyuni", "Rina Kartika"]
FILIPINO = ["Juan Santos", "Maria Clara Reyes", "Jose Rizal Cruz", "Ana Dizon", "Mark Anthony Villanueva"]
VIET = ["Nguyen Van An", "Tran Thi Lan", "Le Hoang Nam", "Pham Minh Chau"]


def malay_name() -> str:
    if R.random() < 0.5:
        return f"{R.choice(MALAY_M)} bin {R.choice(MALAY_FATHER)}"
    return f"{R.choice(MALAY_F)} {R.choice(['binti', 'binti', 'bt'])} {R.choice(MALAY_FATHER)}"


def indian_name() -> str:
    first = R.choice(INDIAN)
    return f"{first} {'a/p' if first in ('Kavitha', 'Priya', 'Devi') else 'a/l'} {R.choice(INDIAN_FATHER)}"


def email(name: str) -> str:
    local = name.lower().replace(" a/l ", ".").replace(" a/p ", ".").replace(" bin ", ".").replace(" binti ", ".")
    local = local.replace(" bt ", ".").replace(" ", ".").replace("'", "")
    domain = R.choice(["gmail.com", "yahoo.com.my", "hotmail.com", "outlook.com", "acme.com.sg", "fpt.com.vn",
                       "ymail.com", "mail.co.th", "telkom.net.id", "globe.com.ph", "maybank.com.my"])
    return f"{local}{R.randrange(1, 99)}@{domain}"


def public_ip() -> str:
    while True:
        first = R.choice([42, 60, 103, 110, 113, 115, 118, 119, 121, 124, 175, 180, 183, 202, 210, 219, 14, 27, 36])
        value = f"{first}.{R.randrange(1, 255)}.{R.randrange(0, 255)}.{R.randrange(1, 255)}"
        return value


MY_ADDR = [
    ("No. {n}, Jalan Bukit Bintang, {p} Kuala Lumpur", ["55100", "50200"]),
    ("Lot {n}, Jalan Kebun Teh 1, Taman Kebun Teh, {p} Johor Bahru, Johor", ["80250"]),
    ("{n}, Jalan SS 15/4, {p} Subang Jaya, Selangor", ["47500"]),
    ("No {n} Lorong Mawar 3, Taman Mawar, {p} Ipoh, Perak", ["31400", "30100"]),
    ("{n}-2, Persiaran Gurney, {p} George Town, Pulau Pinang", ["10250"]),
    ("No. {n}, Jln Tun Razak, {p} Kuala Lumpur, Wilayah Persekutuan", ["50400"]),
    ("{n} Kampung Baru Sungai Buloh, {p} Sungai Buloh, Selangor", ["47000"]),
    ("No. {n}, Jalan Sultan Ahmad Shah, {p} Kuantan, Pahang", ["25200"]),
    ("Lot {n}, Lorong Durian 2, {p} Kota Kinabalu, Sabah", ["88300"]),
]
SG_ADDR = [
    ("Blk {n} Bedok North Street 1, #05-{u}, Singapore 460{n3}", None),
    ("Block {n} Ang Mo Kio Avenue 3 #11-{u} Singapore 560{n3}", None),
    ("{n} Anson Road, #23-{u}, Singapore 079903", None),
    ("Blk {n}A Jurong West Street 64, #08-{u}, Singapore 64{n4}", None),
    ("{n} Orchard Road #12-{u} Singapore 238858", None),
]


def my_address() -> str:
    template, codes = R.choice(MY_ADDR)
    return template.format(n=R.randrange(1, 300), p=R.choice(codes))


def sg_address() -> str:
    template, _ = R.choice(SG_ADDR)
    n = R.randrange(101, 699)
    return template.format(n=n, u=f"{R.randrange(10, 999):02d}", n3=f"{n % 1000:03d}", n4=f"{R.randrange(1000, 9999)}")


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
MONTHS_MS = ["Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober",
             "November", "Disember"]
MONTHS_TH = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
             "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]


def dob(style: str) -> str:
    d = birth(1945, 2006)
    return {
        "dmy": f"{d:%d/%m/%Y}", "iso": f"{d:%Y-%m-%d}", "dmy_dash": f"{d:%d-%m-%Y}", "dmy_dot": f"{d:%d.%m.%Y}",
        "en": f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}", "us": f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}",
        "ms": f"{d.day} {MONTHS_MS[d.month - 1]} {d.year}",
        "be": f"{d.day:02d}/{d.month:02d}/{d.year + 543}", "be_th": f"{d.day} {MONTHS_TH[d.month - 1]} {d.year + 543}",
        "be_iso": f"{d.year + 543}-{d.month:02d}-{d.day:02d}",
    }[style]


# --- Documents ----------------------------------------------------------------------

Item = tuple[str, str, str]  # kind, country, value


class Doc:
    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: list[str] = []
        self.positives: list[dict[str, object]] = []
        self.decoys: list[dict[str, object]] = []

    def add(self, text: str, *items: Item, decoys: tuple[Item, ...] = ()) -> None:
        for line in text.split("\n"):
            self.lines.append(line)
        first = len(self.lines) - text.count("\n")
        for bucket, group in ((self.positives, items), (self.decoys, decoys)):
            for kind, country, value in group:
                for offset, line in enumerate(text.split("\n")):
                    if value in line:
                        bucket.append({"line": first + offset, "kind": kind, "country": country, "value": value})
                        break
                else:
                    raise AssertionError(f"{self.name}: {value!r} not in {text!r}")

    def write(self) -> None:
        (OUT / self.name).write_text("\n".join(self.lines) + "\n", encoding="utf-8")


DOCS: list[Doc] = []


def doc(name: str) -> Callable[[Callable[[Doc], None]], Callable[[Doc], None]]:
    def register(build: Callable[[Doc], None]) -> Callable[[Doc], None]:
        d = Doc(name)
        build(d)
        DOCS.append(d)
        return build
    return register


# --- Malaysia -----------------------------------------------------------------------

@doc("crm_models.py")
def _crm_models(d: Doc) -> None:
    d.add('"""Customer fixtures for the loyalty service tests."""\nfrom decimal import Decimal\n\nfrom crm.models import Customer, Account\n')
    for _ in range(8):
        name, kad, tel = malay_name(), mykad(), phone("MY", R.choice(["national", "intl", "national_nospace"]), mobile=True)
        mail = email(name)
        d.add(f'Customer.objects.create(full_name="{name}", ic_number="{kad}", phone="{tel}", email="{mail}")',
              ("name", "my", name), ("my-nric", "my", kad), ("my-phone", "my", tel), ("email", "my", mail))
    for _ in range(6):
        name, kad, tel = indian_name(), mykad("bare"), phone("MY", "bare", mobile=True)
        d.add(f'    Customer(nama="{name}", no_kp="{kad}", no_tel="{tel}", points=Decimal("120.50")),',
              ("name", "my", name), ("my-nric", "my", kad), ("my-phone", "my", tel))
    d.add("\n\nclass TestStaffRecords:\n    def test_army_and_police(self):")
    for _ in range(3):
        army = R.choice(["", "T", "RF"]) + nonzero_digits(R.choice([6, 7]))
        d.add(f'        staff = Staff(army_no="{army}", branch="Tentera Darat")', ("my-armed-forces", "my", army))
    for _ in range(3):
        police = R.choice(["RF", "G", ""]) + nonzero_digits(R.choice([5, 6]))
        d.add(f'        officer = Staff(police_no="{police}")', ("my-armed-forces", "my", police))
    for _ in range(4):
        kad = mykad()
        epf = nonzero_digits(8)
        d.add(f'        payroll = Payroll(epf_no="{epf}", socso_no="{kad}")', ("my-epf-socso", "my", epf),
              ("my-nric", "my", kad))
    for _ in range(4):
        old = R.choice("AHKR") + nonzero_digits(7)
        d.add(f'        legacy = Person(old_ic="{old}")  # pre-1990 card', ("my-old-ic", "my", old))
    for _ in range(4):
        pp = R.choice("AHK") + nonzero_digits(8)
        d.add(f'        traveller = Person(passport_no="{pp}", nationality="MYS")', ("my-passport", "my", pp))
    for _ in range(3):
        tin = "IG" + nonzero_digits(R.choice([10, 11]))
        d.add(f'        tax = TaxProfile(lhdn_tin="{tin}")', ("my-tax", "my", tin))
    d.add("\n\nMAX_RETRIES = 3\nTIMEOUT_MS = 30000")


@doc("pelanggan.csv")
def _pelanggan(d: Doc) -> None:
    d.add("Nama,No. K/P,No. Telefon,E-mel,Tarikh Lahir,Alamat")
    for _ in range(14):
        name = malay_name() if R.random() < 0.7 else indian_name()
        kad = mykad(R.choice(["hyphen", "bare", "bare"]))
        tel = phone("MY", R.choice(["national", "bare", "national_dash"]), mobile=R.random() < 0.8)
        mail = email(name)
        born = dob("dmy")
        addr = my_address()
        d.add(f'{name},{kad},{tel},{mail},{born},"{addr}"', ("name", "my", name), ("my-nric", "my", kad),
              ("my-phone", "my", tel), ("email", "my", mail), ("dob", "my", born), ("my-address", "my", addr))


@doc("customers_zh.csv")
def _customers_zh(d: Doc) -> None:
    d.add("姓名,身份证号码,电话,电邮,出生日期")
    for _ in range(8):
        name = R.choice(CHINESE)
        kad = mykad(R.choice(["hyphen", "bare"]))
        tel = phone("MY", R.choice(["national", "intl", "bare"]))
        mail = email(name)
        born = dob("iso")
        d.add(f"{name},{kad},{tel},{mail},{born}", ("name", "my", name), ("my-nric", "my", kad),
              ("my-phone", "my", tel), ("email", "my", mail), ("dob", "my", born))


@doc("companies_my.sql")
def _companies_my(d: Doc) -> None:
    d.add("-- seed data for the supplier directory\nINSERT INTO suppliers (company_name, ssm_no, lhdn_tin, contact_phone) VALUES")
    for i in range(8):
        year = R.randrange(2019, 2026)
        ssm = f"{year}{R.choice(['01', '03', '03', '06'])}{nonzero_digits(6)}"
        tin = R.choice(["C", "C", "IG", "D"]) + nonzero_digits(10)
        tel = phone("MY", "national", mobile=False)
        end = "," if i < 7 else ";"
        d.add(f"  ('Syarikat Maju {i} Sdn Bhd', '{ssm}', '{tin}', '{tel}'){end}", ("my-ssm", "my", ssm),
              ("my-tax", "my", tin), ("my-phone", "my", tel))
    d.add("\nINSERT INTO suppliers_legacy (company_name, registration_no) VALUES")
    for i in range(4):
        old = f"{R.randrange(10000, 1400000)}-{R.choice('ADHKMPTUVWX')}"
        d.add(f"  ('Kedai Runcit {i} Enterprise', '{old}'){',' if i < 3 else ';'}", ("my-ssm", "my", old))


# --- Singapore ----------------------------------------------------------------------

@doc("signup.test.ts")
def _signup(d: Doc) -> None:
    d.add("import { describe, it, expect } from 'vitest';\nimport { register } from '../src/signup';\n")
    d.add("describe('register', () => {\n  const fixtures = [")
    for prefix in "STFGMSTFGM":
        nric = sg_nric(prefix)
        tel = phone("SG", R.choice(["intl", "e164", "national", "intl_dash"]), mobile=True)
        name = R.choice(CHINESE)
        d.add(f"    {{ name: '{name}', nric: '{nric}', mobile: '{tel}' }},", ("sg-nric", "sg", nric),
              ("sg-phone", "sg", tel))
    d.add("  ];\n  it('accepts valid records', () => { for (const f of fixtures) expect(register(f)).toBe(true); });\n});")


@doc("sg_companies.json")
def _sg_companies(d: Doc) -> None:
    d.add("[")
    for i in range(8):
        uen = sg_uen()
        addr = sg_address()
        tel = phone("SG", "intl", mobile=False)
        d.add(f'  {{"company": "Lion City Trading {i} Pte Ltd", "uen": "{uen}", "address": "{addr}", "tel": "{tel}"}}'
              + ("," if i < 7 else ""), ("sg-uen", "sg", uen), ("sg-address", "sg", addr), ("sg-phone", "sg", tel))
    d.add("]")


@doc("HrRecord.java")
def _hr_java(d: Doc) -> None:
    d.add("package sg.acme.hr;\n\nclass HrRecordTest {\n    @Test\n    void buildsEmployees() {")
    for prefix in "SSTFGMGF":
        nric = sg_nric(prefix)
        name = R.choice(CHINESE + INDIAN)
        d.add(f'        Employee e = new Employee("{name}", /* nric */ "{nric}", LocalDate.of(1990, 1, 1));',
              ("sg-nric", "sg", nric))
    for _ in range(4):
        tel = phone("SG", "national", mobile=True)
        d.add(f'        e.setHandphone("{tel}");', ("sg-phone", "sg", tel))
    d.add("    }\n}")


# --- Thailand -----------------------------------------------------------------------

@doc("th_members.go")
def _th_go(d: Doc) -> None:
    d.add("package members\n\nvar fixtures = []Member{")
    for _ in range(8):
        tid = th_id(R.choice(["dash", "bare", "bare"]))
        tel = phone("TH", R.choice(["national", "national_dash", "bare", "intl"]))
        born = dob(R.choice(["be", "be_iso"]))
        d.add(f'\t{{Name: "{R.choice(THAI)}", CitizenID: "{tid}", Phone: "{tel}", DOB: "{born}"}},',
              ("th-id", "th", tid), ("th-phone", "th", tel), ("th-dob-be", "th", born))
    d.add("}")


@doc("th_customers.csv")
def _th_csv(d: Doc) -> None:
    d.add("ชื่อ,เลขบัตรประชาชน,เบอร์โทร,วันเกิด")
    for _ in range(8):
        tid = th_id(R.choice(["dash", "bare", "space"]))
        tel = phone("TH", R.choice(["national", "bare", "national_dash"]))
        born = dob(R.choice(["be", "be_th"]))
        d.add(f"{R.choice(THAI)},{tid},{tel},{born}", ("th-id", "th", tid), ("th-phone", "th", tel),
              ("th-dob-be", "th", born))


# --- Indonesia ----------------------------------------------------------------------

@doc("pelanggan_id.json")
def _id_json(d: Doc) -> None:
    records = []
    for i in range(8):
        records.append({"nama_lengkap": R.choice(INDO), "nik": nik(female=i % 2 == 1),
                        "npwp": npwp(R.choice(["dotted", "new16", "bare"])),
                        "no_hp": phone("ID", R.choice(["national", "intl", "bare", "e164"]), mobile=True),
                        "email": email(R.choice(INDO))})
    text = json.dumps({"data": records}, indent=2, ensure_ascii=False)
    d.add(text, *[item for r in records for item in (
        ("id-nik", "id", r["nik"]), ("id-npwp", "id", r["npwp"]), ("id-phone", "id", r["no_hp"]),
        ("email", "id", r["email"]))])


@doc("karyawan.yaml")
def _id_yaml(d: Doc) -> None:
    d.add("# fixture: data karyawan untuk uji integrasi payroll\nkaryawan:")
    for _ in range(6):
        n = nik()
        tel = phone("ID", R.choice(["national", "national_nospace"]), mobile=R.random() < 0.7)
        born = dob(R.choice(["dmy", "iso"]))
        d.add(f"  - nama: {R.choice(INDO)}\n    no_ktp: \"{n}\"\n    telepon: \"{tel}\"\n    tanggal_lahir: {born}",
              ("id-nik", "id", n), ("id-phone", "id", tel), ("dob", "id", born))


# --- Philippines --------------------------------------------------------------------

@doc("ph_members.sql")
def _ph_sql(d: Doc) -> None:
    d.add("INSERT INTO members (full_name, sss_no, tin, philhealth_no, umid_crn, psn, mobile) VALUES")
    for i in range(8):
        sss = f"{digits(2)}-{nonzero_digits(7)}-{digits(1)}"
        tin = f"{nonzero_digits(3)}-{digits(3)}-{digits(3)}-000"
        phh = f"{R.choice(['01', '02', '03', '12', '19'])}-{nonzero_digits(9)}-{digits(1)}"
        umid = f"{R.choice(['0028', '0111', '0033'])}-{nonzero_digits(7)}-{digits(1)}"
        psn = f"{nonzero_digits(4)}-{nonzero_digits(4)}-{nonzero_digits(4)}"
        tel = phone("PH", R.choice(["national", "bare", "intl"]), mobile=True)
        d.add(f"  ('{R.choice(FILIPINO)}', '{sss}', '{tin}', '{phh}', '{umid}', '{psn}', '{tel}'){',' if i < 7 else ';'}",
              ("ph-sss", "ph", sss), ("ph-tin", "ph", tin), ("ph-philhealth", "ph", phh), ("ph-umid", "ph", umid),
              ("ph-psn", "ph", psn), ("ph-phone", "ph", tel))


@doc("ph_kyc.py")
def _ph_py(d: Doc) -> None:
    d.add("KYC_FIXTURES = [")
    for _ in range(6):
        pcn = " ".join(nonzero_digits(4) for _ in range(4)) if R.random() < 0.5 else nonzero_digits(16)
        psn = nonzero_digits(12)
        d.add(f'    {{"philsys_pcn": "{pcn}", "philsys_psn": "{psn}"}},', ("ph-pcn", "ph", pcn), ("ph-psn", "ph", psn))
    d.add("]")


# --- Vietnam ------------------------------------------------------------------------

@doc("khach_hang.csv")
def _vn_csv(d: Doc) -> None:
    d.add("Họ và tên,Số CCCD,Số điện thoại,Ngày sinh,Mã số thuế")
    for _ in range(10):
        cccd = vn_cccd()
        tel = phone("VN", R.choice(["national", "bare", "national_dot", "intl"]))
        born = dob("dmy")
        mst = vn_mst(R.random() < 0.3)
        name = R.choice(VIET)
        d.add(f"{name},{cccd},{tel},{born},{mst}", ("name", "vn", name), ("vn-cccd", "vn", cccd),
              ("vn-phone", "vn", tel), ("dob", "vn", born), ("vn-mst", "vn", mst))


@doc("vn_users.js")
def _vn_js(d: Doc) -> None:
    d.add("// seed users for the staging database\nmodule.exports = [")
    for _ in range(6):
        cccd = vn_cccd()
        tel = phone("VN", R.choice(["e164", "national", "bare"]), mobile=True)
        d.add(f"  {{ hoTen: '{R.choice(VIET)}', soCCCD: '{cccd}', soDienThoai: '{tel}' }},", ("vn-cccd", "vn", cccd),
              ("vn-phone", "vn", tel))
    d.add("];")


# --- Payments, network, mixed -----------------------------------------------------

@doc("payments.json")
def _payments(d: Doc) -> None:
    d.add("[")
    brands = ["visa", "mc5", "mc2", "mc2", "unionpay", "unionpay", "jcb", "napas", "napas", "amex", "visa", "mc2"]
    for i, brand in enumerate(brands):
        pan = card(brand, grouped=R.random() < 0.5)
        d.add(f'  {{"order": "ORD-{digits(6)}", "card_number": "{pan}", "brand": "{brand}"}},', ("card", "global", pan))
    for country in ["DE", "GB", "FR", "NL", "CH", "AE"]:
        acct = iban(country)
        d.add(f'  {{"payout": {{"iban": "{acct}", "currency": "EUR"}}}},', ("iban", "global", acct))
    d.add('  {"end": true}\n]')


@doc("access.log")
def _access_log(d: Doc) -> None:
    for _ in range(10):
        ip = public_ip()
        user = email(R.choice(CHINESE + INDO + VIET))
        d.add(f"2025-03-14T08:{R.randrange(60):02d}:{R.randrange(60):02d}Z INFO auth login ok user={user} client_ip={ip} ua=Mozilla/5.0",
              ("public-ip", "global", ip), ("email", "global", user))


@doc("support_tickets.yaml")
def _tickets(d: Doc) -> None:
    d.add("tickets:")
    for _ in range(5):
        addr = my_address()
        name = malay_name()
        born = dob(R.choice(["ms", "en", "dmy"]))
        d.add(f"  - customer: \"Encik {name}\"\n    alamat: \"{addr}\"\n    tarikh_lahir: \"{born}\"",
              ("name", "my", name), ("my-address", "my", addr), ("dob", "my", born))
    for _ in range(4):
        addr = sg_address()
        d.add(f"  - delivery_address: \"{addr}\"", ("sg-address", "sg", addr))


# --- Chat prompts -------------------------------------------------------------------

@doc("prompts_en.txt")
def _prompts_en(d: Doc) -> None:
    for _ in range(4):
        name, kad = malay_name(), mykad()
        tel = phone("MY", R.choice(["national", "national_nospace"]), mobile=True)
        d.add(f"customer {name}, IC {kad}, phone {tel}, please fix the bug in the renewal flow",
              ("name", "my", name), ("my-nric", "my", kad), ("my-phone", "my", tel))
    for _ in range(3):
        kad = mykad("bare")
        d.add(f"The IC number {kad} fails validation in the signup form, why?", ("my-nric", "my", kad))
    for prefix in "STFG":
        nric = sg_nric(prefix)
        addr = sg_address()
        d.add(f"Can you check why the user with NRIC {nric} living at {addr} gets a 500?",
              ("sg-nric", "sg", nric), ("sg-address", "sg", addr))
    for _ in range(3):
        pan = card(R.choice(["mc2", "jcb", "unionpay"]))
        d.add(f"Payment failed for card {pan}, exp 09/27, what does error 05 mean?", ("card", "global", pan))
    for _ in range(3):
        born = dob(R.choice(["en", "us"]))
        d.add(f"Patient date of birth: {born}; please write the SQL to compute her age.", ("dob", "global", born))
    for _ in range(2):
        ip = public_ip()
        d.add(f"We keep getting brute-force login attempts from IP {ip}, how do I block it in nginx?",
              ("public-ip", "global", ip))
    for _ in range(2):
        pp = R.choice("AHK") + nonzero_digits(8)
        d.add(f"The passport number {pp} is rejected by our regex, can you fix it?", ("my-passport", "my", pp))
    for _ in range(2):
        plate = R.choice(["WXY", "BKL", "JQW", "PKA", "VBD"]) + " " + str(R.randrange(1, 9999))
        d.add(f"Car plate {plate} was flagged by the parking system twice", ("my-plate", "my", plate))


@doc("prompts_ms.txt")
def _prompts_ms(d: Doc) -> None:
    for _ in range(5):
        name = malay_name()
        kad = mykad(R.choice(["hyphen", "bare"]))
        tel = phone("MY", R.choice(["national", "intl", "bare"]), mobile=True)
        d.add(f"Pelanggan {name}, No. K/P {kad}, no. telefon {tel}. Tolong semak kenapa rekod ini gagal disimpan.",
              ("name", "my", name), ("my-nric", "my", kad), ("my-phone", "my", tel))
    for _ in range(3):
        addr = my_address()
        d.add(f"Alamat surat-menyurat: {addr}. Kenapa poskod tidak disahkan?", ("my-address", "my", addr))
    for _ in range(2):
        epf = nonzero_digits(8)
        d.add(f"No. KWSP ahli ialah {epf}, sila kira caruman bulan ini.", ("my-epf-socso", "my", epf))
    for _ in range(2):
        name = R.choice(["Razak Hamid", "Aminah Yusof", "Kamal Ariffin"])
        d.add(f"Surat ini untuk Puan {name} di cawangan Shah Alam.", ("name", "my", name))


@doc("prompts_zh.txt")
def _prompts_zh(d: Doc) -> None:
    for _ in range(5):
        kad = mykad(R.choice(["hyphen", "bare"]))
        tel = phone("MY", R.choice(["national", "intl"]), mobile=True)
        d.add(f"客户 {R.choice(CHINESE)} 的身份证号码是 {kad}，电话 {tel}，请帮我修复这个bug。",
              ("my-nric", "my", kad), ("my-phone", "my", tel))
    for prefix in "SF":
        nric = sg_nric(prefix)
        d.add(f"新加坡用户的 NRIC 是 {nric}，为什么校验失败？", ("sg-nric", "sg", nric))
    for _ in range(2):
        pan = card("unionpay")
        d.add(f"银联卡号 {pan} 支付失败，请看看日志。", ("card", "global", pan))


@doc("prompts_ta.txt")
def _prompts_ta(d: Doc) -> None:
    for _ in range(5):
        name = indian_name()
        kad = mykad(R.choice(["hyphen", "bare"]))
        tel = phone("MY", "national", mobile=True)
        d.add(f"வாடிக்கையாளர் {name}, அடையாள அட்டை எண் {kad}, கைபேசி {tel}, இந்த பிழையை சரிசெய்யவும்.",
              ("name", "my", name), ("my-nric", "my", kad), ("my-phone", "my", tel))


@doc("prompts_th.txt")
def _prompts_th(d: Doc) -> None:
    for _ in range(6):
        tid = th_id(R.choice(["dash", "bare"]))
        tel = phone("TH", R.choice(["national", "national_dash", "bare"]), mobile=True)
        d.add(f"ลูกค้า {R.choice(THAI)} เลขบัตรประชาชน {tid} เบอร์โทร {tel} ช่วยแก้บั๊กนี้หน่อยครับ",
              ("th-id", "th", tid), ("th-phone", "th", tel))
    for _ in range(3):
        born = dob(R.choice(["be", "be_th"]))
        d.add(f"ผู้ป่วยวันเกิด {born} ระบบคำนวณอายุผิด ช่วยดูโค้ดให้หน่อย", ("th-dob-be", "th", born))


@doc("prompts_id.txt")
def _prompts_id(d: Doc) -> None:
    for i in range(6):
        n = nik(female=i % 2 == 0)
        tel = phone("ID", R.choice(["national", "bare", "intl"]), mobile=True)
        d.add(f"Pelanggan {R.choice(INDO)}, NIK {n}, no HP {tel}, tolong perbaiki error validasi ini.",
              ("id-nik", "id", n), ("id-phone", "id", tel))
    for _ in range(3):
        tax = npwp(R.choice(["dotted", "bare", "new16"]))
        d.add(f"NPWP perusahaan {tax} ditolak oleh API pajak, kenapa ya?", ("id-npwp", "id", tax))


@doc("prompts_vi.txt")
def _prompts_vi(d: Doc) -> None:
    for _ in range(6):
        cccd = vn_cccd()
        tel = phone("VN", R.choice(["national", "bare", "national_dot"]), mobile=True)
        d.add(f"Khách hàng {R.choice(VIET)}, số CCCD {cccd}, SĐT {tel}, giúp tôi sửa lỗi này.",
              ("vn-cccd", "vn", cccd), ("vn-phone", "vn", tel))
    for _ in range(3):
        mst = vn_mst()
        d.add(f"Mã số thuế {mst} của công ty bị báo sai định dạng.", ("vn-mst", "vn", mst))
    for _ in range(2):
        born = dob("dmy")
        d.add(f"Ngày sinh của bệnh nhân là {born}, hãy viết hàm tính tuổi.", ("dob", "vn", born))


@doc("prompts_fil.txt")
def _prompts_fil(d: Doc) -> None:
    for _ in range(3):
        sss = f"{digits(2)}-{nonzero_digits(7)}-{digits(1)}"
        tel = phone("PH", R.choice(["national", "bare"]), mobile=True)
        d.add(f"Si customer {R.choice(FILIPINO)}, SSS {sss}, cellphone {tel}, paki-ayos ang bug sa form.",
              ("ph-sss", "ph", sss), ("ph-phone", "ph", tel))
    for _ in range(2):
        tin = f"{nonzero_digits(3)}-{digits(3)}-{digits(3)}"
        d.add(f"Ang TIN ko ay {tin} pero ayaw tanggapin ng BIR portal.", ("ph-tin", "ph", tin))
    for _ in range(2):
        phh = f"{R.choice(['01', '12'])}-{nonzero_digits(9)}-{digits(1)}"
        d.add(f"PhilHealth number ng pasyente: {phh}, bakit invalid?", ("ph-philhealth", "ph", phh))
    for _ in range(2):
        psn = " ".join(nonzero_digits(4) for _ in range(3))
        d.add(f"Ang PhilSys number (PSN) ko ay {psn}, paki-check.", ("ph-psn", "ph", psn))


@doc("prompts_mixed.md")
def _prompts_mixed(d: Doc) -> None:
    """Forms a support chat or a pasted ticket uses that the fixtures above do not."""
    for _ in range(3):
        kad = mykad("bare")
        d.add(f"boss, no ic {kad} tak boleh login, boleh check?", ("my-nric", "my", kad))
    for _ in range(2):
        kad = mykad()
        d.add(f"MyKad holder {kad} says the OTP never arrives.", ("my-nric", "my", kad))
    for _ in range(2):
        tel = phone("MY", "intl", mobile=False)
        d.add(f"Our KL office line is {tel} if the customer calls back.", ("my-phone", "my", tel))
    for street in ["Raffles Place", "Marina Boulevard", "Collyer Quay", "Tampines Central 1", "Bukit Timah Road"]:
        code = R.choice(["048616", "018981", "049315", "529536", "259760"])
        addr = f"{R.randrange(1, 80)} {street}, Singapore {code}"
        d.add(f"Please deliver the replacement card to {addr} before Friday.", ("sg-address", "sg", addr))
    for _ in range(2):
        tel = phone("SG", "intl", mobile=True)
        d.add(f"WhatsApp me at {tel} when the fix is deployed.", ("sg-phone", "sg", tel))
    for _ in range(2):
        tid = th_id("space")
        d.add(f"Thai ID {tid} is rejected by the KYC step, see log below.", ("th-id", "th", tid))
    for _ in range(2):
        tel = phone("ID", "intl", mobile=False)
        d.add(f"Kantor Jakarta: telp {tel}, minta tolong cek kenapa SMS gagal.", ("id-phone", "id", tel))
    for _ in range(2):
        tin = f"{nonzero_digits(3)}-{digits(3)}-{digits(3)}-{digits(5)}"
        d.add(f"BIR TIN with branch code {tin} fails the 12-digit check we wrote.", ("ph-tin", "ph", tin))
    for _ in range(2):
        cccd = vn_cccd()
        spaced = f"{cccd[:3]} {cccd[3:6]} {cccd[6:]}"
        d.add(f"Căn cước công dân {spaced} bị từ chối khi đăng ký.", ("vn-cccd", "vn", spaced))
    for _ in range(2):
        born = dob(R.choice(["dmy_dash", "dmy_dot", "iso"]))
        d.add(f"D.O.B: {born} - the age check says the user is a minor.", ("dob", "global", born))
    for _ in range(2):
        ip = f"2001:e68:{R.randrange(0x1000, 0xffff):x}:{R.randrange(1, 0xffff):x}::{R.randrange(1, 0xff):x}"
        d.add(f"Suspicious login from IPv6 {ip} on the admin panel.", ("public-ip", "global", ip))
    for _ in range(2):
        name = R.choice(["Tan Ah Kow", "Lim Siew Ling", "Chong Wei Jie"])
        d.add(f"Nama: {name}", ("name", "my", name))
    for name in ["Datuk Seri Ahmad Zahid", "Dato' Lee Chong Wei"]:
        value = name.split(" ", 2)[-1] if name.startswith("Datuk Seri") else name.split(" ", 1)[1]
        d.add(f"Surat jemputan kepada {name} telah dihantar.", ("name", "my", value))
    for _ in range(2):
        mail = email(R.choice(MALAY_F))
        d.add(f"Boleh hantar resit ke emel {mail}? Terima kasih.", ("email", "my", mail))


# --- Decoys -------------------------------------------------------------------------

def timestamp12() -> str:
    t = datetime.datetime(2024, 1, 1) + datetime.timedelta(seconds=R.randrange(86400 * 700))
    return f"{t:%y%m%d%H%M%S}"


def epoch_ms() -> str:
    return str(R.randrange(1_600_000_000_000, 1_760_000_000_000))


def sha() -> str:
    return "".join(R.choice("0123456789abcdef") for _ in range(40))


@doc("decoys_build.py")
def _decoys_py(d: Doc) -> None:
    d.add('"""Build metadata and constants: nothing personal here."""')
    for _ in range(14):
        ts = timestamp12()
        d.add(f'BUILD_ID = "{ts}"', decoys=(("timestamp", "-", ts),))
    for _ in range(10):
        ssm = f"{R.randrange(2001, 2013)}{R.choice(['01', '02', '03'])}{nonzero_digits(6)}"
        d.add(f"ref_{R.randrange(100)} = {ssm}", decoys=(("ssm-like", "-", ssm),))
    for _ in range(14):
        ms = epoch_ms()
        d.add(f"    created_at_ms = {ms}", decoys=(("epoch-ms", "-", ms),))
    for _ in range(8):
        const = "0" + str(R.randrange(1, 10)) + digits(8)
        d.add(f'SEED_{R.randrange(100)} = "{const}"', decoys=(("phone-like", "-", const),))
    for _ in range(10):
        v = f"{R.randrange(1, 5)}.{R.randrange(0, 30)}.{R.randrange(0, 20)}.{R.randrange(0, 999)}"
        d.add(f'__version__ = "{v}"', decoys=(("version", "-", v),))
    for _ in range(8):
        h = sha()
        d.add(f'COMMIT = "{h}"', decoys=(("hash", "-", h),))
    for _ in range(8):
        u = str(uuid.UUID(int=R.getrandbits(128), version=4))
        d.add(f'REQUEST_ID = "{u}"', decoys=(("uuid", "-", u),))
    for _ in range(8):
        ip = R.choice(["10.{}.{}.{}", "192.168.{}.{}", "172.16.{}.{}", "127.0.{}.{}"]).format(
            *(R.randrange(1, 255) for _ in range(3)))
        d.add(f'DB_HOST = "{ip}"  # client ip of the db proxy', decoys=(("private-ip", "-", ip),))
    for _ in range(8):
        mail = R.choice(["alice", "bob", "dev", "jane.doe", "tester"]) + "@" + R.choice(
            ["example.com", "example.org", "example.net", "test.example"])
        d.add(f'DEFAULT_EMAIL = "{mail}"', decoys=(("example-email", "-", mail),))


@doc("decoys_orders.csv")
def _decoys_csv(d: Doc) -> None:
    d.add("order_no,sku,created,amount_sen,tracking")
    for _ in range(30):
        order = nonzero_digits(R.choice([10, 12, 13, 16]))
        prefix = R.choice("STFG")
        sku = f"SKU-{prefix}{nonzero_digits(7)}{R.choice('ABCDEFGHJKLMNPQRTUWXZ')}-{R.choice(['XL', 'M', 'S'])}"
        created = timestamp12()
        tracking = R.choice(["MY", "SG", "TH"]) + nonzero_digits(9) + R.choice(["MY", "SG", "TH"])
        d.add(f"{order},{sku},{created},{R.randrange(100, 999999)},{tracking}",
              decoys=(("order-number", "-", order), ("sku", "-", sku), ("timestamp", "-", created),
                      ("tracking", "-", tracking)))


@doc("decoys_app.log")
def _decoys_log(d: Doc) -> None:
    for _ in range(30):
        ms = epoch_ms()
        ip = R.choice(["10.0.{}.{}", "192.168.{}.{}"]).format(R.randrange(255), R.randrange(1, 255))
        trace = sha()[:32]
        d.add(f"{ms} DEBUG worker-{R.randrange(9)} job={nonzero_digits(12)} peer={ip} trace={trace} took={R.randrange(900)}ms",
              decoys=(("epoch-ms", "-", ms), ("private-ip", "-", ip), ("hash", "-", trace)))


@doc("decoys_text.md")
def _decoys_text(d: Doc) -> None:
    for _ in range(8):
        v = f"{R.randrange(1, 4)}.{R.randrange(0, 12)}.{R.randrange(0, 9)}"
        d.add(f"Release {v} was tagged on {datetime.date(2025, R.randrange(1, 13), R.randrange(1, 28))} by the release bot.",
              decoys=(("version", "-", v),))
    for _ in range(8):
        n = nonzero_digits(R.choice([12, 13, 16]))
        d.add(f"Invoice {n} has been paid, thanks!", decoys=(("order-number", "-", n),))
    for _ in range(6):
        n = f"{nonzero_digits(4)}-{nonzero_digits(4)}-{nonzero_digits(4)}"
        d.add(f"Ticket {n} is closed; see the changelog.", decoys=(("ticket", "-", n),))
    for _ in range(6):
        n = str(R.randrange(10**8, 10**9))
        d.add(f"The dataset has {n} rows and took {R.randrange(2, 90)} minutes to load.", decoys=(("count", "-", n),))


@doc("decoys_service.py")
def _decoys_service(d: Doc) -> None:
    """Look-alikes next to words that also name personal data (user, client, created, card, id)."""
    d.add('"""Order service: identifiers of orders, builds and sessions, none of them personal."""')
    for _ in range(8):
        ts = timestamp12()
        d.add(f'    order = Order(id={nonzero_digits(7)}, created_at="{ts}", user_id={R.randrange(10**5, 10**7)})',
              decoys=(("timestamp", "-", ts),))
    for _ in range(8):
        ts = f"20{timestamp12()}"
        d.add(f'    event = {{"user": "svc-batch", "timestamp": "{ts}"}}', decoys=(("timestamp", "-", ts),))
    for _ in range(8):
        ms = epoch_ms()
        d.add(f'    session = Session(client="web", started_ms={ms})', decoys=(("epoch-ms", "-", ms),))
    for _ in range(6):
        ua = f"Chrome/{R.randrange(100, 131)}.0.0.0"
        d.add(f'    headers = {{"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) {ua} Safari/537.36"}}',
              decoys=(("version", "-", ua.split("/")[1]),))
    for _ in range(6):
        ip = R.choice(["203.0.113.{}", "198.51.100.{}", "192.0.2.{}", "100.64.{}.1", "169.254.{}.1"]).format(R.randrange(1, 255))
        d.add(f'    client_ip = "{ip}"  # documentation / CGNAT / link-local range in a test', decoys=(("reserved-ip", "-", ip),))
    for _ in range(6):
        ip = R.choice(["8.8.8.8", "1.1.1.1", "9.9.9.9", "8.8.4.4"])
        d.add(f'    DNS_SERVERS = ["{ip}"]  # resolver host', decoys=(("resolver-ip", "-", ip),))
    for _ in range(6):
        ver = f"{R.randrange(1, 20)}.{R.randrange(0, 10)}.{R.randrange(0, 40)}"
        d.add(f'    assert client.version >= "{ver}"', decoys=(("version", "-", ver),))
    for _ in range(6):
        d_ = datetime.date(R.randrange(2015, 2026), R.randrange(1, 13), R.randrange(1, 29))
        text = f"{d_:%d/%m/%Y}"
        d.add(f'    invoice = Invoice(issued="{text}", due_days=30)', decoys=(("date", "-", text),))
    for _ in range(6):
        n = nonzero_digits(10)
        d.add(f'    retry = Backoff(base_ns={n})', decoys=(("phone-like", "-", n),))
    for _ in range(6):
        mail = R.choice(["noreply@github.com", "git@github.com", "user@localhost", "admin@example.com",
                         "test@test.invalid", "root@localhost.localdomain"])
        d.add(f'    DEFAULT_FROM = "{mail}"', decoys=(("service-email", "-", mail),))
    for _ in range(6):
        sku = f"{R.choice(['A', 'H', 'K'])}{nonzero_digits(8)}"
        d.add(f'    product = Product(sku="{sku}", stock={R.randrange(1000)})', decoys=(("sku", "-", sku),))
    for _ in range(6):
        n = f"{nonzero_digits(4)} {nonzero_digits(4)} {nonzero_digits(4)} {nonzero_digits(4)}"
        d.add(f'    gift_voucher = "{n}"  # voucher code, not a card', decoys=(("voucher", "-", n),))


VN_STREETS = [("Nguyễn Huệ", "Nguyen Hue"), ("Lê Lợi", "Le Loi"), ("Trần Hưng Đạo", "Tran Hung Dao"),
              ("Hai Bà Trưng", "Hai Ba Trung"), ("Lý Thường Kiệt", "Ly Thuong Kiet")]
VN_PLACES = [  # (ward, district, province), with diacritics and without
    (("phường Bến Nghé", "quận 1", "TP. Hồ Chí Minh"), ("phuong Ben Nghe", "quan 1", "TP. Ho Chi Minh")),
    (("phường Tràng Tiền", "quận Hoàn Kiếm", "Hà Nội"), ("phuong Trang Tien", "quan Hoan Kiem", "Ha Noi")),
    (("xã Hòa Phú", "huyện Hòa Vang", "thành phố Đà Nẵng"), ("xa Hoa Phu", "huyen Hoa Vang", "thanh pho Da Nang")),
    (("xã Tân Phú", "huyện Châu Thành", "tỉnh Tiền Giang"), ("xa Tan Phu", "huyen Chau Thanh", "tinh Tien Giang")),
    (("thị trấn Phú Bài", "thị xã Hương Thủy", "tỉnh Thừa Thiên Huế"), ("thi tran Phu Bai", "thi xa Huong Thuy", "tinh Thua Thien Hue")),
]


def vn_address() -> str:
    plain = R.random() < 0.4
    street = R.choice(VN_STREETS)[1 if plain else 0]
    ward, district, province = R.choice(VN_PLACES)[1 if plain else 0]
    house = R.choice(["Số {n} đường {s}", "{n} {s}", "Số nhà {n}, ngõ {m}, phố {s}", "{n}/{m} {s}"])
    if plain:
        house = house.replace("Số nhà", "So nha").replace("Số", "So").replace("đường", "duong").replace("ngõ", "ngo").replace("phố", "pho")
    lead = house.format(n=R.randrange(1, 400), m=R.randrange(1, 60), s=street)
    if R.random() < 0.25 and not plain:
        return f"{lead}, Q.{R.randrange(1, 12)}, TP.HCM"
    return f"{lead}, {ward}, {district}, {province}"


@doc("vn_orders.json")
def _vn_orders(d: Doc) -> None:
    d.add("[")
    for i in range(10):
        addr = vn_address()
        key = R.choice(["dia_chi", "địa_chỉ", "shipping_address", "diaChiGiaoHang"])
        d.add(f'  {{"ma_don": "DH{digits(8)}", "{key}": "{addr}"}}' + ("," if i < 9 else ""), ("vn-address", "vn", addr))
    d.add("]")
    for _ in range(4):
        addr = vn_address()
        d.add(f"Khách báo giao sai địa chỉ {addr}, kiểm tra giúp mình.", ("vn-address", "vn", addr))


def _paren_cc(region: str) -> str:
    """``(+65) 9123 4567``: the country code in brackets, as forms and signatures write it."""
    intl = phone(region, "intl", mobile=True)
    cc, rest = intl.split(" ", 1)
    return f"({cc}) {rest}"


@doc("formats_more.py")
def _formats_more(d: Doc) -> None:
    """Writing habits of the region the fixtures above do not use."""
    d.add("# contact formats seen in exported CRM data")
    for region in ["MY", "SG", "TH", "ID", "PH", "VN"]:
        tel = _paren_cc(region)
        d.add(f'CONTACTS.append({{"region": "{region}", "phone": "{tel}"}})', (f"{region.lower()}-phone", region.lower(), tel))
    for _ in range(3):
        n = phone_number("MY", mobile=True)
        nsn = phonenumbers.national_significant_number(n)
        tel = f"60{nsn[:2]}-{nsn[2:]}"  # 6012-3456789: the country code without '+'
        d.add(f'CONTACTS.append({{"region": "MY", "phone": "{tel}"}})', ("my-phone", "my", tel))
    for _ in range(2):
        n = phone_number("PH", mobile=False)
        intl = phonenumbers.format_number(n, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        d.add(f'CONTACTS.append({{"region": "PH", "landline": "{intl}"}})', ("ph-phone", "ph", intl))
    d.add("\n# dates of birth as people type them")
    for _ in range(3):
        b = birth()
        text = f"{b.year}年{b.month}月{b.day}日"
        d.add(f'profile_zh = {{"姓名": "{R.choice(CHINESE)}", "出生日期": "{text}"}}', ("dob", "global", text))
    for _ in range(3):
        b = birth()
        text = f"{b.day}hb {MONTHS_MS[b.month - 1]} {b.year}"
        d.add(f'# Tarikh lahir: {text}', ("dob", "my", text))
    for _ in range(3):
        b = birth()
        text = f"ngày {b.day} tháng {b.month} năm {b.year}"
        d.add(f'ghi_chu = "Sinh {text} tại Hà Nội"', ("dob", "vn", text))
    d.add("\n# semicolon CSV pasted from Excel (Indonesian locale)")
    for _ in range(3):
        n, tel = nik(), phone("ID", "national", mobile=True)
        d.add(f'ROWS.append("Nama Lengkap;NIK;No. HP\\n{R.choice(INDO)};{n};{tel}")', ("id-nik", "id", n),
              ("id-phone", "id", tel))


@doc("decoys_registry.py")
def _decoys_registry(d: Doc) -> None:
    """Company numbers and stamps in the shapes of personal identifiers, next to
    words that also occur near personal data (pic, person in charge, id)."""
    d.add('"""Supplier registry fixtures."""')
    for _ in range(10):
        ssm = f"{R.randrange(2001, 2013)}{R.choice(['01', '02', '03'])}{nonzero_digits(6)}"
        key = R.choice(["ssm_no", "company_no", "registration_no", "roc_no"])
        d.add(f'    Supplier(name="Syarikat {R.choice(MALAY_FATHER)} Sdn Bhd", {key}="{ssm}", pic="{R.choice(MALAY_F)}")',
              decoys=(("ssm-as-mykad", "-", ssm),))
    for _ in range(8):
        ts = timestamp12()
        d.add(f'    audit = {{"pic": "{R.choice(CHINESE)}", "id": {R.randrange(1, 9999)}, "created": "{ts}"}}',
              decoys=(("timestamp", "-", ts),))
    for _ in range(8):
        ms = epoch_ms()
        d.add(f'    row = {{"id": {R.randrange(1, 99999)}, "user": "batch", "updated_ms": {ms}}}', decoys=(("epoch-ms", "-", ms),))
    for _ in range(6):
        sku = f"sku-{sg_nric(R.choice('STFG')).lower()}"
        d.add(f'    PRODUCT_CODES.append("{sku}")', decoys=(("sku", "-", sku),))



# Addresses of Indonesia, Thailand and the Philippines, as their postal
# services write them (real postcodes of the places named)
ID_PLACES = [("Kel. Karet", "Kec. Setiabudi", "Jakarta Selatan", "12920"),
             ("Kelurahan Braga", "Kecamatan Sumur Bandung", "Kota Bandung", "40111"),
             ("Kel. Gubeng", "Kec. Gubeng", "Surabaya", "60281"),
             ("Desa Dalung", "Kec. Kuta Utara", "Kab. Badung", "80361"),
             ("Kel. Terban", "Kec. Gondokusuman", "Yogyakarta", "55223")]
ID_STREETS = ["Sudirman", "Merdeka", "Diponegoro", "Gatot Subroto", "Ahmad Yani", "Pemuda"]
TH_PLACES = [("แขวงคลองเตย", "เขตคลองเตย", "กรุงเทพมหานคร", "10110"), ("แขวงจอมพล", "เขตจตุจักร", "กรุงเทพฯ", "10900"),
             ("ต.หนองปรือ", "อ.บางละมุง", "จ.ชลบุรี", "20150"), ("ตำบลสุเทพ", "อำเภอเมืองเชียงใหม่", "จังหวัดเชียงใหม่", "50200"),
             ("ต.หาดใหญ่", "อ.หาดใหญ่", "จ.สงขลา", "90110")]
TH_STREETS = ["ถนนสุขุมวิท", "ถนนพหลโยธิน", "ซอยลาดพร้าว 15", "หมู่ 4", "ถนนนิมมานเหมินท์"]
PH_PLACES = [("Brgy. San Isidro", "Antipolo City", "Rizal", "1870"), ("Barangay Lahug", "Cebu City", "", "6000"),
             ("Brgy. Poblacion", "Makati City", "Metro Manila", "1210"), ("Barangay Bagong Silang", "Caloocan City", "", "1428"),
             ("Brgy. Talamban", "Cebu City", "Cebu", "6000"), ("Purok 3, Brgy. Matina", "Davao City", "", "8000")]
PH_STREETS = ["Rizal St.", "Mabini Street", "Bonifacio Ave.", "Katipunan Avenue"]


def id_address() -> str:
    kel, kec, city, code = R.choice(ID_PLACES)
    street = f"{R.choice(['Jl.', 'Jalan'])} {R.choice(ID_STREETS)} No. {R.randrange(1, 200)}"
    if R.random() < 0.4:
        street += f", RT {R.randrange(1, 15):02d}/RW {R.randrange(1, 12):02d}"
    return f"{street}, {kel}, {kec}, {city} {code}"


def th_address() -> str:
    sub, district, province, code = R.choice(TH_PLACES)
    return f"{R.randrange(1, 300)}/{R.randrange(1, 99)} {R.choice(TH_STREETS)} {sub} {district} {province} {code}"


def ph_address() -> str:
    barangay, city, province, code = R.choice(PH_PLACES)
    lead = R.choice([f"{R.randrange(1, 999)} {R.choice(PH_STREETS)}", f"Blk {R.randrange(1, 40)} Lot {R.randrange(1, 60)}"])
    return f"{lead}, {barangay}, {city}{', ' + province if province else ''} {code}"


@doc("addresses_sea.txt")
def _addresses_sea(d: Doc) -> None:
    for _ in range(5):
        addr = id_address()
        d.add(R.choice([f"Alamat pengiriman: {addr}", f"Tolong kirim paketnya ke {addr} ya, makasih"]), ("id-address", "id", addr))
        addr = th_address()
        d.add(R.choice([f"ที่อยู่จัดส่ง: {addr}", f"ช่วยส่งของไปที่ {addr} หน่อยครับ"]), ("th-address", "th", addr))
        addr = ph_address()
        d.add(R.choice([f"Delivery address: {addr}", f"Paki-deliver po sa {addr}, salamat"]), ("ph-address", "ph", addr))
    d.add('{"orders": [')
    for i in range(3):
        a, b, c = id_address(), th_address(), ph_address()
        d.add(f'  {{"alamat": "{a}", "address_th": "{b}", "home_address": "{c}"}}' + ("," if i < 2 else ""),
              ("id-address", "id", a), ("th-address", "th", b), ("ph-address", "ph", c))
    d.add("]}")


def main() -> int:
    labels: dict[str, dict[str, list[dict[str, object]]]] = {"positives": {}, "decoys": {}}
    OUT.mkdir(parents=True, exist_ok=True)
    for d in DOCS:
        d.write()
        if d.positives:
            labels["positives"][d.name] = d.positives
        if d.decoys:
            labels["decoys"][d.name] = d.decoys
    out = ["# Held-out labels: (line, kind, country, value). Written by _generate.py; do not edit by hand."]
    for section in ("positives", "decoys"):
        out.append(f"{section}:")
        for name, items in labels[section].items():
            out.append(f"  {name}:")
            for item in items:
                out.append(f"    - {{line: {item['line']}, kind: {item['kind']}, country: {item['country']}, "
                           f"value: {json.dumps(item['value'], ensure_ascii=False)}}}")
    (OUT / "labels.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
