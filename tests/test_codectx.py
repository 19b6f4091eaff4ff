"""Generic findings confirmed against the syntax tree (dlp.codectx, via dlp.scan)."""
from __future__ import annotations

import pytest

from dlp.codectx import CodeView, mode_for
from dlp.fingerprint.tokenize import grammar, language_for_path
from dlp.model import Origin
from dlp.ruleset import load_ruleset
from dlp.scan import scan

RULESET = load_ruleset()

# (file name, text, generic findings expected with the file's grammar)
CASES = [
    # python
    ("a.py", 'DB_PASSWORD = "4iZJ1FYq4rZB!"\n', 1),
    ("a.py", 'conn = connect(host="db", password="Xk9A1bPJei4E")\n', 1),
    ("a.py", 'settings = {"api_key": "0Q2mZT21e1GiDg56YJYoesRrCgnacSKE"}\n', 1),
    ("a.py", 'def login(password="Xk9A1bPJei4E"):\n    pass\n', 1),
    ("a.py", 'class C:\n    password: str = "hNZ2MfA2iGXO"\n', 1),
    ("a.py", 'SQL = "ALTER ROLE app WITH password=\'Xk9A1bPJei4E\'"\n', 1),  # embedded: regex decides
    ("a.py", '# DB_PASSWORD = "4iZJ1FYq4rZB!"\n', 0),
    ("a.py", 'def f():\n    """Example:\n\n        password = "4iZJ1FYq4rZB!"\n    """\n', 0),
    ("a.py", '"""Module doc.\n\n    model = Model(password=\'IAmSensitive1\')\n"""\n', 0),
    ("a.py", 'password = "Xk9A1bPJei4E" + suffix\n', 0),
    ("a.py", 'app.config["SECRET_KEY"] = "Vd8qLx2ZmT7nRw4KpY9s"\n', 1),
    # javascript / typescript
    ("a.js", "const config = { db: { password: 'sX48QEIP9A#2' } };\n", 1),
    ("a.js", "class A { secret = 'iL6NkXt1FM4lOEyf46C3EL7a'; }\n", 1),
    ("a.js", "// const password = 'sX48QEIP9A#2';\n", 0),
    ("a.js", "/**\n * @example password: 'sX48QEIP9A#2'\n */\n", 0),
    ("a.js", "const token = 'iL6NkXt1FM4lOEyf46C3EL7a' + user.id;\n", 0),
    ("a.ts", 'const apiKey: string = "iL6NkXt1FM4lOEyf46C3EL7a";\n', 1),
    ("a.ts", 'type Fixture = { password: "sX48QEIP9A2x" };\n', 0),
    ("a.js", 'const { password = "sX48QEIP9A2x" } = options;\n', 1),
    # java, c#, kotlin
    ("A.java", 'class A { private static final String PASSWORD = "oegHM7PNTfWH14"; }\n', 1),
    ("A.java", 'class A { void f() { ds.setPassword("k1JKFzL2pZ53PG"); } }\n', 1),
    ("A.java", 'class A { /* PASSWORD = "oegHM7PNTfWH14" */ }\n', 0),
    ("A.cs", 'class A { void F() { cfg.Password = "nh9E48KOTxNB9"; } }\n', 1),
    ("A.cs", 'class A { void F() { Connect(password: "nh9E48KOTxNB9"); } }\n', 1),
    ("A.cs", 'class A {\n  // cfg.Password = "nh9E48KOTxNB9";\n}\n', 0),
    ("A.cs", 'class A { public string ApiKey { get; set; } = "Hn4TqZ8wLm2XvR7pKs3D"; }\n', 1),
    ("a.kt", 'val password = "nh9E48KOTxNB9"\n', 1),
    # go, rust, c
    ("a.go", 'package m\n\nconst Password = "nh9E48KOTxNB9"\n', 1),
    ("a.go", 'package m\n\nvar c = Cfg{Password: "nh9E48KOTxNB9"}\n', 1),
    ("a.go", 'package m\n\n// Password = "nh9E48KOTxNB9"\n', 0),
    ("a.go", 'package m\n\nfunc f() {\n\tvar dbPassword string = "Lq3VnT8xWk2Z"\n\t_ = dbPassword\n}\n', 1),
    ("a.rs", 'const PASSWORD: &str = "nh9E48KOTxNB9";\n', 1),
    ("a.c", 'const char *password = "nh9E48KOTxNB9";\n', 1),
    # default parameters
    ("a.ts", 'function connect(password: string = "Zq8Lm2xK9pR4vT7w") {}\n', 1),
    ("a.kt", 'fun connect(password: String = "Zq8Lm2xK9pR4vT7w") {}\n', 1),
    ("A.cs", 'class A { void F(string password = "Zq8Lm2xK9pR4vT7w") {} }\n', 1),
    ("a.cpp", 'void f(std::string password = "Zq8Lm2xK9pR4vT7w");\n', 1),
    ("a.rb", 'def connect(password: "Zq8Lm2xK9pR4vT7w")\nend\n', 1),
    ("a.php", "<?php\nfunction connect($password = 'Zq8Lm2xK9pR4vT7w') {}\n", 1),
    # a method called on the literal
    ("a.rb", 'API_KEY = "Zq8Lm2xK9pR4vT7w".freeze\n', 1),
    ("a.rs", 'fn main() { let api_key = "Zq8Lm2xK9pR4vT7w".to_string(); }\n', 1),
    ("a.py", 'SECRET_KEY = "Zq8Lm2xK9pR4vT7w".encode()\n', 1),
    ("a.tsx", 'const x = <Widget apiKey="Zq8Lm2xK9pR4vT7w" />;\n', 1),
    # ruby, php
    ("a.rb", 'h = { password: "nh9E48KOTxNB9" }\n', 1),
    ("a.rb", '# password = "nh9E48KOTxNB9"\n', 0),
    ("a.php", "<?php $db_password = 'NSwkbRg91i7D';\n", 1),
    ("a.php", "<?php define( 'DB_PASSWORD', 'EuThoPCXJV7jTCJh' );\n", 1),
    ("a.php", "<?php\n// $db_password = 'NSwkbRg91i7D';\n", 0),
    ("a.php", "<?php\n$config['db_password'] = 'Rt7kWz2QmX9p';\n", 1),
]


