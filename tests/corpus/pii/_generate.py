"""Regenerate the labelled personal-data corpus: ``python tests/corpus/pii/_generate.py``.

Every identifier is synthetic but valid for its format (check digits, birth
dates, region codes), drawn from a fixed seed. Each line template names the
rules it must trigger; ``labels.yaml`` is written from those expectations,
never from a scan. Decoy files hold look-alikes that must not be reported
(timestamps, SSM and order numbers, epoch milliseconds, SKUs, versions,
private IPs, large integers); known test values must be reported at the lowest
severity.
"""
from __future__ import annotations

import datetime
import random
import sys
from pathlib import Path

from stdnum import iban as _iban
from stdnum import luhn
from stdnum.th import pin as _th_pin
from stdnum.vn import mst as _vn_mst

from dlp.validators import pii

HERE = Path(__file__).resolve().parent
R = random.Random(2026)
Line = tuple[str, tuple[str, ...]]


def digits(n: int) -> str:
    return "".join(R.choice("0123456789") for _ in range(n))


def _date(start: int = 1950, end: int = 2004) -> datetime.date:
    first = datetime.date(start, 1, 1)
    return first + datetime.timedelta(days=R.randrange((datetime.date(end, 12, 31) - first).days))


def mykad(hyphen: bool = True) -> str:
    while True:
        pb = R.choice(["01", "02", "04", "05", "06", "07", "08", "10", "11", "12", "13", "14", "15", "16",
                       "21", "43", "59", "71", "82", "98"])
        value = _date().strftime("%y%m%d") + pb + digits(4)
        if pii.my_nric(value):
            return f"{value[:6]}-{value[6:8]}-{value[8:]}" if hyphen else value


def sg_nric(prefix: str | None = None) -> str:
    p = prefix or R.choice("STFGM")
    while True:
        body = digits(7)
        if p == "T":
            body = R.choice(["00", "01", "02", "03", "05", "08", "10", "12", "15", "19", "21", "23"]) + digits(5)
        elif p == "S":
            body = R.choice("6789") + digits(6)
        value = p + body + pii.sg_nric_check_letter(p, body)
        if pii.sg_nric(value):
            return value


def th_id(formatted: bool = True) -> str:
    while True:
        base = R.choice("12345678") + str(R.choice(sorted(pii._TH_PROVINCES))) + digits(9)
        value = base + _th_pin.calc_check_digit(base)
        if pii.th_pin(value):
            return _th_pin.format(value) if formatted else value


def nik() -> str:
    while True:
        born = _date(1955, 2004)
        day = born.day + (40 if R.random() < 0.5 else 0)
        value = (R.choice(["3171", "3273", "3578", "6471", "1271", "5171", "7371", "3374"]) + f"{R.randrange(1, 20):02d}"
                 + f"{day:02d}{born:%m%y}" + f"{R.randrange(1, 300):04d}")
        if pii.id_nik(value):
            return value


def npwp(formatted: bool = True) -> str:
    while True:
        head = digits(8)
        value = head + luhn.calc_check_digit(head) + digits(3) + "000"
        if pii.id_npwp(value):
            if formatted:
                return f"{value[:2]}.{value[2:5]}.{value[5:8]}.{value[8]}-{value[9:12]}.{value[12:]}"
            return value


def member_no(n: int) -> str:
    while True:
        value = R.choice("123456789") + digits(n - 1)
        if pii.distinct_digits(value, min=3):
            return value


def grouped(sizes: tuple[int, ...], sep: str = "-") -> str:
    while True:
        parts = [digits(n) for n in sizes]
        value = "".join(parts)
        if not pii.trivial_digits(value) and value[0] != "0":
            return sep.join(parts)


def cccd() -> str:
    while True:
        born = _date(1950, 2006)
        female = R.random() < 0.5
        century = (0 if born.year < 2000 else 2) + female
        value = f"{R.choice(sorted(pii._VN_PROVINCES)):03d}{century}{born:%y}" + digits(6)
        if pii.vn_cccd(value):
            return value


def mst() -> str:
    while True:
        head = "0" + digits(8)
        value = head + _vn_mst.calc_check_digit(head)
        if pii.vn_mst(value):
            return value


