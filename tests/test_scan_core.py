"""Scanner behaviour on a small rule pack, in every engine."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GITHUB_TOKEN, GITHUB_TOKEN_BAD_CRC
from dlp.engine import ENGINES, hyperscan_available
from dlp.model import Category, Origin, Severity
from dlp.scan import scan

ENGINE_PARAMS = [
    pytest.param(e, marks=pytest.mark.skipif(e == "hyperscan" and not hyperscan_available(), reason="no hyperscan"))
    for e in ENGINES
]


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


def ids(findings) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule_id for f in findings]


def test_finding_fields(core_ruleset, engine: str) -> None:
    data = f'a = 1\n    token = "{GITHUB_TOKEN}"\n'.encode()
    (f,) = scan(data, core_ruleset, origin=Origin(path="src/app.py"), engine=engine)
    assert f.rule_id == "t-github-pat"
    assert f.category is Category.SECRET and f.severity is Severity.HIGH
    assert (f.line, f.column, f.end_line, f.end_column) == (2, 14, 2, 54)
    assert data[f.start:f.end].decode() == GITHUB_TOKEN == f.value
    assert f.masked == "ghp_****..." and GITHUB_TOKEN not in f.masked
    assert f.fingerprint.startswith("sha256:") and len(f.fingerprint) == 71
    assert f.path == "src/app.py"
    assert GITHUB_TOKEN not in repr(f)


def test_checksum_failure_is_not_reported(core_ruleset, engine: str) -> None:
    assert scan(f'gh = "{GITHUB_TOKEN_BAD_CRC}"'.encode(), core_ruleset, engine=engine) == ()
    # still a high-entropy value assigned to a secret-like name: the generic rule may report it,
    # but never as the provider's token
    assert "t-github-pat" not in ids(scan(f'token = "{GITHUB_TOKEN_BAD_CRC}"'.encode(), core_ruleset, engine=engine))


@pytest.mark.parametrize(
    "line",
    [
        f'token = "{GITHUB_TOKEN}"  # dlp:allow',
        f'token = "{GITHUB_TOKEN}"  # dlp:allow t-github-pat',
        f'token = "{GITHUB_TOKEN}"  # pragma: allowlist secret',
        f'token = "{GITHUB_TOKEN}"  // gitleaks:allow',
        f'token = "{GITHUB_TOKEN}"  /* trufflehog:ignore */',
        f'token = "{GITHUB_TOKEN}"  -- dlp:allow',
    ],
)
def test_inline_allow_markers(core_ruleset, engine: str, line: str) -> None:
    assert scan(line.encode(), core_ruleset, engine=engine) == ()


@pytest.mark.parametrize(
    "text",
    [
        f'token = "{GITHUB_TOKEN}"  # dlp:allow t-aws-key-id',  # allows another rule only
        f'token = "{GITHUB_TOKEN} dlp:allow"',  # not in a comment: a string cannot hide a secret
        f'# dlp:allow\ntoken = "{GITHUB_TOKEN}"',  # allow covers its own line only
    ],
)
def test_inline_allow_does_not_hide_other_things(core_ruleset, engine: str, text: str) -> None:
    assert ids(scan(text.encode(), core_ruleset, engine=engine)) == ["t-github-pat"]


def test_allow_next_line(core_ruleset, engine: str) -> None:
    text = f'# pragma: allowlist nextline secret\ntoken = "{GITHUB_TOKEN}"\ntoken2 = "{GITHUB_TOKEN}"\n'
    assert [f.line for f in scan(text.encode(), core_ruleset, engine=engine)] == [3]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["# ", "// ", "-- ", "x = 1", "DLP:ALLOW", "dlp:allow", " t-github-pat",
                                 "-next-line", "pragma: allowlist secret", "Pragma: Allowlist nextline secret",
                                 "gitleaks:allow", "TruffleHog:ignore", "ggignore", "kingfisher:allow",
                                 "\n", "é", " "]), max_size=12), st.integers(min_value=0, max_value=200))
def test_marker_precheck_never_hides_an_allow(parts: list[str], at: int) -> None:
    """scan() asks inline_allowed only where may_be_allowed says a marker may be: never where it would allow."""
    from dlp.context import inline_allowed, may_be_allowed
    from dlp.scan import _Lines

    data = "".join(parts).encode()
    offset = min(at, len(data))
    if inline_allowed(*_Lines(data).around(offset), "t-github-pat"):
        assert may_be_allowed(data, offset)


def test_multiline_rule(core_ruleset, engine: str) -> None:
    body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw\n" * 3
    text = f"x = 1\n-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n"
    (f,) = scan(text.encode(), core_ruleset, engine=engine)
    assert f.rule_id == "t-private-key" and f.line == 3 and f.end_line == 5


def test_context_required_and_camel_case(core_ruleset, engine: str) -> None:
    assert ids(scan(b'customerNric = "900101145678"', core_ruleset, engine=engine)) == ["t-nric-context"]
    assert ids(scan('身份证号码: 900101145678'.encode(), core_ruleset, engine=engine)) == ["t-nric-context"]
    assert scan(b'order_id = "900101145678"', core_ruleset, engine=engine) == ()
    # a word inside another word is not context ("nric" in "unricorn")
    assert scan(b'unricorn = "900101145678"', core_ruleset, engine=engine) == ()


def test_test_values_are_reported_low(core_ruleset, engine: str) -> None:
    (f,) = scan(b"card 4111 1111 1111 1111", core_ruleset, engine=engine)
    assert f.severity is Severity.LOW and "test-value" in f.tags
    assert f.masked == "**** **** **** 1111"
    (g,) = scan(b"card 4539 1488 0343 6467", core_ruleset, engine=engine)
    assert g.severity is Severity.CRITICAL
    assert dict(g.attributes)["jurisdiction"] == "global"


@pytest.mark.parametrize(
    "value",
    ["${DB_PASSWORD}", "{{ db_password }}", "<your-password>", "xxxxxxxxxxxx", "changeme", "%(password)s",
     "your_password_here", "************", "abcdefghijkl"],
)
def test_placeholders_are_not_secrets(core_ruleset, engine: str, value: str) -> None:
    assert scan(f'password = "{value}"'.encode(), core_ruleset, engine=engine) == ()


def test_generic_rule_yields_to_specific(core_ruleset, engine: str) -> None:
    found = scan(f'token = "{GITHUB_TOKEN}"\npassword = "x9#Lq2!vR7zT"'.encode(), core_ruleset, engine=engine)
    assert ids(found) == ["t-github-pat", "t-generic-password"]


def test_invalid_utf8_and_columns(core_ruleset, engine: str) -> None:
    data = b"caf\xc3\xa9 \xff\xfe token = '" + GITHUB_TOKEN.encode() + b"'\n"
    (f,) = scan(data, core_ruleset, engine=engine)
    assert f.column == len("café \ufffd\ufffd token = '") + 1


def test_keyword_lines_only(core_ruleset, engine: str) -> None:
    # the keyword of a single-line rule must be on the same line as the match
    data = b"AKIA\nZ7QLXW3MN4PRTY2K"
    assert scan(data, core_ruleset, engine=engine) == ()
    assert ids(scan(b"id: AKIAZ7QLXW3MN4PRTY2K", core_ruleset, engine=engine)) == ["t-aws-key-id"]


def test_empty_input(core_ruleset, engine: str) -> None:
    assert scan(b"", core_ruleset, engine=engine) == ()


def test_rule_paths_restrict_files_not_prompts(tmp_path, engine: str) -> None:
    from dlp.ruleset import Ruleset, load_pack_file

    pack = tmp_path / "p.yaml"
    pack.write_text(
        "rules:\n  - id: env-only\n    name: Env assignment\n    category: secret\n    severity: low\n"
        "    pattern: '^SECRET=(?P<value>\\S{8,})'\n    keywords: [secret=]\n    paths: ['*.env', '.env']\n"
        "    examples: {positive: ['SECRET=abcd1234xyz'], negative: ['x']}\n"
    )
    ruleset = Ruleset(load_pack_file(pack)[1])
    data = b"SECRET=q8Lr2Xk9Pz"
    assert ids(scan(data, ruleset, origin=Origin(path="deploy/prod.env"), engine=engine)) == ["env-only"]
    assert ids(scan(data, ruleset, origin=Origin(path="app/main.py"), engine=engine)) == []
    assert ids(scan(data, ruleset, origin=Origin(path=None), engine=engine)) == ["env-only"]


def test_long_minified_line_is_linear(core_ruleset, engine: str) -> None:
    # a quadratic allow-comment check took minutes on such a line (benchmarks measure speed)
    line = ("var a='x';%" * 20_000) + f'token="{GITHUB_TOKEN}";' + ("b=1;'" * 20_000)
    (f,) = scan(line.encode(), core_ruleset, engine=engine)
    assert f.rule_id == "t-github-pat"


@pytest.mark.parametrize("offsets", [[0, 5, 17, 3, 40, 40, 2, 39], list(range(0, 41, 3)) * 3])
def test_line_positions_in_any_order(offsets: list[int]) -> None:
    """Offsets looked up in any order (a rule's candidates in order, then the
    next rule's from the top again) get the line and column of a plain count,
    before and after the line index is built (past 31 lookups)."""
    from dlp.scan import _Lines

    data = "ab\ncd\n\nxyz é\n1234567890\nlast line here, no newline".encode()
    lines = _Lines(data)
    for offset in offsets:
        line = data.count(b"\n", 0, offset) + 1
        column = len(data[data.rfind(b"\n", 0, offset) + 1:offset].decode("utf-8", "replace")) + 1
        assert lines.position(offset) == (line, column)


def test_value_reasons_are_remembered_for_the_day(core_ruleset, monkeypatch: pytest.MonkeyPatch) -> None:
    """A value's verdict (placeholder, allow pattern, validators) is worked
    out once per rule and day: validators of dates of birth and registration
    years depend on today, so the memo ends at local midnight."""
    from dlp import scan as scan_module
    from dlp.records import replace

    calls: list[str] = []

    class Counting:
        name = "counting"

        def __call__(self, value: str) -> bool:
            calls.append(value)
            return value != "bad"

    rule = replace(core_ruleset.rules[0], validators=(Counting(),), placeholders=False, allow=())
    clock = [1_000.0]
    monkeypatch.setattr(scan_module, "time", lambda: clock[0])
    monkeypatch.setattr(scan_module, "_midnight", lambda: clock[0] + 10)
    monkeypatch.setattr(scan_module, "_VALUE_REASONS", {})
    assert scan_module._value_reason(rule, "bad") == "validator counting"
    assert scan_module._value_reason(rule, "good") is None
    assert scan_module._value_reason(rule, "bad") == "validator counting"
    assert calls == ["bad", "good"]  # the second "bad" remembered
    clock[0] += 11  # past midnight: every verdict again
    assert scan_module._value_reason(rule, "bad") == "validator counting"
    assert calls == ["bad", "good", "bad"]
    # another rule object with the same validators is asked on its own
    other = replace(rule, id=rule.id + "-2")
    assert scan_module._value_reason(other, "good") is None
    assert calls == ["bad", "good", "bad", "good"]
