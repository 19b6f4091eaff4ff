"""Special categories near personal data (dlp/special.py): health, religion,
offences, biometrics and political opinions make a value sensitive data,
reported at the highest tier; the policy's ``sensitive`` action then applies."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlp.model import Severity
from dlp.policy import parse_policy
from dlp.ruleset import Selection, load_ruleset
from dlp.scan import SPECIAL_TAG, scan
from dlp.special import SPECIAL_TERMS, special_category

PHONE = "012-738 4916"


@pytest.fixture(scope="module")
def pii():  # type: ignore[no-untyped-def]
    return load_ruleset(Selection(enable_packs=("pii",)))


@pytest.mark.parametrize(("text", "category"), [
    # health, in eight languages, in prose, keys and identifiers
    (f"Patient diagnosed with HIV, phone {PHONE}", "health"),
    (f'{{"phone": "{PHONE}", "medical_condition": "asthma"}}', "health"),
    (f"diagnosisCode = 'E11'; phone = '{PHONE}'", "health"),
    (f"Pesakit kencing manis, tel {PHONE}", "health"),
    (f"Pasien rawat inap, riwayat penyakit jantung, HP {PHONE}", "health"),
    (f"患者电话 {PHONE}，诊断：糖尿病", "health"),
    (f"நோயாளி தொலைபேசி {PHONE}", "health"),
    (f"ผู้ป่วย โทร {PHONE}", "health"),
    (f"Bệnh nhân, SĐT {PHONE}", "health"),
    (f"Pasyente, telepono {PHONE}", "health"),
    # religion, offences, biometrics, political opinions
    (f"agama: Islam, telefon {PHONE}", "religion"),
    (f"Religion: Buddhist. Phone {PHONE}", "religion"),
    (f"宗教 佛教 电话 {PHONE}", "religion"),
    (f"Rekod jenayah: ada. Tel {PHONE}", "criminal"),
    (f"ex-prisoner, released 2019, phone {PHONE}", "criminal"),
    (f"tiền án: không, SĐT {PHONE}", "criminal"),
    (f"fingerprint template enrolled for {PHONE}", "biometric"),
    (f"sidik jari terdaftar, HP {PHONE}", "biometric"),
    (f"指纹 已录入 电话 {PHONE}", "biometric"),
    (f"political party: PKR, tel {PHONE}", "political"),
    # words that are not those categories
    (f"Customer phone {PHONE}", None),
    (f"Please be patient, call {PHONE}", None),                  # "patient" alone is not health
    (f"health_check_url = 'http://x/healthz'  # ops {PHONE}", None),
    (f"Bank Islam account holder, tel {PHONE}", None),           # a bank's name
    (f"No. 3, Jalan Masjid India, KL. Tel {PHONE}", None),        # a street's name
    (f"key fingerprint SHA256:abc, owner tel {PHONE}", None),    # a digest, not a finger
    (f"disabled = True  # tel {PHONE}", None),
    (f"FreeBSD jail on host {PHONE}", None),
    (f"signed in good faith, tel {PHONE}", None),
    (f"criminalistics? no: cancer{PHONE}x", None),                 # glued words are not words
])
def test_special_category_next_to_a_value(text: str, category: str | None) -> None:
    data = text.encode()
    start = data.index(PHONE.encode())
    assert special_category(data, start, start + len(PHONE.encode())) == category


def test_window_is_a_hundred_characters_each_side() -> None:
    # a term wholly within 100 characters of the value counts
    for gap, expected in ((91, "health"), (92, None)):
        data = f"diagnosis{' ' * gap}{PHONE}".encode()
        start = data.index(PHONE.encode())
        assert special_category(data, start, start + len(PHONE)) == expected
        data = f"{PHONE}{' ' * gap}diagnosis".encode()
        assert special_category(data, 0, len(PHONE)) == expected
    # on the value's line only: the next line is often another person's record
    data = f"Ang TIN ko ay {PHONE}\nPhilHealth number ng pasyente: 12\n".encode()
    assert special_category(data, 14, 14 + len(PHONE)) is None
    assert special_category(data.replace(b"\n", b" ", 1), 14, 14 + len(PHONE)) == "health"
    # a word cut by the window's edge is not the word it ends with
    data = f"xdiagnosis{' ' * 91}{PHONE}".encode()
    start = data.index(PHONE.encode())
    assert special_category(data, start, start + len(PHONE)) is None


def test_a_table_header_makes_every_row_special() -> None:
    rows = "".join(f"Ali {i},{'0' * 300},01{i}-738 4916,E11\n" for i in range(2, 9))
    data = f"nama,nota,telefon,diagnosis\n{rows}".encode()
    start = data.rindex(b"018-738 4916")
    assert special_category(data, start, start + 12) == "health"
    plain = data.replace(b",diagnosis", b",kod")
    start = plain.rindex(b"018-738 4916")
    assert special_category(plain, start, start + 12) is None


NRIC = "850612-10-5527"
JSON_LIST = f"""[
  {{
    "name": "Ali",
    "nric": "{NRIC}",
    "diagnosis": "HIV"
  }},
  {{
    "name": "Abu",
    "nric": "900101-14-5673"
  }}
]
"""
YAML_LIST = f"""- name: Ali
  nric: {NRIC}
  diagnosis: HIV