_PHONE = {
    "MY": lambda: R.choice(["012", "013", "014", "016", "017", "018", "019"]) + "-" + digits(3) + " " + digits(4),
    "MYL": lambda: "03-" + R.choice("2456789") + digits(3) + " " + digits(4),
    "SG": lambda: R.choice("89") + digits(3) + " " + digits(4),
    "TH": lambda: "0" + R.choice("689") + R.choice("123456789") + "-" + digits(3) + "-" + digits(4),
    "ID": lambda: "08" + R.choice(["11", "12", "13", "21", "22", "52", "53", "77", "78", "81", "95", "96"]) + "-"
    + digits(4) + "-" + digits(4),
    "PH": lambda: "09" + R.choice(["17", "18", "19", "20", "27", "28", "47", "77", "95", "98", "99"]) + "-"
    + digits(3) + "-" + digits(4),
    "VN": lambda: "0" + R.choice(["32", "35", "38", "70", "77", "79", "86", "88", "90", "91", "93", "96", "97", "98"])
    + " " + digits(3) + " " + digits(4),
}


def phone(region: str) -> str:
    check = "MY" if region == "MYL" else region
    while True:
        value = _PHONE[region]()
        if pii.phone(value, region=check):
            return value


def intl(region: str, local: str) -> str:
    code = {"MY": "+60", "SG": "+65", "TH": "+66", "ID": "+62", "PH": "+63", "VN": "+84"}[region]
    national = local.replace("-", " ")
    return code + " " + (national.removeprefix("0"))


def bare(value: str) -> str:
    return value.replace("-", "").replace(" ", "").replace(".", "")


def card(kind: str | None = None, sep: str = " ") -> str:
    prefixes = {"visa": ["4539", "4556", "4916", "4024"], "mc": ["5425", "5311", "2221", "2720", "2434"],
                "jcb": ["3528", "3589", "3566"], "unionpay": ["6212", "6250", "6282"], "napas": ["9704"]}
    kind = kind or R.choice(sorted(prefixes))
    while True:
        head = R.choice(prefixes[kind]) + digits(11)
        value = head + luhn.calc_check_digit(head)
        if pii.payment_card(value) and not pii.trivial_digits(value):
            return sep.join(value[i:i + 4] for i in range(0, 16, 4)) if sep else value


def iban_value() -> str:
    country, bban = R.choice([("DE", lambda: digits(18)), ("GB", lambda: "BARC" + digits(14)),
                              ("NL", lambda: "ABNA" + digits(10)), ("FR", lambda: digits(23))])
    while True:
        body = bban()
        value = country + _iban.calc_check_digits(country + "00" + body) + body
        if pii.iban(value):
            return value


FIRST = ["siti", "ahmad", "nurul", "tan", "lim", "kumar", "priya", "somchai", "budi", "dewi", "nguyen", "tran",
         "maria", "jose", "aisyah", "farid", "mei.ling", "rajesh", "kavitha", "wei.ming"]
LAST = ["aminah", "faizal", "huda", "weiming", "kokwing", "ramasamy", "suppiah", "srisuk", "santoso", "lestari",
        "vanan", "thihoa", "reyes", "santos", "kamal", "hassan", "chong", "krishnan", "nair", "ong"]
DOMAINS = ["gmail.com", "yahoo.com.my", "hotmail.com", "outlook.com", "fpt.com.vn", "yahoo.co.id",
           "hotmail.co.th", "gmail.com", "singnet.com.sg", "streamyx.com", "globe.com.ph", "icloud.com"]


def email() -> str:
    return f"{R.choice(FIRST)}.{R.choice(LAST)}{R.randrange(1, 99)}@{R.choice(DOMAINS)}".replace("..", ".")


def public_ip() -> str:
    while True:
        value = R.choice(["175.139", "60.48", "115.132", "203.106", "110.159", "183.171", "14.192", "49.228",
                          "202.160", "125.25", "118.100", "113.210"]) + f".{R.randrange(1, 255)}.{R.randrange(1, 255)}"
        if pii.public_ip(value):
            return value


def dob(style: str) -> str:
    d = _date(1950, 2004)
    months_ms = ["Januari", "Februari", "Mac", "April", "Mei", "Jun", "Julai", "Ogos", "September", "Oktober",
                 "November", "Disember"]
    return {"dmy": f"{d:%d/%m/%Y}", "iso": d.isoformat(), "ms": f"{d.day} {months_ms[d.month - 1]} {d.year}",
            "en": f"{d.day} {d:%B %Y}", "be": f"{d:%d/%m}/{d.year + 543}"}[style]


MALAY_M = ["Ahmad Faizal", "Mohd Hafiz", "Muhammad Irfan", "Azman", "Khairul Anuar", "Razak"]
MALAY_F = ["Siti Aminah", "Nurul Huda", "Nur Aisyah", "Farah Nabila", "Noraini", "Zarina"]
FATHERS = ["Abdullah", "Hassan", "Ismail", "Yusof", "Kamal", "Osman", "Rahman"]
INDIAN = [("Muthu Kumar", "a/l", "Ramasamy"), ("Kavitha", "a/p", "Suppiah"), ("Rajesh", "s/o", "Krishnan"),
          ("Priya", "d/o", "Nair"), ("Suresh", "a/l", "Subramaniam")]
