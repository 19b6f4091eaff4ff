"""Tokenizer: renaming, literal changes, whitespace reflow and comments do not change the stream."""
from __future__ import annotations

import importlib
import random
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from dlp.fingerprint.tokenize import (
    LANGUAGES,
    has_grammar,
    language_for_path,
    language_name,
    render,
    tokenize,
)
from dlp.fingerprint.winnow import kgram_hashes, winnow_positions

# (original, variant): the variant renames identifiers, changes literals, reflows
# whitespace and adds comments; a third entry is a real change that must differ.
CASES: dict[str, tuple[str, str, str]] = {
    "python": (
        ('def total(items, rate=0.2):\n    s = 0\n    for it in items:\n        s += it.price * rate\n'
        '    return f"sum={s}", "done"\n'),
        ('def compute( rows,  factor = 7 ):  # renamed\n    acc = 10\n    for r in rows:\n'
        '        # loop\n        acc += r.cost * factor\n    return f"x{acc}" \\\n            , \'ok\'\n'),
        'def total(items, rate=0.2):\n    s = 0\n    while items:\n        s += items.pop()\n    return s\n',
    ),
    "javascript": (
        ("function total(items, rate) {\n  let s = 0;\n  for (const it of items) { s += it.price * rate; }\n"
        "  return `sum ${s}`;\n}\n"),
        ("// header\nfunction   compute(rows, factor)\n{\n  let acc = 42; /* init */\n"
        "  for (const r of rows) {\n    acc += r.cost * factor;\n  }\n  return 'plain';\n}\n"),
        "function total(items, rate) {\n  let s = 0;\n  items.forEach(it => s += it.price);\n  return s;\n}\n",
    ),
    "typescript": (
        ("function total(items: Item[], rate: number): string {\n  let s = 0;\n"
        "  for (const it of items) { s += it.price * rate; }\n  return `sum ${s}`;\n}\n"),
        ("function compute(rows: Row[],\n                 factor: number): string {\n  // c\n  let acc = 0x1f;\n"
        "  for (const r of rows) {\n    acc += r.cost * factor;\n  }\n  return \"x\";\n}\n"),
        "function total(items: Item[]): number {\n  return items.length;\n}\n",
    ),
    "java": (
        ("public int total(List<Item> items, int rate) {\n    int s = 0;\n"
        "    for (Item it : items) { s += it.price * rate; }\n    return s + \"x\".length();\n}\n"),
        ("/** doc */\npublic int compute(List<Row> rows,\n        int factor) {\n    int acc = 99; // start\n"
        "    for (Row r : rows) {\n        acc += r.cost * factor;\n    }\n    return acc + \"yy\".length();\n}\n"),
        "public int total(List<Item> items) {\n    return items.size();\n}\n",
    ),
    "go": (
        ("func total(items []Item, rate float64) float64 {\n\ts := 0.0\n\tfor _, it := range items {\n"
        "\t\ts += it.Price * rate\n\t}\n\treturn s + float64(len(\"x\"))\n}\n"),
        ("// Compute sums.\nfunc compute(rows []Row, factor float64) float64 {\n\tacc := 1.5\n"
        "\tfor _, r := range rows { acc += r.Cost * factor }\n\treturn acc + float64(len(`raw`))\n}\n"),
        "func total(items []Item) int {\n\treturn len(items)\n}\n",
    ),
    "c": (
        ("int total(const struct item *items, int n, int rate) {\n    int s = 0;\n"
        "    for (int i = 0; i < n; i++) s += items[i].price * rate;\n    puts(\"done\");\n    return s;\n}\n"),
        ("/* header */\nint compute(const struct row *rows, int count, int factor)\n{\n    int acc = 7; // x\n"
        "    for (int j = 1; j < count; j++)\n        acc += rows[j].cost * factor;\n    puts(\"other\");\n"
        "    return acc;\n}\n"),
        "int total(const struct item *items, int n) {\n    return n;\n}\n",
    ),
    "cpp": (
        ("int total(const std::vector<Item>& items, int rate) {\n    int s = 0;\n"
        "    for (const auto& it : items) { s += it.price * rate; }\n    return s + std::string(\"x\").size();\n}\n"),
        ("// c\nint compute(const std::vector<Row>& rows,\n            int factor)\n{\n    int acc = 5;\n"
        "    for (const auto& r : rows) {\n        acc += r.cost * factor;  /* add */\n    }\n"
        "    return acc + std::string(R\"(raw)\").size();\n}\n"),
        "int total(const std::vector<Item>& items) {\n    return items.size();\n}\n",
    ),
    "csharp": (
        ("public int Total(List<Item> items, int rate) {\n    var s = 0;\n"
        "    foreach (var it in items) { s += it.Price * rate; }\n    return s + $\"x{s}\".Length;\n}\n"),
        ("/// <summary>doc</summary>\npublic int Compute(List<Row> rows, int factor)\n{\n    var acc = 3;\n"
        "    foreach (var r in rows)\n    {\n        acc += r.Cost * factor; // add\n    }\n"
        "    return acc + @\"verbatim\".Length;\n}\n"),
        "public int Total(List<Item> items) {\n    return items.Count;\n}\n",
    ),
    "rust": (
        ("fn total(items: &[Item], rate: u32) -> u32 {\n    let mut s = 0;\n"
        "    for it in items { s += it.price * rate; }\n    s + \"x\".len() as u32\n}\n"),
        ("/// doc\nfn compute(rows: &[Row],\n           factor: u32) -> u32 {\n    let mut acc = 100; // start\n"
        "    for r in rows {\n        acc += r.cost * factor;\n    }\n    acc + r#\"raw\"#.len() as u32\n}\n"),
        "fn total(items: &[Item]) -> usize {\n    items.len()\n}\n",
    ),
    "kotlin": (
        ("fun total(items: List<Item>, rate: Int): Int {\n    var s = 0\n"
        "    for (it in items) { s += it.price * rate }\n    return s + \"x${s}\".length\n}\n"),
        ("// c\nfun compute(rows: List<Row>,\n            factor: Int): Int {\n    var acc = 12\n"
        "    for (r in rows) {\n        acc += r.cost * factor /* add */\n    }\n    return acc + \"\"\"raw\"\"\".length\n}\n"),
        "fun total(items: List<Item>): Int {\n    return items.size\n}\n",
    ),
    "php": (
        ("<?php\nfunction total($items, $rate) {\n    $s = 0;\n"
        "    foreach ($items as $it) { $s += $it->price * $rate; }\n    return $s . \"sum $s\";\n}\n"),
        ("<?php\n# c\nfunction compute($rows, $factor)\n{\n    $acc = 3; // x\n"
        "    foreach ($rows as $r) {\n        $acc += $r->cost * $factor;\n    }\n    return $acc . 'plain';\n}\n"),
        "<?php\nfunction total($items) {\n    return count($items);\n}\n",
    ),
    "ruby": (
        ("def total(items, rate)\n  s = 0\n  items.each do |it|\n    s += it.price * rate\n  end\n"
        "  \"sum #{s}\"\nend\n"),
        ("# doc\ndef compute(rows, factor)\n  acc = 9 # start\n  rows.each do |r|\n"
        "    acc += r.cost * factor\n  end\n  'plain'\nend\n"),
        "def total(items)\n  items.size\nend\n",
    ),
    "sql": (
        ("SELECT c.name, SUM(o.total) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id\n"
        "WHERE o.created_at > '2024-01-01' AND o.total > 100 GROUP BY c.name ORDER BY spent DESC;\n"),
        ("-- report\nselect k.title, sum(p.amount) as s\n  from clients k\n  join purchases p on p.client_ref = k.pk\n"
        " where p.ts > '1999-12-31' and p.amount > 5\n group by k.title\n order by s desc;\n"),
        "SELECT c.name FROM customers c WHERE c.id = 1;\n",
    ),
}


