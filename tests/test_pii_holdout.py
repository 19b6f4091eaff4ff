"""Recall and decoy rate of the personal-data packs on the held-out corpus.

    pytest -q tests/test_pii_holdout.py -s      # prints the figures, by country and kind

tests/corpus/pii_holdout/ is written apart from the rules (its _generate.py
imports no dlp code; values are checked with python-stdnum and phonenumbers),
to the issue's description of the maintainers' set: identifiers of all six
countries in code, CSV, JSON, SQL, YAML, logs and chat prompts in eight
languages, plus decoys. A positive counts as found when a finding on its line
overlaps its value with one of the rules that report its kind; a decoy counts
as flagged when any finding overlaps it (known test values excepted).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from dlp.model import Finding, Origin
from dlp.redact import Vault, redact_spans
from dlp.ruleset import Ruleset
from dlp.scan import TEST_VALUE_TAG, scan

CORPUS = Path(os.environ.get("DLP_HOLDOUT_DIR") or Path(__file__).parent / "corpus" / "pii_holdout")
LABELS = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
MIN_RECALL = 0.97
MAX_DECOY_RATE = 0.02

# The rules that may report each labelled kind.
KIND_RULES: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "my-nric": ["my-nric", "my-nric-bare", "my-epf-socso-number"],
    "my-old-ic": ["my-old-ic"],
    "my-passport": ["my-passport"],
    "my-armed-forces": ["my-armed-forces-number"],
    "my-phone": ["my-phone", "my-phone-bare"],
    "my-ssm": ["my-ssm-company-number"],
    "my-tax": ["my-tax-number"],
    "my-epf-socso": ["my-epf-socso-number"],
    "my-plate": ["my-vehicle-plate"],
    "my-address": ["my-address"],
    "sg-nric": ["sg-nric"],
    "sg-uen": ["sg-uen"],
    "sg-phone": ["sg-phone", "sg-phone-local"],
    "sg-address": ["sg-address", "sg-postal-code"],
    "th-id": ["th-citizen-id", "th-citizen-id-bare"],
    "th-phone": ["th-phone", "th-phone-bare"],
    "th-dob-be": ["th-date-of-birth-be"],
    "id-nik": ["id-nik"],
    "id-npwp": ["id-npwp", "id-npwp-bare", "id-nik"],
    "id-phone": ["id-phone", "id-phone-bare"],
    "ph-psn": ["ph-philsys-psn"],
    "ph-pcn": ["ph-philsys-pcn"],
    "ph-sss": ["ph-sss-number"],
    "ph-tin": ["ph-tin"],
    "ph-umid": ["ph-umid-crn"],
    "ph-philhealth": ["ph-philhealth-number"],
    "ph-phone": ["ph-phone", "ph-phone-bare"],
    "vn-cccd": ["vn-cccd"],
    "vn-mst": ["vn-tax-code"],
    "vn-phone": ["vn-phone", "vn-phone-bare"],
    "vn-address": ["vn-address"],
    "id-address": ["id-address"],
    "th-address": ["th-address"],
    "ph-address": ["ph-address"],
    "card": ["payment-card", "payment-card-bare"],
    "iban": ["iban"],
    "email": ["email-address", "email-address-encoded"],
    "public-ip": ["public-ip-address", "public-ipv6-address"],
    "dob": ["date-of-birth"],
    "name": ["person-name-malay", "person-name-indian", "person-name-honorific", "person-name-label",
             "person-name-column", "person-name-table"],
}.items()}

# Decoy kinds another rule may legitimately report (an SSM number is a company
# number: reporting it as such is right, reporting it as a MyKad is the trap).
DECOY_ALLOWED: dict[str, frozenset[str]] = {"ssm-as-mykad": frozenset({"my-ssm-company-number"})}

_ALNUM = re.compile(r"[\W_]+")


def _overlaps(finding: Finding, value: str) -> bool:
    a, b = _ALNUM.sub("", finding.value).lower(), _ALNUM.sub("", value).lower()
    return bool(a) and bool(b) and (a in b or b in a)


@dataclass(frozen=True, slots=True)
class Measure:
    total: Counter[str]      # labelled positives by "country/kind"
    found: Counter[str]
    missed: list[str]
    decoys: int
    flagged: list[str]

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / sum(self.total.values())

    @property
    def decoy_rate(self) -> float:
        return len(self.flagged) / self.decoys


def measure(ruleset: Ruleset, engine: str) -> Measure:
    by_file: dict[str, tuple[Finding, ...]] = {}

    def findings(name: str) -> tuple[Finding, ...]:
        if name not in by_file:
            data = (CORPUS / name).read_bytes()
            by_file[name] = scan(data, ruleset, origin=Origin(path=name), engine=engine)
        return by_file[name]

    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missed: list[str] = []
    for name, items in LABELS["positives"].items():
        for item in items:
            key = f"{item['country']}/{item['kind']}"
            total[key] += 1
            rules = KIND_RULES[item["kind"]]
            if any(f.line == item["line"] and f.rule_id in rules and _overlaps(f, str(item["value"]))
                   for f in findings(name)):
                found[key] += 1
            else:
                missed.append(f"{name}:{item['line']} {key}")
    decoys = 0
    flagged: list[str] = []
    for name, items in LABELS["decoys"].items():
        for item in items:
            decoys += 1
            allowed = DECOY_ALLOWED.get(item["kind"], frozenset())
            hits = [f.rule_id for f in findings(name) if f.line == item["line"] and f.rule_id not in allowed
                    and TEST_VALUE_TAG not in f.tags and _overlaps(f, str(item["value"]))]
            if hits:
                flagged.append(f"{name}:{item['line']} {item['kind']} <- {','.join(sorted(set(hits)))}")
    return Measure(total, found, missed, decoys, flagged)


def _report(m: Measure, engine: str) -> None:
    print(f"\n[{engine}] held-out recall {sum(m.found.values())}/{sum(m.total.values())} = {m.recall:.4f}; "
          f"decoys flagged {len(m.flagged)}/{m.decoys} = {m.decoy_rate:.4f}")
    for key in sorted(m.total):
        print(f"  {key:22} {m.found[key]:4}/{m.total[key]}")
    for item in m.missed:
        print(f"  missed: {item}")
    for item in m.flagged:
        print(f"  flagged: {item}")


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_holdout_recall_and_decoys(pii_ruleset: Ruleset, engine: str) -> None:
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    m = measure(pii_ruleset, engine)
    _report(m, engine)
    assert m.recall >= MIN_RECALL, m.missed
    assert m.decoy_rate <= MAX_DECOY_RATE, m.flagged


def test_holdout_covers_every_country_and_kind() -> None:
    kinds = Counter(item["kind"] for items in LABELS["positives"].values() for item in items)
    countries = {item["country"] for items in LABELS["positives"].values() for item in items}
    assert {"my", "sg", "th", "id", "ph", "vn"} <= countries
    assert not set(KIND_RULES) - set(kinds), f"kinds without a held-out example: {set(KIND_RULES) - set(kinds)}"
    assert sum(len(items) for items in LABELS["decoys"].values()) >= 300


def test_holdout_labels_point_at_their_values() -> None:
    for section in ("positives", "decoys"):
        for name, items in LABELS[section].items():
            lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
            for item in items:
                assert str(item["value"]) in lines[item["line"] - 1], f"{name}:{item['line']}"


def test_overlap_is_not_a_tautology() -> None:
    class _F:
        value = "850612-10-5527"
    assert _overlaps(_F(), "850612105527")  # type: ignore[arg-type]
    assert not _overlaps(_F(), "0127384916")  # type: ignore[arg-type]


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_singapore_plate_is_reported_once(pii_ruleset: Ruleset, engine: str) -> None:
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    data = b"Vehicle No: SBA 1234 G\nNo. Plat: SAB 1234 M\ncar_plate = \"SKV5821T\"\n"
    plates = [(f.line, f.rule_id) for f in scan(data, pii_ruleset, engine=engine) if "vehicle" in f.tags]
    assert plates == [(1, "sg-vehicle-plate"), (2, "my-vehicle-plate"), (3, "sg-vehicle-plate")]


def test_measure_notices_a_missing_rule(pii_ruleset: Ruleset) -> None:
    without_phones = Ruleset([rule for rule in pii_ruleset if "phone" not in rule.tags])
    m = measure(without_phones, "python")
    assert m.recall < MIN_RECALL
    assert m.found["my/my-phone"] == 0 and m.total["my/my-phone"] > 0


def _structure(name: str, text: str) -> object:
    """What redaction must keep of a file: JSON parses (to its shape), CSV
    rows keep their cells, every SQL line its quotes' parity."""
    if name.endswith(".json"):
        try:
            return _shape(json.loads(text))
        except json.JSONDecodeError:
            return None  # a payload with a prompt pasted after it
    if name.endswith(".csv"):
        return [len(row) for row in csv.reader(io.StringIO(text))]
    if name.endswith(".sql"):
        return [line.count("'") % 2 for line in text.splitlines()]
    return len(text.splitlines())


def _shape(value: object) -> object:
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return type(value).__name__


def test_redaction_keeps_each_file_parseable(pii_ruleset: Ruleset, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Every finding of the held-out files replaced by its placeholder: no
    span takes a closing quote, a delimiter or a line end with it."""
    monkeypatch.setenv("DLP_DATA_DIR", str(tmp_path))
    redacted_files = 0
    for path in sorted(CORPUS.iterdir()):
        if path.name.startswith("_") or path.name == "labels.yaml":
            continue
        text = path.read_text(encoding="utf-8")
        findings = scan(text.encode(), pii_ruleset, origin=Origin(path=path.name))
        spans = [(f.start, f.end, f.rule_id, f.category) for f in findings]
        redacted = redact_spans(text, spans, Vault())
        assert _structure(path.name, redacted) == _structure(path.name, text), path.name
        redacted_files += redacted != text
    assert redacted_files >= 30