FULL = ["Tan Wei Ming", "Lim Mei Ling", "Nguyen Van An", "Maria Santos Reyes", "Budi Santoso", "Somchai Srisuk",
        "Dewi Lestari", "Tran Thi Hoa", "Chong Kok Wing", "Jose Dela Cruz"]
MY_ADDR = [("No. {n}, Jalan SS 2/{m}, Taman Bahagia, 47300 Petaling Jaya, Selangor"),
           ("Lot {n}, Jalan Ampang, 50450 Kuala Lumpur"),
           ("{n} Lorong Kenari {m}, Taman Kenari, 08000 Sungai Petani, Kedah"),
           ("No {n}, Jalan Mawar {m}, Taman Desa, 81300 Skudai, Johor"),
           ("{n}, Persiaran Gurney, 10250 George Town, Pulau Pinang")]
SG_ADDR = ["Blk {n} Ang Mo Kio Avenue {m}, #05-{u}, Singapore 560{n:03d}",
           "Blk {n} Tampines Street {m}, #11-{u}, Singapore 520{n:03d}",
           "{n} Raffles Place #20-{u} Singapore 048616"]


def malay_name() -> str:
    if R.random() < 0.5:
        return f"{R.choice(MALAY_M)} bin {R.choice(FATHERS)}"
    return f"{R.choice(MALAY_F)} binti {R.choice(FATHERS)}"


def indian_name() -> str:
    first, link, father = R.choice(INDIAN)
    return f"{first} {link} {father}"


def my_address() -> str:
    return R.choice(MY_ADDR).format(n=R.randrange(1, 99), m=R.randrange(1, 30))


def sg_address() -> str:
    return R.choice(SG_ADDR).format(n=R.randrange(100, 700), m=R.randrange(1, 10), u=R.randrange(100, 999))


# --------------------------------------------------------------------------- files

def python_my() -> list[Line]:
    out: list[Line] = [('"""Customer onboarding fixtures (Malaysia)."""', ()), ("", ()),
                       ("CUSTOMERS = [", ())]
    for _ in range(8):
        out.append(((f'    {{"name": "{malay_name()}", "ic_no": "{mykad()}", "phone": "{phone("MY")}", '
                    f'"email": "{email()}"}},'), ("person-name-malay", "my-nric", "my-phone", "email-address")))
    for _ in range(4):
        out.append((f'    {{"name": "{indian_name()}", "nric": "{mykad(False)}", "no_tel": "{bare(phone("MY"))}"}},',
                    ("person-name-indian", "my-nric-bare", "my-phone-bare")))
    out.append(("]", ()))
    out.append(("", ()))
    for _ in range(3):
        out.append((f'passport_no = "A{digits(8)}"', ("my-passport",)))
        out.append((f'old_ic = "K{R.choice("123456789")}{digits(6)}"', ("my-old-ic",)))
        out.append((f'lhdn_tin = "IG{R.choice("123456789")}{digits(10)}"', ("my-tax-number",)))
        out.append((f'epf_no = "{member_no(8)}"', ("my-epf-socso-number",)))
        out.append((f'army_no = "{member_no(7)}"', ("my-armed-forces-number",)))
        out.append((f'company_no = "20{R.randrange(10, 24)}0{R.choice("1234")}{digits(6)}"  # SSM',
                    ("my-ssm-company-number",)))
        out.append((f'office_tel = "{phone("MYL")}"', ("my-phone",)))
        out.append((f'alamat = "{my_address()}"', ("my-address",)))
        out.append((f'tarikh_lahir = "{dob("dmy")}"', ("date-of-birth",)))
    out.append(("", ()))
    out.append(("def test_lookup(client):", ()))
    for _ in range(4):
        out.append((f'    resp = client.get("/api/customers", params={{"mykad": "{mykad(False)}"}})', ("my-nric-bare",)))
    return out


