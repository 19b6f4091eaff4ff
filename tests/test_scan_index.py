"""`dlp scan --index`: fragments of proprietary code in a tree, with the source they came from."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORE_RULES
from dlp.cli import main

pytest.importorskip("dlp.fingerprint")

PRICING = '''\
def quote_premium(customer, basket, rates, today):
    """Price a basket for one customer."""
    subtotal = 0.0
    for item in basket.items:
        base = rates.base_price(item.sku, today)
        if item.quantity >= rates.bulk_threshold(item.sku):
            base *= 1.0 - rates.bulk_discount(item.sku)
        if customer.tier == "gold":
            base *= 0.93
        elif customer.tier == "silver":
            base *= 0.97
        subtotal += base * item.quantity
    if subtotal > rates.free_shipping_above:
        shipping = 0.0
    else:
        shipping = rates.shipping_for(customer.region, basket.weight())
    tax = round(subtotal * rates.tax_rate(customer.region), 2)
    return round(subtotal + shipping + tax, 2)
'''

RENAMED = PRICING.replace("quote_premium", "calc").replace("customer", "c").replace("basket", "b").replace(
    "rates", "r").replace("subtotal", "total")


@pytest.fixture(autouse=True)
def _core_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLP_RULES_DIR", str(CORE_RULES.parent))


def test_scan_reports_proprietary_fragment_with_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proprietary" / "pricing").mkdir(parents=True)
    (tmp_path / "proprietary" / "pricing" / "engine.py").write_text("import math\n\n\n" + PRICING)
    assert main(["index", "build", "proprietary", "--out", "code.idx"]) == 0
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "copy.py").write_text("# helper\n" + RENAMED)
    (tmp_path / "work" / "other.py").write_text("def add(a, b):\n    return a + b\n")
    capsys.readouterr()
    code = main(["scan", "work", "--index", "code.idx", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    (finding,) = report["findings"]
    assert code == 1
    assert finding["category"] == "proprietary" and finding["path"] == "work/copy.py"
    assert finding["source"]["path"].endswith("pricing/engine.py")
    assert finding["source"]["start_line"] >= 4 and finding["line"] >= 2
    assert "quote" not in finding["masked"] and "def " not in finding["masked"]


def test_missing_index_is_a_config_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["scan", "a.py", "--index", "nope.idx"]) == 2
    assert "nope.idx" in capsys.readouterr().err
