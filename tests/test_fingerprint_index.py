"""Index build (incremental, deletions, public code, common fingerprints), lookup records, CLI."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dlp.errors import InputError
from dlp.fingerprint import (
    Match,
    build,
    code_regions,
    guess_language,
    lookup,
    open_index,
)

PRICING = textwrap.dedent(
    '''
    import math

    def quote_price(order, catalogue, *, region="EU"):
        """Price an order with volume tiers and regional surcharges."""
        total = 0.0
        for line in order.lines:
            item = catalogue[line.sku]
            unit = item.base_price * (1 - _tier_discount(line.quantity))
            if region in item.surcharges:
                unit += item.surcharges[region]
            total += round(unit * line.quantity, 2)
        if order.coupon and order.coupon.valid_for(region):
            total -= min(total * order.coupon.rate, order.coupon.cap)
        return max(total, 0.0)


    def _tier_discount(quantity):
        if quantity >= 1000:
            return 0.18
        if quantity >= 250:
            return 0.11
        if quantity >= 50:
            return 0.05
        return 0.0


    class Ledger:
        def __init__(self, store):
            self.store = store
            self.pending = []

        def post(self, entry):
            if entry.amount == 0:
                raise ValueError("empty entry")
            self.pending.append(entry)
            if len(self.pending) > 64:
                self.flush()

        def flush(self):
            batch, self.pending = self.pending, []
            with self.store.transaction() as tx:
                for entry in batch:
                    tx.insert("ledger", entry.account, entry.amount, entry.memo)
            return len(batch)
    '''
)

ROUTES = textwrap.dedent(
    """
    const express = require('express');

    function buildRouter(db, cache) {
      const router = express.Router();
      router.get('/accounts/:id', async (req, res) => {
        const hit = cache.get(req.params.id);
        if (hit) { return res.json(hit); }
        const row = await db.one('select * from accounts where id = $1', [req.params.id]);
        if (!row) { return res.status(404).end(); }
        cache.set(req.params.id, row, 30);
        res.json(row);
      });
      router.post('/accounts/:id/close', async (req, res) => {
        await db.tx(async (t) => {
          await t.none('update accounts set closed = true where id = $1', [req.params.id]);
          await t.none('insert into audit(kind, ref) values ($1, $2)', ['close', req.params.id]);
        });
        cache.delete(req.params.id);
        res.status(204).end();
      });
      return router;
    }

    module.exports = { buildRouter };
    """
)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src" / "pricing").mkdir(parents=True)
    (root / "src" / "web").mkdir(parents=True)
    (root / "src" / "pricing" / "engine.py").write_text(PRICING)
    (root / "src" / "web" / "routes.js").write_text(ROUTES)
    (root / "src" / "README.md").write_text("# not code\n")
    return root


def _fragment(text: str, start: int, end: int) -> str:
    return "\n".join(text.split("\n")[start - 1 : end])


def test_build_and_lookup_renamed_fragment(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.db"
    report = build([repo / "src"], out)
    assert sorted(Path(p).name for p in report.indexed) == ["engine.py", "routes.js"]
    assert report.full and not report.removed
    fragment = _fragment(PRICING, 4, 16).replace("total", "acc").replace("order", "o").replace("catalogue", "cat")
    prompt = f"Can you make this faster?\n\n```\n{fragment}\n```\n\nThanks!"
    with open_index(out) as index:
        matches = lookup(prompt, index)
    assert len(matches) == 1
    m = matches[0]
    assert isinstance(m, Match)
    assert m.source_path.endswith("engine.py")
    assert 4 <= m.source_start_line <= 6 and 14 <= m.source_end_line <= 16
    assert m.share >= 0.9 and m.matched >= 12
    assert m.language == "python"
    data = prompt.encode()
    assert data[m.start : m.end].decode().splitlines()[0].strip().startswith("def quote_price")
    assert (m.text_start_line, m.region_start_line) == (4, 4)
    with pytest.raises(AttributeError):
        m.share = 0.0  # type: ignore[misc]


def test_lookup_without_fences_and_unrelated_code(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.db"
    build([repo / "src"], out)
    pasted = "hi, this route leaks connections under load:\n" + _fragment(ROUTES, 5, 13) + "\nany idea why?"
    unrelated = "Why does this fail?\n```python\n" + textwrap.dedent(
        """
        def parse(argv):
            parser = argparse.ArgumentParser()
            parser.add_argument("--verbose", action="store_true")
            return parser.parse_args(argv)
        """
    ) + "```\n"
    with open_index(out) as index:
        found = lookup(pasted, index)
        assert [Path(m.source_path).name for m in found] == ["routes.js"]
        assert found[0].language == "javascript"
        assert lookup(unrelated, index) == ()
        assert lookup("no code here at all, just a question about pricing tiers.", index) == ()
        assert lookup(pasted, index, threshold=1.01) == ()


def test_incremental_rebuild_reindexes_only_changed_files(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.db"
    build([repo / "src"], out)
    again = build([repo / "src"], out)
    assert again.indexed == () and again.unchanged == 2 and not again.full

    engine = repo / "src" / "pricing" / "engine.py"
    engine.write_text(PRICING.replace("0.18", "0.2") + "\n\ndef extra(x):\n    return x * 2\n")
    changed = build([repo / "src"], out)
    assert [Path(p).name for p in changed.indexed] == ["engine.py"]
    assert changed.unchanged == 1 and changed.removed == ()

    # touched but identical content: no re-tokenising
    os.utime(engine, (1, 1))
    touched = build([repo / "src"], out)
    assert touched.indexed == () and touched.unchanged == 2

    (repo / "src" / "web" / "routes.js").unlink()
    removed = build([repo / "src"], out)
    assert [Path(p).name for p in removed.removed] == ["routes.js"]
    with open_index(out) as index:
        assert index.stats().files == 1
        assert lookup(_fragment(ROUTES, 5, 13), index) == ()
        db = sqlite3.connect(out)
        orphans = db.execute("SELECT COUNT(*) FROM fingerprints WHERE file_id NOT IN (SELECT id FROM files)")
        assert orphans.fetchone()[0] == 0


def test_public_code_does_not_count(repo: Path, tmp_path: Path) -> None:
    public = tmp_path / "site-packages" / "vendored"
    public.mkdir(parents=True)
    (public / "ledger.py").write_text(_fragment(PRICING, 30, 52))  # the Ledger class is public code
    out = tmp_path / "index.db"
    report = build([repo / "src"], out, public_dirs=[public.parent])
    assert report.public_files == 1
    with open_index(out) as index:
        assert index.stats().public_hashes > 0
        assert lookup(_fragment(PRICING, 30, 52), index) == ()
        assert [Path(m.source_path).name for m in lookup(_fragment(PRICING, 4, 16), index)] == ["engine.py"]


def test_frequent_fingerprints_are_common(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(6):
        (src / f"m{i}.py").write_text(PRICING.replace("Ledger", f"Ledger{i}"))
    out = tmp_path / "index.db"
    report = build([src], out, max_df=3)
    assert report.common > 0
    with open_index(out) as index:
        assert index.stats().fingerprints == 0  # everything is in 6 > 3 files
        assert lookup(_fragment(PRICING, 4, 16), index) == ()


def test_boilerplate_does_not_count(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    getters = "".join(
        f"    @property\n    def f{i}(self):\n        return self._f{i}\n\n" for i in range(12)
    )
    (src / "model.py").write_text("class Model:\n" + getters + 'if __name__ == "__main__":\n    main()\n')
    out = tmp_path / "index.db"
    build([src], out)
    with open_index(out) as index:
        assert lookup("class Model:\n" + getters, index) == ()


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        open_index(tmp_path / "missing.db")
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite")
    with pytest.raises(InputError):
        open_index(junk)
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"x = '\xe9'\n")
    report = build([binary, latin, tmp_path / "nope.py"], tmp_path / "i.db")
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons["blob.py"] == "binary file"
    assert reasons["latin.py"].startswith("invalid UTF-8")
    assert reasons["nope.py"] == "no such file or directory"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("def f(x):\n    return x is None\n", "python"),
        ("fn main() {\n    let mut v = Vec::new();\n    println!(\"{}\", v.len());\n}\n", "rust"),
        ("package main\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n", "go"),
        ("SELECT a, b FROM t WHERE a > 1 ORDER BY b;\n", "sql"),
        ("<?php\nfunction f($a) { echo $a; }\n", "php"),
        ("public class A {\n    @Override\n    public String toString() { return \"a\"; }\n}\n", "java"),
        ("def f\n  puts 'x'\nend\n", "ruby"),
        ("#include <stdio.h>\nint main(void) { printf(\"x\"); return 0; }\n", "c"),
        ("interface A { x: number; }\nconst a: A = { x: 1 };\n", "typescript"),
        ("fun main() {\n    val x: Int = 1\n    println(x)\n}\n", "kotlin"),
        ("public string Name { get; set; }\n", "csharp"),
        ("std::vector<int> v;\ntemplate <typename T> T id(T x) { return x; }\n", "cpp"),
    ],
)
def test_guess_language(text: str, language: str) -> None:
    assert guess_language(text) == language


def test_code_regions() -> None:
    text = (
        "Here is my function, it does not work:\n\n"
        "def f(a, b):\n    total = a + b\n    return total\n\n"
        "And the JS side:\n```js\nconst x = f(1, 2);\n```\nThanks.\n"
    )
    regions = code_regions(text)
    assert [(r.start_line, r.end_line, r.language, r.fenced) for r in regions] == [
        (3, 5, None, False),
        (9, 9, "javascript", True),
    ]


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlp.cli_index", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, check=False)


def test_cli_build_stats_query(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "idx.db"
    built = _cli("build", str(repo / "src"), "--out", str(out), "--exclude", "*.js")
    assert built.returncode == 0, built.stderr
    assert "1 indexed" in built.stdout
    stats = _cli("stats", str(out), "--json")
    figures = json.loads(stats.stdout)
    assert figures["files"] == 1 and figures["languages"] == {"python": 1} and figures["k"] == 12
    query = _cli("query", str(out), "-", stdin=_fragment(PRICING, 30, 52))
    assert query.returncode == 0, query.stderr
    result = json.loads(query.stdout)
    assert result["matches"][0]["source"]["path"].endswith("engine.py")
    assert set(result["matches"][0]["source"]) == {"path", "start_line", "end_line"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stats", "{tmp}/missing.db"), "no such index"),
        (("query", "{tmp}/junk.txt", "-"), "not a dlp index"),
        (("query", "{index}", "{tmp}/bin.txt"), "binary file"),
        (("query", "{index}", "{tmp}/latin.txt"), "invalid UTF-8"),
        (("query", "{index}", "{tmp}/missing.txt"), "cannot read"),
        (("query", "{index}", "--language", "cobol", "-"), "unknown language"),
        (("build", "{tmp}/notes.txt", "--out", "{tmp}/x.db"), "unknown language"),
    ],
)
def test_cli_errors_are_one_line(repo: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    index = tmp_path / "idx.db"
    build([repo / "src"], index)
    (tmp_path / "junk.txt").write_text("x")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01abc")
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9\n")
    (tmp_path / "notes.txt").write_text("notes\n")
    result = _cli(*(a.format(tmp=tmp_path, index=index) for a in args), stdin="")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


DOCUMENTED = textwrap.dedent(
    '''
    def settle(batch, ledger, fx):
        """Settle a batch of invoices.

        Every invoice is converted to the ledger currency with the day's rate,
        rounded half-even, and posted; failures are collected, not raised.
        """
        failures = []
        for invoice in batch:
            try:
                amount = fx.convert(invoice.amount, invoice.currency, ledger.currency)
                ledger.post(invoice.account, round(amount, 2), memo=invoice.number)
            except fx.RateMissing as exc:
                failures.append((invoice.number, str(exc)))
        return failures


    def reconcile(ledger, statement):
        """Match statement lines to ledger entries.

        Lines are matched on amount and reference first, then on amount alone
        within three days.
        """
        unmatched = []
        for line in statement:
            entry = ledger.find(amount=line.amount, reference=line.reference)
            if entry is None:
                entry = ledger.find_near(amount=line.amount, days=3, when=line.date)
            if entry is None:
                unmatched.append(line)
            else:
                entry.mark_reconciled(line)
        return unmatched
    '''
)


@pytest.mark.parametrize(("start", "end"), [(5, 16), (4, 24), (13, 34)])
def test_fragment_cut_inside_docstrings(tmp_path: Path, start: int, end: int) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "settle.py").write_text(DOCUMENTED)
    out = tmp_path / "index.db"
    build([src], out)
    fragment = _fragment(DOCUMENTED, start, end)
    with open_index(out) as index:
        for text in (fragment, f"```python\n{fragment}\n```", f"Why?\n\n{fragment}\n\nthanks"):
            assert [Path(m.source_path).name for m in lookup(text, index)] == ["settle.py"], text


def test_repetitive_code_matches_only_itself(tmp_path: Path) -> None:
    # a table of constants has a handful of distinct k-grams: another table of the same
    # shape must not match it, while a copy of real code next to it still does
    src = tmp_path / "src"
    src.mkdir()
    table = "".join(f"    static final int FIELD_{i} = {i * 4};\n" for i in range(40))
    (src / "Limits.java").write_text("class Limits {\n" + table + "}\n")
    (src / "pricing.py").write_text(PRICING)
    out = tmp_path / "index.db"
    build([src], out)
    other = "".join(f"    static final int OFFSET_{i} = {i * 7 + 1};\n" for i in range(30))
    with open_index(out) as index:
        assert lookup("```java\nclass Sizes {\n" + other + "}\n```", index) == ()
        assert lookup(_fragment(PRICING, 4, 24), index)


def test_fragment_cut_inside_a_trailing_comment(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    method = (  # short: its k-grams are judged together with the ones that follow it
        "  public function total($items, $rate) {\n    foreach ($items as $item) {\n"
        "      $sum += $item->price * $rate;\n    }\n    return round($sum, 2);\n  }\n\n"
    )
    doc = "  /**\n" + "".join(f"   * Rule {i}: if ($rate < {i}) {{ return -1; }} else => {{ $sum = [] }}\n"
                                for i in range(12)) + "   */\n"
    (src / "Pricing.php").write_text("<?php\nclass Pricing {\n" + method + doc + "}\n")
    out = tmp_path / "index.db"
    build([src], out)
    cut = method + doc[: doc.rindex("*/")]  # ends inside the doc comment
    with open_index(out) as index:
        assert lookup(f"```php\n{cut}\n```", index)
