"""The labelled secret corpora: every labelled (rule, line) found, nothing else from the packs in scope.

tests/corpus/secrets_infra: cloud, source control, registries, keys and generic
assignments in 21 config and code files; tests/corpus/secrets_apps: AI, data,
messaging, payment and SaaS credentials in 13 files plus decoy files. Files are
scanned with their own names, so the code-aware checks of generic rules apply.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dlp.model import Origin
from dlp.ruleset import Selection, load_ruleset
from dlp.scan import scan

CORPORA = Path(__file__).parent / "corpus"
INFRA_PACKS = ("secrets/cloud", "secrets/vcs-ci", "secrets/registries", "secrets/keys", "secrets/generic")
RULESET = load_ruleset(Selection(enable_packs=("secrets",)))


def _labels(corpus: str) -> dict:
    return yaml.safe_load((CORPORA / corpus / "labels.yaml").read_text(encoding="utf-8"))


def _found(corpus: str, name: str, packs: tuple[str, ...]) -> set[tuple[str, int]]:
    data = (CORPORA / corpus / name).read_bytes()
    in_scope = {r.id for r in RULESET.rules if r.pack in packs}
    return {(f.rule_id, f.line) for f in scan(data, RULESET, origin=Origin(path=name)) if f.rule_id in in_scope}


def _cases() -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for corpus in ("secrets_infra", "secrets_apps"):
        labels = _labels(corpus)
        packs = tuple(labels.get("packs") or INFRA_PACKS)
        for name in sorted(labels["positives"]):
            out.append((corpus, name, packs))
        for name in labels.get("decoys") or ():
            out.append((corpus, name, packs))
    return out


@pytest.mark.parametrize(("corpus", "name", "packs"), _cases())
def test_corpus_file(corpus: str, name: str, packs: tuple[str, ...]) -> None:
    expected = {(item["rule"], item["line"]) for item in _labels(corpus)["positives"].get(name) or ()}
    found = _found(corpus, name, packs)
    assert sorted(expected - found) == [], "missed"
    assert sorted(found - expected) == [], "reported but not labelled"