def _generic(text: str, path: str | None) -> list[str]:
    return [f.rule_id for f in scan(text.encode(), RULESET, origin=Origin(path=path)) if "generic" in f.tags]


@pytest.mark.parametrize(("path", "text", "expected"), CASES)
def test_generic_findings_follow_the_syntax_tree(path: str, text: str, expected: int) -> None:
    language = language_for_path(path)
    assert language is not None
    if grammar(language) is None:
        pytest.skip(f"no tree-sitter grammar for {language}")
    # the regular expression alone finds every case: the tree decides
    assert len(_generic(text, None)) == 1
    assert len(_generic(text, path)) == expected


def test_no_grammar_keeps_the_regex_decision() -> None:
    text = '# password = "4iZJ1FYq4rZB!"\n'
    for path in ("settings.yaml", "notes.txt", ".env", None):
        assert _generic(text, path) == ["generic-password-literal"]


def test_only_generic_rules_are_checked() -> None:
    # a provider token with its own format stays reported in a comment
    text = "# token: glpat-Zx8yR3qL7mN2pK4tV9wB\n"
    plain = [f.rule_id for f in scan(text.encode(), RULESET)]
    in_code = [f.rule_id for f in scan(text.encode(), RULESET, origin=Origin(path="a.py"))]
    assert plain == in_code


def test_document_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    if grammar("python") is None:
        pytest.skip("no tree-sitter grammar for python")
    calls = []
    loaded = grammar("python")
    real = type(loaded).parser

    def counting(self: object) -> object:
        calls.append(1)
        return real(self)  # type: ignore[arg-type]

    monkeypatch.setattr(type(loaded), "parser", counting)
    text = "".join(f'password_{i} = "Xk9A1bPJei4E{i}x"\n# token_{i} = "iL6NkXt1FM4lOEyf46C3EL7{i}"\n'
                   for i in range(5))
    found = _generic(text, "a.py")
    assert len(found) == 5
    assert len(calls) == 1
    calls.clear()
    assert _generic("x = 1\n", "a.py") == [] and calls == []  # nothing generic: no parse


def test_verdict_reasons() -> None:
    if grammar("python") is None:
        pytest.skip("no tree-sitter grammar for python")
    data = b'password = f"Xk9{x}A1bPJ"\nok = 1  # password = "Xk9A1bPJei4E"\n'
    view = CodeView.for_path(data, "a.py")
    start = data.index(b"Xk9A1bPJei4E")
    assert view.verdict(start, start + 12, "assignment").reason == "in a comment"
    start = data.index(b"Xk9{")
    assert view.verdict(start, start + 3, "assignment").reason == "interpolated string"
    assert CodeView.for_path(data, None).verdict(0, 3, "assignment").keep


def test_mode_for_tags() -> None:
    assert mode_for(("generic", "code-assignment")) == "assignment"
    assert mode_for(("generic", "code-call")) == "call"
    assert mode_for(("generic",)) == "text"
    assert mode_for(("github",)) is None


def test_checking_a_generic_finding_loads_the_tokenizer_not_the_index(tmp_path) -> None:
    """A pre-commit run that finds one generic password parses the file; it
    must not import the proprietary-code index (sqlite3, its dataclasses, the
    lookup's regexes) or pathspec: ~80 ms of a one-file scan (measured)."""
    import subprocess
    import sys

    source = tmp_path / "settings.py"
    source.write_text('db_password = "Xk9#mQ2vL7pR4tZ8"\n', encoding="utf-8")
    code = (
        "import sys\n"
        "from dlp.model import Origin\nfrom dlp.ruleset import load_ruleset\nfrom dlp.scan import scan\n"
        f"found = scan(open({str(source)!r}, 'rb').read(), load_ruleset(), origin=Origin(path={str(source)!r}))\n"
        "print([f.rule_id for f in found])\n"
        "print(sorted(m for m in ('sqlite3', 'pathspec', 'multiprocessing', 'dlp.fingerprint.index',\n"
        "                         'dlp.fingerprint.matches', 'dlp.codectx') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["['generic-password-literal']", "['dlp.codectx']"]