def js_sg() -> list[Line]:
    out: list[Line] = [("// Singapore signup fixtures", ()), ("export const applicants = [", ())]
    for _ in range(8):
        out.append(((f'  {{ fullName: "{R.choice(FULL)}", nric: "{sg_nric()}", mobile: "{intl("SG", phone("SG"))}", '
                    f'email: "{email()}" }},'), ("person-name-label", "sg-nric", "sg-phone", "email-address")))
    for _ in range(4):
        out.append((f'  {{ finNo: "{sg_nric(R.choice("FGM"))}", hp: "{phone("SG")}", address: "{sg_address()}" }},',
                    ("sg-nric", "sg-phone-local", "sg-address", "sg-postal-code")))
    out.append(("];", ()))
    for _ in range(3):
        uen = R.choice(["197401143C", "00192200M", "S16FC0121D", "T01FC6132D", "201912345R", "53137435A", "53356632X"])
        out.append((f'const company = {{ uen: "{uen}", name: "Acme Pte Ltd" }};', ("sg-uen",)))
        out.append((f'const card = {{ cardNumber: "{card()}" }};', ("payment-card",)))
        out.append((f'const payout = {{ iban: "{iban_value()}" }};', ("iban",)))
    for _ in range(3):
        out.append((f'logger.info("login ok", {{ clientIp: "{public_ip()}" }});', ("public-ip-address",)))
        out.append((f'const traveller = {{ passportNo: "{R.choice("EK")}{member_no(7)}{R.choice("ABCDEFGHJK")}" }};',
                    ("sg-passport",)))
    return out


def sql_seed() -> list[Line]:
    out: list[Line] = [("-- seed data for the staging database", ()),
                       ("INSERT INTO customers (id, full_name, nric, phone, dob) VALUES", ())]
    for i in range(8):
        end = "," if i < 7 else ";"
        out.append((f"  ({i + 1}, '{R.choice(FULL)}', '{mykad(False)}', '{bare(phone('MY'))}', '{dob('iso')}'){end}",
                    ("my-nric-bare", "my-phone-bare", "date-of-birth")))
    out.append(("", ()))
    out.append(("INSERT INTO th_customers (citizen_id, phone, birth_date) VALUES", ()))
    for i in range(6):
        end = "," if i < 5 else ";"
        out.append((f"  ('{th_id(False)}', '{bare(phone('TH'))}', '{dob('iso')}'){end}",
                    ("th-citizen-id-bare", "th-phone-bare", "date-of-birth")))
    out.append(("", ()))
    out.append(("INSERT INTO pelanggan (nik, npwp, no_hp) VALUES", ()))
    for i in range(6):
        end = "," if i < 5 else ";"
        out.append((f"  ('{nik()}', '{npwp(False)}', '{bare(phone('ID'))}'){end}",
                    ("id-nik", "id-npwp-bare", "id-phone-bare")))
    out.append(("", ()))
    out.append(("INSERT INTO khach_hang (cccd, so_dien_thoai, ma_so_thue) VALUES", ()))
    for i in range(6):
        end = "," if i < 5 else ";"
        out.append((f"  ('{cccd()}', '{bare(phone('VN'))}', '{mst()}'){end}", ("vn-cccd", "vn-phone-bare", "vn-tax-code")))
    out.append(("", ()))
    out.append(("INSERT INTO members (sss_no, philhealth_no, tin, mobile) VALUES", ()))
    for i in range(6):
        end = "," if i < 5 else ";"
        out.append(((f"  ('{grouped((2, 7, 1))}', '{grouped((2, 9, 1))}', '{grouped((3, 3, 3))}-000', "
                    f"'{bare(phone('PH'))}'){end}"),
                    ("ph-sss-number", "ph-philhealth-number", "ph-tin", "ph-phone-bare")))
    return out


def csv_customers() -> list[Line]:
    out: list[Line] = [("name,nric,phone,email,dob,card_number", ())]
    for _ in range(20):
        name = R.choice(FULL)
        out.append((f"{name},{mykad(False)},{bare(phone('MY'))},{email()},{dob('dmy')},{card(sep='')}",
                    ("person-name-table", "my-nric-bare", "my-phone-bare", "email-address", "date-of-birth",
                     "payment-card-bare")))
    return out


def csv_staff() -> list[Line]:
    """A semicolon CSV whose name column says it holds full names (drawn last:
    the files above keep their values)."""
    out: list[Line] = [("Full Name;No. K/P;Mobile", ())]
    for _ in range(6):
        out.append((f"{R.choice(FULL)};{mykad(False)};{bare(phone('MY'))}",
                    ("person-name-column", "my-nric-bare", "my-phone-bare")))
    return out


def csv_sg_tab() -> list[Line]:
    out: list[Line] = [("nric\tmobile\tpostal_address", ())]
    for _ in range(10):
        out.append((f"{sg_nric()}\t{bare(phone('SG'))}\t{sg_address()}",
                    ("sg-nric", "sg-phone-local", "sg-address", "sg-postal-code")))
    return out