@pytest.fixture(params=["tree-sitter", "regex"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("language", sorted(CASES))
def test_normalisation_ignores_names_literals_layout_comments(language: str, engine: str) -> None:
    if engine == "tree-sitter" and not has_grammar(language):
        pytest.skip(f"no grammar for {language}")
    original, variant, changed = CASES[language]
    a = tokenize(original, language, engine=engine)
    b = tokenize(variant, language, engine=engine)
    c = tokenize(changed, language, engine=engine)
    assert a.engine == engine
    assert render(a) == render(b)
    assert a.stream != c.stream
    assert len(a.stream) > 15


@pytest.mark.parametrize("language", sorted(CASES))
def test_every_language_has_a_grammar_installed(language: str) -> None:
    assert has_grammar(language), f"tree-sitter grammar for {language} not installed"


def test_grammars_load_lazily() -> None:
    code = (
        "import sys\n"
        "from dlp.fingerprint import tokenize, lookup, build\n"
        "assert not any(m.startswith('tree_sitter') for m in sys.modules), sorted(sys.modules)\n"
        "tokenize('x = 1', 'python')\n"
        "assert 'tree_sitter_python' in sys.modules and 'tree_sitter_rust' not in sys.modules\n"
        "tokenize('fn main() {}', 'rust')\n"
        "assert 'tree_sitter_rust' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_missing_grammar_falls_back_to_regex(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("dlp.fingerprint.tokenize")
    monkeypatch.setitem(module._grammars, "go", None)
    tokens = tokenize("func f() int {\n\treturn 1 // one\n}\n", "go")
    assert tokens.engine == "regex"
    assert render(tokens).split() == [render(tokenize("func", "go"))] + list("I()I{") + [
        render(tokenize("return", "go"))
    ] + ["N", "}"]


def test_unknown_language_uses_generic_tokenizer() -> None:
    tokens = tokenize("foo(bar, 'x') // c\n", None)
    assert tokens.engine == "regex" and render(tokens) == "I ( I , S )"
    with pytest.raises(ValueError):
        tokenize("x", "cobol")


def test_lines_are_kept() -> None:
    tokens = tokenize('a = 1\n"""two\nlines"""\n\nb = c  # x\n', "python")
    assert render(tokens) == "I = N S I = I"
    assert [tokens.line_of(i) for i in range(len(tokens))] == [1, 1, 1, 2, 5, 5, 5]


def test_imports_and_license_headers_produce_nothing() -> None:
    source = "# Copyright 2024 ACME\n# Licensed under ...\nimport os\nfrom a.b import c, d\n"
    assert tokenize(source, "python").stream == b""
    assert tokenize('#include <stdio.h>\n#include "x.h"\n/* (c) ACME */\n', "c").stream == b""
    assert tokenize("package a.b;\nimport java.util.List;\n", "java").stream == b""


@pytest.mark.parametrize(
    ("path", "language"),
    [("a/b.py", "python"), ("x.TSX", "tsx"), ("m.h", "c"), ("m.hpp", "cpp"), ("p.cs", "csharp"),
     ("q.kt", "kotlin"), ("README", None), ("a.b/c", None), ("x.sql", "sql")],
)
def test_language_for_path(path: str, language: str | None) -> None:
    assert language_for_path(path) == language


def test_language_names() -> None:
    assert language_name("C#") == "csharp" and language_name("py") == "python" and language_name("bash") is None
    assert set(LANGUAGES) >= {"python", "javascript", "typescript", "java", "go", "c", "cpp", "csharp", "rust",
                              "kotlin", "php", "ruby", "sql"}


def _reference_winnow(hashes: list[int], w: int) -> list[int]:
    """Robust winnowing exactly as in the paper: slide one window at a time."""
    if len(hashes) < w:
        return [len(hashes) - 1 - hashes[::-1].index(min(hashes))] if hashes else []
    out: list[int] = []
    last = -1
    for start in range(len(hashes) - w + 1):
        window = hashes[start : start + w]
        low = min(window)
        if last >= start and hashes[last] == low:
            continue
        last = start + w - 1 - window[::-1].index(low)
        out.append(last)
    return out


def test_winnowing_matches_reference() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        w = rng.randint(1, 12)
        hashes = [rng.randint(0, rng.choice((3, 50, 10**9))) for _ in range(rng.randint(0, 90))]
        assert winnow_positions(hashes, w) == _reference_winnow(hashes, w)


def test_winnowing_guarantee() -> None:
    """Any shared run of at least w + k - 1 tokens yields a shared fingerprint."""
    rng = random.Random(11)
    k, w = 5, 4
    alphabet = b"ISN(),.=+"
    for _ in range(300):
        shared = bytes(rng.choice(alphabet) for _ in range(w + k - 1))
        a = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) + shared + bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        b = bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) + shared + bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        ha, hb = kgram_hashes(a, k), kgram_hashes(b, k)
        fa = {ha[p] for p in winnow_positions(ha, w)}
        fb = {hb[p] for p in winnow_positions(hb, w)}
        assert fa & fb


def test_boilerplate_snippets_tokenise_alike_in_both_engines() -> None:
    from dlp.fingerprint.boilerplate import SNIPPETS

    for language, snippets in SNIPPETS.items():
        if not has_grammar(language):
            continue
        for name, text in snippets.items():
            a = tokenize(text, language, engine="regex").stream
            b = tokenize(text, language, engine="tree-sitter").stream
            assert a == b, f"{language} {name}"


# real code on this machine the auto engine is compared on (missing trees are skipped)
_STDLIB = Path(sysconfig.get_paths()["stdlib"])
_REAL_CODE: dict[str, tuple[Path, str]] = {
    "python": (_STDLIB, "*.py"),
    "javascript": (Path("/usr/lib/node_modules/npm"), "**/*.js"),
    "php": (Path("/usr/lib/google-cloud-sdk/platform/google_appengine/php"), "**/*.php"),
}


@pytest.mark.parametrize("language", sorted(_REAL_CODE))
def test_auto_engine_reads_real_code_like_the_grammar(language: str) -> None:
    root, pattern = _REAL_CODE[language]
    if not has_grammar(language) or not root.is_dir():
        pytest.skip(f"no {language} grammar or no {root}")
    files = sorted(root.glob(pattern))
    random.Random(8).shuffle(files)
    used = {"regex": 0, "tree-sitter": 0}
    for path in files[:100]:
        data = path.read_bytes()
        auto = tokenize(data, language, engine="auto")
        parsed = tokenize(data, language, engine="tree-sitter")
        used[auto.engine] += 1
        assert (auto.stream, auto.line_starts) == (parsed.stream, parsed.line_starts), path
    assert used["regex"] >= 30, used  # the fast path is taken: the comparison is not vacuous


@pytest.mark.parametrize(("language", "source"), [
    ("javascript", 'const quote = /"/;\nconst s = "a";\n'),  # a regular expression literal
    ("javascript", "const a = `x ${b ? `y` : 'z'}`;\n"),  # nested template literals
    ("python", 'x = f"{d["k"]}"\n'),  # Python 3.12 f-string quoting
    ("rust", "fn f<'a>(x: &'a str) -> &'a str { x }\n"),  # lifetimes look like char literals
    ("c", "int n = 1'000;\n"),
    ("ruby", "x = 1\n"),  # no regular-expression reading of Ruby at all
])
def test_auto_engine_parses_what_the_regex_engine_misreads(language: str, source: str) -> None:
    if not has_grammar(language):
        pytest.skip(f"no {language} grammar")
    assert tokenize(source, language, engine="auto").engine == "tree-sitter"


def test_auto_engine_takes_the_regex_engine_on_plain_code() -> None:
    tokens = tokenize("def f(a):\n    return a + 1  # note\n", "python", engine="auto")
    assert tokens.engine == "regex"
    assert tokens.stream == tokenize("def f(a):\n    return a + 1\n", "python", engine="tree-sitter").stream


def test_regex_engine_reads_multiline_imports_like_the_grammar() -> None:
    cases = {
        "python": "from a import (\n    b,  # why (not c)\n    d,\n)\nx = 1\n",
        "javascript": "import {\n  a,\n  b,\n} from 'c'\nconst x = 1\n",
        "go": 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nvar x = 1\n',
        "rust": "use std::{\n    fmt,\n    io,\n};\nfn f() {}\n",
    }
    for language, source in cases.items():
        regex = tokenize(source, language, engine="regex")
        assert render(regex) == render(tokenize(source.split("\n", source.count("\n") - 1)[-1], language,
                                                engine="regex")), language
        if has_grammar(language):
            assert regex.stream == tokenize(source, language, engine="tree-sitter").stream, language
