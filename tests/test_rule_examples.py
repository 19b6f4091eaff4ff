"""Every built-in rule's own positive and negative examples, in every engine."""
from __future__ import annotations

from pathlib import Path

import pytest

from dlp.rulecheck import check_rules
from dlp.ruleset import builtin_pack_files, load_pack_file

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