def json_records() -> list[Line]:
    out: list[Line] = [("[", ())]
    rows: list[Line] = []
    for _ in range(5):
        rows.append((f'  {{"nama_penuh": "{R.choice(FULL)}", "no_kp": "{mykad()}", "alamat": "{my_address()}"}}',
                     ("person-name-label", "my-nric", "my-address")))
        rows.append((f'  {{"citizen_id": "{th_id()}", "tel": "{intl("TH", phone("TH"))}"}}', ("th-citizen-id", "th-phone")))
        rows.append((f'  {{"ktp": "{nik()}", "npwp": "{npwp()}", "wa": "{intl("ID", phone("ID"))}"}}',
                     ("id-nik", "id-npwp", "id-phone")))
        rows.append((f'  {{"philsys_psn": "{grouped((4, 4, 4))}", "mobile": "{intl("PH", phone("PH"))}"}}',
                     ("ph-philsys-psn", "ph-phone")))
        rows.append((f'  {{"cccd": "{cccd()}", "sdt": "{intl("VN", phone("VN"))}"}}', ("vn-cccd", "vn-phone")))
    for i, (text, rules) in enumerate(rows):
        out.append((text + ("," if i < len(rows) - 1 else ""), rules))
    out.append(("]", ()))
    return out


def prompts() -> dict[str, list[Line]]:
    files: dict[str, list[Line]] = {}
    en: list[Line] = []
    for _ in range(4):
        en.append(((f"Can you debug this refund? Customer NRIC {sg_nric('S')}, phone {intl('SG', phone('SG'))}, "
                   f"card {card()} was charged twice."), ("sg-nric", "sg-phone", "payment-card")))
        en.append((f"Hi, my name is {R.choice(FULL)} and my IC is {mykad()}. My email is {email()}.",
                   ("person-name-label", "my-nric", "email-address")))
        en.append((f"The user logged in from {public_ip()} with date of birth {dob('en')}.",
                   ("public-ip-address", "date-of-birth")))
        en.append((f"Please wire it to IBAN {iban_value()} for {malay_name()}.", ("iban", "person-name-malay")))
    files["prompts_en.txt"] = en
    ms: list[Line] = []
    for _ in range(4):
        name = malay_name()
        label = ("person-name-label",) if len(name.split(" bin")[0].split()) >= 2 else ()
        ms.append((f"Tolong semak rekod ini. Nama: {name}, No. K/P {mykad()}, no. tel {phone('MY')}.",
                   (*label, "person-name-malay", "my-nric", "my-phone")))
        ms.append((f"Alamat pelanggan: {my_address()}. Tarikh lahir: {dob('ms')}.", ("my-address", "date-of-birth")))
        ms.append(((f"Kepada Encik {R.choice(['Razak Hamid', 'Azman Osman', 'Farid Kamal'])}, nombor pasport anda "
                   f"H{digits(8)} telah dikemas kini."), ("person-name-honorific", "my-passport")))
        ms.append((f"Nombor kad kredit saya {card(sep='')} dan No. KWSP {member_no(8)}.",
                   ("payment-card-bare", "my-epf-socso-number")))
    files["prompts_ms.txt"] = ms
    zh: list[Line] = []
    for _ in range(4):
        zh.append((f"客户资料：身份证号码 {mykad(False)}，电话 {phone('MY')}，请帮我写一个 SQL 查询。",
                   ("my-nric-bare", "my-phone")))
        zh.append((f"这位客户的出生日期 {dob('iso')}，信用卡 {card()}。", ("date-of-birth", "payment-card")))
        zh.append((f"新加坡客户身份证 {sg_nric()}，手机 {phone('SG')}。", ("sg-nric", "sg-phone-local")))
    files["prompts_zh.txt"] = zh
    ta: list[Line] = []
    for _ in range(4):
        ta.append((f"வாடிக்கையாளர் அடையாள அட்டை எண் {mykad(False)}, கைபேசி {phone('MY')}.",
                   ("my-nric-bare", "my-phone")))
        ta.append((f"பெயர்: {indian_name()}, பிறந்த தேதி {dob('dmy')}.", ("person-name-indian", "date-of-birth")))
    files["prompts_ta.txt"] = ta
    th: list[Line] = []
    for _ in range(4):
        th.append((f"ช่วยตรวจสอบข้อมูลลูกค้า เลขประจำตัวประชาชน {th_id()} เบอร์โทร {phone('TH')}",
                   ("th-citizen-id", "th-phone")))
        th.append((f"ลูกค้า บัตรประชาชน {th_id(False)} วันเกิด {dob('be')}",
                   ("th-citizen-id-bare", "th-date-of-birth-be")))
    files["prompts_th.txt"] = th
    id_: list[Line] = []
    for _ in range(4):
        id_.append(((f"Tolong perbaiki query ini untuk pelanggan dengan NIK {nik()}, NPWP {npwp()}, "
                    f"no HP {phone('ID')}."), ("id-nik", "id-npwp", "id-phone")))
        id_.append((f"Tanggal lahir: {dob('dmy')}, email {email()}.", ("date-of-birth", "email-address")))
    files["prompts_id.txt"] = id_
    vi: list[Line] = []
    for _ in range(4):
        vi.append((f"Khách hàng có số CCCD {cccd()}, SĐT {phone('VN')}, mã số thuế {mst()}.",
                   ("vn-cccd", "vn-phone", "vn-tax-code")))
        vi.append((f"Ngày sinh: {dob('dmy')}, căn cước công dân {cccd()}.", ("date-of-birth", "vn-cccd")))
        vi.append((f"Số CMND cũ của tôi là 0{member_no(8)}.", ("vn-cmnd",)))
    files["prompts_vi.txt"] = vi
    fil: list[Line] = []
    for _ in range(4):
        fil.append((f"Pakitingnan ang record: SSS No. {grouped((2, 7, 1))}, cellphone {phone('PH')}.",
                    ("ph-sss-number", "ph-phone")))
        fil.append((f"PhilHealth No. {grouped((2, 9, 1))} at TIN {grouped((3, 3, 3))}-000 ni {R.choice(FULL)}.",
                    ("ph-philhealth-number", "ph-tin")))
        fil.append((f"Ang aking PhilSys PSN ay {grouped((4, 4, 4))} at UMID CRN 0{grouped((3, 7, 1))}.",
                    ("ph-philsys-psn", "ph-umid-crn")))
        fil.append((f"Pangalan: {R.choice(FULL)}, Pag-IBIG MID No. {grouped((4, 4, 4))}.",
                    ("person-name-label", "ph-pagibig-number")))
        fil.append((f"Nakasulat sa PhilID ko ang PCN {grouped((4, 4, 4, 4))}.", ("ph-philsys-pcn",)))
    files["prompts_fil.txt"] = fil
    return files


