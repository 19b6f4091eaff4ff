"""Every built-in rule's own positive and negative examples, in every engine."""
from __future__ import annotations

from pathlib import Path

import pytest

from dlp.rulecheck import check_rules, trace_rule
from dlp.ruleset import Selection, builtin_pack_files, load_pack_file, load_ruleset

PACKS = builtin_pack_files()


@pytest.mark.parametrize("pack", sorted(PACKS))
def test_pack_examples(pack: str) -> None:
    _, rules = load_pack_file(PACKS[pack], pack=pack)
    assert rules, f"{pack} has no rules"
    failures = check_rules(rules)
    assert not failures, "\n".join(str(f) for f in failures)


def test_rule_ids_unique_across_packs() -> None:
    seen: dict[str, str] = {}
    for pack, path in PACKS.items():
        for rule in load_pack_file(path, pack=pack)[1]:
            assert rule.id not in seen, f"{rule.id} in {pack} and {seen[rule.id]}"
            seen[rule.id] = pack


def test_every_rule_is_documented() -> None:
    for pack, path in PACKS.items():
        for rule in load_pack_file(path, pack=pack)[1]:
            assert rule.name.strip(), rule.id


def test_core_fixture_pack() -> None:
    path = Path(__file__).parent / "data" / "rules" / "core.yaml"
    assert not check_rules(load_pack_file(path)[1])


# --------------------------------------------------------------------------- rules explain --trace

PYTHON_SOURCE = b'''"""Docs: password = "Zq8G6p4EDMnXTE9lr" in a docstring."""
# password = "Zq8G6p4EDMnXTE9lr"
password = "Zq8G6p4EDMnXTE9lr"
def connect(password: "Kp3vN8xZ2rT7qW4m"): ...
db_password = "changeme"
'''


def _trace(rule_id: str, data: bytes, path: str | None) -> list[tuple[int, bool, str]]:
    ruleset = load_ruleset(Selection(enable_packs=("secrets",)))
    return [(s.line, s.reported, s.reason) for s in trace_rule(ruleset.get(rule_id), data, path, ruleset)]


def test_trace_shows_the_syntax_tree_decision() -> None:
    pytest.importorskip("tree_sitter")
    steps = _trace("generic-password-literal", PYTHON_SOURCE, "app.py")
    assert steps == [
        (1, False, "syntax tree (python, assignment check): in a docstring"),
        (2, False, "syntax tree (python, assignment check): in a comment"),
        (3, True, "syntax tree (python, assignment check): literal bound to a name (assignment)"),
        (4, False, "syntax tree (python, assignment check): not bound to a name (type)"),
        (5, False, "placeholder"),
    ]


def test_trace_concatenation_and_interpolation() -> None:
    pytest.importorskip("tree_sitter")
    ts = b'const apiToken = "Kp3vN8xZ2rT7qW4mYt" + suffix;\nconst secret = "Rz8qW3xLp9TvMn4Kd";\n'
    assert _trace("generic-secret-literal", ts, "client.ts") == [
        (1, False, "syntax tree (typescript, assignment check): part of a concatenation"),
        (2, True, "syntax tree (typescript, assignment check): literal bound to a name (variable_declarator)"),
    ]
    php = b'<?php\n$password = "Zq8G6p4EDM$suffix";\n'
    assert _trace("generic-password-literal", php, "db.php") == [
        (2, False, "syntax tree (php, assignment check): interpolated string")]


def test_trace_without_a_tree_and_overlap_with_a_specific_rule() -> None:
    data = b'token = "Rz8qW3xLp9TvMn4Kd"\n'
    assert _trace("generic-secret-literal", data, None) == [
        (1, True, "syntax tree not consulted (no file name)")]
    assert _trace("generic-secret-literal", data, "notes.txt") == [
        (1, True, "syntax tree not consulted (no grammar for this file type)")]
    # a Databricks token (gitleaks' sample) is reported by its own rule, not as a generic secret
    data = b'databricks_token = "dapi4d332ee2c7d03f21ad34dc322982290c"\n'
    ((_, reported, reason),) = _trace("generic-secret-literal", data, None)
    assert not reported and "hidden by an overlapping specific finding" in reason


def test_rules_explain_trace_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from dlp.cli import main

    source = tmp_path / "app.py"
    source.write_bytes(PYTHON_SOURCE)
    assert main(["rules", "explain", "generic-password-literal", "--trace", str(source)]) == 0
    out = capsys.readouterr().out
    assert f"trace       {source}: 5 matches" in out
    assert "2:15 Zq8G" in out and "rejected: syntax tree" in out and "Zq8G6p4EDMnXTE9lr" not in out
    assert main(["rules", "explain", "generic-password-literal", "--trace", str(tmp_path / "nope.py")]) == 2
    assert "cannot read" in capsys.readouterr().err