- name: Abu
  nric: 900101-14-5673
  agama: Islam
"""


@pytest.mark.parametrize(("text", "value", "category"), [
    # the other members of the value's JSON or YAML object, on other lines
    (JSON_LIST, NRIC, "health"),
    (JSON_LIST, "900101-14-5673", None),                # the next object is another record
    (YAML_LIST, NRIC, "health"),
    (YAML_LIST, "900101-14-5673", "religion"),          # its own item's agama, not Ali's diagnosis
    (f'customer = {{\n    "nric": "{NRIC}",\n    "medical": {{\n        "condition": "asthma"\n    }}\n}}\n',
     NRIC, "health"),                                    # a nested member
    (f'{{\n  "medical": {{\n    "condition": "asthma"\n  }},\n  "nric": "{NRIC}"\n}}\n',
     NRIC, "health"),                                    # ... above the value, past its closing brace
    (f'{{\r\n  "medical": {{\r\n    "condition": "asthma"\r\n  }},\r\n  "nric": "{NRIC}"\r\n}}\r\n',
     NRIC, "health"),                                    # ... with CRLF line ends
    # the key the record is the value of
    (f"patients:\n  - nric: {NRIC}\n    notes: ok\n", NRIC, "health"),
    (f'{{"patient_records": [\n  {{\n    "nric": "{NRIC}"\n  }}\n]}}\n', NRIC, "health"),
    # where a record ends: a blank line, a shallower line, a line that is no member
    (f'{{\n  "nric": "{NRIC}",\n\n  "diagnosis": "HIV"\n}}\n', NRIC, None),
    (f'{{\n  "a": {{\n    "nric": "{NRIC}"\n  }},\n  "diagnosis": "HIV"\n}}\n', NRIC, None),
    (f"# diagnosis codes below\nx = 1\nnric: {NRIC}\n", NRIC, None),
    # an SQL INSERT: its table and columns, however far the row
    ("INSERT INTO patients (name, nric) VALUES\n" + "('x', '1'),\n" * 20 + f"('Ali', '{NRIC}');\n",
     NRIC, "health"),
    ("INSERT INTO customers (name, nric, agama) VALUES\n" + "('x', '1', 'y'),\n" * 20
     + f"('Ali', '{NRIC}', 'z');\n", NRIC, "religion"),
    (f"INSERT INTO customers (name, nric) VALUES ('Ali', '{NRIC}');\n-- diagnosis\n", NRIC, None),
    # a value on a line that is no member line has no record
    (f"The IC is {NRIC}.\ndiagnosis: HIV\n", NRIC, None),
    # a term only the record holds, not in ASCII: the object is walked
    (f'{{\n  "nric": "{NRIC}",\n  "病历": "x"\n}}\n', NRIC, "health"),
    (f'{{\n  "nric": "{NRIC}",\n  "nama": "Siti Aishah"\n}}\n', NRIC, None),
])
def test_special_category_of_a_record(text: str, value: str, category: str | None) -> None:
    data = text.encode()
    start = data.index(value.encode())
    assert special_category(data, start, start + len(value)) == category


def test_every_term_is_found_in_its_category() -> None:
    for category, terms in SPECIAL_TERMS.items():
        for term in terms:
            data = f"{term} : {PHONE}".encode()
            start = data.index(PHONE.encode())
            assert special_category(data, start, start + len(PHONE)) == category, term


def test_scan_reports_a_special_value_at_the_highest_tier(pii) -> None:  # type: ignore[no-untyped-def]
    plain, = scan(f"Customer phone {PHONE}\n".encode(), pii)
    special, = scan(f"Patient phone {PHONE}, diagnosed with HIV\n".encode(), pii)
    assert plain.rule_id == special.rule_id == "my-phone"
    assert plain.severity < Severity.CRITICAL and special.severity is Severity.CRITICAL
    assert plain.attribute("pii_class") == "personal" and special.attribute("pii_class") == "sensitive"
    assert special.attribute("special_category") == "health" and plain.attribute("special_category") is None
    assert "tier-1" in special.tags and SPECIAL_TAG in special.tags
    assert not any(t in special.tags for t in ("tier-2", "tier-3")) and SPECIAL_TAG not in plain.tags
    policy = parse_policy({"pii": {"actions": {"personal": "redact", "sensitive": "block"}}})
    assert [policy.action_for(f).value for f in (plain, special)] == ["redact", "block"]


def test_a_test_value_stays_at_the_lowest_tier(pii) -> None:  # type: ignore[no-untyped-def]
    found, = scan(b"patient nric S1234567D diagnosed with HIV\n", pii)
    assert found.severity is Severity.LOW and found.attribute("special_category") is None
    assert "tier-3" in found.tags and "tier-1" not in found.tags and "test-value" in found.tags


def test_secrets_are_not_touched() -> None:
    from conftest import GITHUB_TOKEN

    secrets = load_ruleset(Selection())
    found = [f for f in scan(f"medical records api token = {GITHUB_TOKEN}\n".encode(), secrets)
             if f.rule_id == "github-pat"]
    assert found and found[0].attribute("special_category") is None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.data())
def test_any_bytes_and_offsets_give_a_category_or_none(data: bytes, draw: st.DataObject) -> None:
    # invalid UTF-8, NULs, lone brackets, huge indentation: never an exception
    start = draw.draw(st.integers(0, len(data)))
    end = draw.draw(st.integers(start, len(data)))
    assert special_category(data, start, end) in (None, *SPECIAL_TERMS)


class _EveryWord:
    """A first-word precheck that never rules a text out: the slow path everywhere."""

    def any_in(self, data: bytes) -> bool:
        return True


_MEMBERS = ['"nric": "{v}",', '"diagnosis": "HIV",', '"agama": "Islam",', '"note": "ok",', "{", "},", "- nric: {v}",
            "  notes: ok", "patients:", "", "x = 1", '"病历": "x",', "medical:", "  condition: asthma"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from(_MEMBERS)), min_size=1, max_size=14), st.data())
def test_the_record_precheck_changes_no_category(lines: list[tuple[int, str]], draw: st.DataObject) -> None:
    """Objects of member lines, terms among them or not: the category is the
    one the line-by-line walk gives without any precheck."""
    from dlp import special

    text = "\n".join(" " * (2 * depth) + line.replace("{v}", NRIC) for depth, line in lines) + "\n"
    data = text.encode()
    starts = [i for i in range(len(data)) if data.startswith(NRIC.encode(), i)]
    if not starts:
        return
    start = draw.draw(st.sampled_from(starts))
    fast = special_category(data, start, start + len(NRIC))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(special, "_first_words", lambda: _EveryWord())
        assert special_category(data, start, start + len(NRIC)) == fast