_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O


def sg_plate() -> str:
    prefix = "S" + "".join(R.choice(_PLATE_LETTERS) for _ in range(2))
    number = R.randint(1, 9999)
    values = [ord(c) - 64 for c in prefix[-2:]] + [int(d) for d in f"{number:04d}"]
    check = "AZYXUTSRPMLKJHGEDCB"[sum(w * v for w, v in zip((9, 4, 5, 4, 3, 2), values)) % 19]
    return f"{prefix} {number} {check}"


def my_plate() -> str:
    return f"{R.choice('BJPWV')}{R.choice(_PLATE_LETTERS)}{R.choice(_PLATE_LETTERS)} {R.randint(1, 9999)}"


def public_ipv6() -> str:
    prefix = R.choice(["2404:6800:4001", "2001:e68:5400", "2400:cb00:2048", "2a03:2880:f10c"])
    return f"{prefix}:{R.randint(1, 0xfff):x}::{R.randint(1, 0xffff):x}"


def more() -> list[Line]:
    """Bank accounts, plates, IPv6 and Thai/Indonesian/Philippine addresses."""
    out: list[Line] = []
    for _ in range(3):
        out.append((f"Sila bayar ke akaun Maybank {R.randint(1, 9)}{digits(11)} sebelum Jumaat.", ("my-bank-account",)))
        out.append((f"No. Plat: {my_plate()}", ("my-vehicle-plate",)))
        out.append((f"Vehicle No: {sg_plate()}", ("sg-vehicle-plate",)))
        out.append((f"Failed login for user from {public_ipv6()} at 10:32", ("public-ipv6-address",)))
        out.append(((f"ที่อยู่ {R.randint(1, 99)}/{R.randint(1, 9)} หมู่ {R.randint(1, 9)} ตำบลบางพูด อำเภอปากเกร็ด "
                     f"จังหวัดนนทบุรี 11120"), ("th-address",)))
        out.append(((f"Alamat: Jl. Sudirman No. {R.randint(1, 99)}, RT 00{R.randint(1, 9)}/RW 00{R.randint(1, 9)}, "
                     f"Kel. Karet, Kec. Setiabudi, Jakarta Selatan 12920"), ("id-address",)))
        out.append((f"Address: {R.randint(1, 999)} Rizal St., Brgy. San Antonio, Makati City 1203 Metro Manila",
                    ("ph-address",)))
    for _ in range(3):
        out.append((f"Địa chỉ: Số {R.randint(1, 300)} đường Nguyễn Huệ, phường Bến Nghé, quận 1, TP. Hồ Chí Minh",
                     ("vn-address",)))
        out.append((f"dia_chi: Thon {R.randint(1, 9)}, xa Hoa Phu, huyen Hoa Vang, thanh pho Da Nang", ("vn-address",)))
        out.append((f"Giao tới {R.randint(1, 300)} Lê Lợi, P. Bến Thành, Q.1, TP.HCM giúp em", ("vn-address",)))
    # shapes without the administrative word the first ones carry (fixed
    # text, no draws: the values above stay as they were)
    # (a word on an earlier line counts when the window before a value holds
    # no other value: an account word must stay out of the MIDs' reach)
    out.append(('{"bank_account": "7012 4938 5621 0473"}', ("my-bank-account",)))
    out.append(("ส่งของที่ 12/3 ต.สุเทพ อ.เมือง เชียงใหม่ 50200", ("th-address",)))
    out.append(("ที่อยู่: 99/9 หมู่ 4 ตำบลบางกระสอ อำเภอเมืองนนทบุรี นนทบุรี 11000", ("th-address",)))
    out.append(('address = "Jl. Sudirman Kav. 52-53, Kebayoran Baru, Jakarta Selatan 12190"', ("id-address",)))
    out.append(("Pag-IBIG MID No: 1210 4738 2915", ("ph-pagibig-number",)))
    out.append(('{"pag_ibig_no": "121047382915"}', ("ph-pagibig-number",)))
    out.append(("GET /api/v1/users?email=" + email().replace("@", "%40") + "&page=2 HTTP/1.1", ("email-address-encoded",)))
    return out


def test_values() -> list[Line]:
    return [
        ('nric = "S1234567D"  # the NRIC every tutorial uses', ("sg-nric",)),
        ('card_number = "4111 1111 1111 1111"', ("payment-card",)),
        ('cc = "4242424242424242"', ("payment-card-bare",)),
        ("No. K/P: 900101-14-5673", ("my-nric",)),
        ("IBAN: DE89370400440532013000", ("iban",)),
    ]


# Decoys: every line is a look-alike that must not be reported.
DECOY_CODE = """\
created_at = 240115103045  # YYMMDDhhmmss
LOG_ID = "231231235959"
backup_name = "db_240115103045.tar.gz"
invoice_no = "200801034567"
batch = 201901000005
created_ms = 1718000000042
"timestamp": 1718000000077,
order_id = 850612105527
order_id = 3578106503880004
seed = 3171011708450001
snowflake = 1790000000000000042
sku = "SKU-S8512345I"
sku = "S8512345I-XL"
part = "s8512345i"
model = "T9912345J"
__version__ = "3.12.4.1"
release = "2.7.18.1"
ua = "Mozilla/5.0 Chrome/120.0.6099.109 Safari/537.36"
host = "192.168.1.20"
server = "10.0.0.15"
gateway = "172.16.5.4"
docs_ip = "203.0.113.7"
localhost = "127.0.0.1"
resolver = "8.8.8.8"
assert f(x) == 4539148803436467
MOD = 1000000007
TOTAL = 3589482315974603
phone = "0123456789"
count = 91234567
id = 0127384916
retry_after = 0812738491
sha = "a3f9850612105527bc"
uuid = "550e8400-e29b-41d4-a716-446655440000"
card = "4111 1111 1111 1112"
ref = "1234-5678-9012-3452"
contact = "user@example.com"
bounce = "noreply@github.com"
plate = template_id_1234
ts = "2024-01-15 23:59:59"  # host clock
remote_addr = "2001:db8::1"
mac = "00:1a:2b:3c:4d:5e"
logo = "icon@2x.png"
remote = "git@github.com:org/repo.git"
mailer = "dev@service.test"
bin_dir = "/usr/bin Python"
label = "Recycle Bin Folder"
Name: Build Wheels
name = 'Literate Haskell'
note = "Jalan-jalan cari makan di Selangor"
released = "2024-01-15"
expires = "15/03/2027"
created = "1990-03-15"
fiscal_year = "15/03/2533"
ratio = "a/l b"
pin_code = 1234
build = "850612-17-5527"
tracking = "2847-3916-5820"
batch_no = "34-5829173-6"
part_no = "0028-4719362-5"
invoice = "283-719-462-000"
mst = 0100233480
npwp_check = "01.312.166.1-091.000"
cccd_like = 099090012345
iban_like = "DE89370400440532013001"
sg_code = "Singapore 2024 population"
"""

DECOY_LOG = """\
2024-01-15 10:30:45,123 INFO worker-3 processed batch 240115103045 in 1718000000042 ms
10.0.0.15 - - [15/Jan/2024:10:30:45 +0000] "GET /api/v1/orders/850612105527 HTTP/1.1" 200 512
192.168.1.20 - - [15/Jan/2024:10:30:46 +0000] "POST /api/v1/login HTTP/1.1" 302 0
Jan 15 10:30:45 web01 sshd[24011]: Accepted publickey for deploy from 172.16.5.4 port 52144
k8s pod api-7d9f8b6c4-x2x9q restarted 3 times, image sha256:9b2f4a1e3c5d
python 3.11.7 (main, Dec 12 2023) [GCC 12.2.0] on linux, build 20231212
order 20190100000512 shipped, tracking 3578106503880004, weight 1.25 kg
job 201901000005 finished; exit 0; duration 00:01:32.441
payment ref 4539148803436467 reconciled
release v2.7.18.1 deployed to 10.20.30.40
"""

DECOY_CSV = """\
order_id,sku,qty,amount,created_at,tracking
850612105527,SKU-S8512345I,2,59.90,240115103045,3578106503880004
930725016643,SKU-T0291846Z,1,19.90,240116091512,3171011708450001
200801034567,SKU-G5829163W,5,9.90,240117153000,1718000000042
201901000005,SKU-M2047381Q,3,129.00,240118120000,4539148803436467
"""

DECOY_TEXT = """\
The release notes for version 3.12.4.1 list 240115103045 as the build stamp.
Our Q3 revenue grew 12.5% to RM 1,234,567,890 across 1,718 stores.
The warehouse at Lot 5 handled 850612 parcels in 2024.
Use any 16-digit number such as 1234 5678 9012 3456 for the demo form.
Call centre hours are 9 am to 6 pm, Monday to Friday.
The meeting moved from 15/03/2027 to 22/03/2027.
Bin sizes: small bin Medium bin Large.
Contact the team via the #support channel, not by e-mail.
The quan, xa and tinh columns of the survey are empty; huyện Hòa Vang has 11 communes.
version 2.4, Q.3 target, TP 7 of the roadmap.
"""


def _write(name: str, lines: list[Line], labels: dict[str, list[dict[str, object]]]) -> None:
    (HERE / name).write_text("\n".join(text for text, _ in lines) + "\n", encoding="utf-8")
    labels[name] = [{"rule": rule, "line": n} for n, (_, rules) in enumerate(lines, 1) for rule in rules]


def main() -> int:
    labels: dict[str, list[dict[str, object]]] = {}
    _write("customers_my.py", python_my(), labels)
    _write("signup_sg.js", js_sg(), labels)
    _write("seed.sql", sql_seed(), labels)
    _write("customers.csv", csv_customers(), labels)
    _write("sg_contacts.tsv", csv_sg_tab(), labels)
    _write("records.json", json_records(), labels)
    for name, lines in prompts().items():
        _write(name, lines, labels)
    _write("more_pii.txt", more(), labels)
    test_value_lines = test_values()
    (HERE / "test_values.py").write_text("\n".join(t for t, _ in test_value_lines) + "\n", encoding="utf-8")
    _write("staff.csv", csv_staff(), labels)
    decoys = {"decoys_code.py": DECOY_CODE, "decoys.log": DECOY_LOG, "decoys_orders.csv": DECOY_CSV,
              "decoys_text.txt": DECOY_TEXT}
    for name, text in decoys.items():
        (HERE / name).write_text(text, encoding="utf-8")
    out = ["# Expected findings per corpus file: (rule, line). Written by _generate.py; do not edit by hand.",
           "positives:"]
    for name, items in labels.items():
        out.append(f"  {name}:")
        out.extend(f"    - {{rule: {item['rule']}, line: {item['line']}}}" for item in items)
    out.append("# Known test values: reported, but at severity low with the test-value tag.")
    out.append("test_values:")
    out.append("  test_values.py:")
    out.extend(f"    - {{rule: {rule}, line: {n}}}" for n, (_, rules) in enumerate(test_value_lines, 1) for rule in rules)
    out.append("# Every non-empty line of a decoy file is a look-alike that must not be reported.")
    out.append("decoys: [" + ", ".join(decoys) + "]")
    (HERE / "labels.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
