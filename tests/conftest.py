from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))  # test helpers such as secret_token_factory

CORE_RULES = TESTS / "data" / "rules" / "core.yaml"
GITHUB_TOKEN = "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"  # fake, checksum-valid
GITHUB_TOKEN_BAD_CRC = "ghp_mxgJTeKdNnFRIBXuDL7DxtpYlSXpfK0IYYeA"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Compiled databases and parsed rules go to a per-run cache, not ~/.cache."""
    os.environ["DLP_CACHE_DIR"] = str(tmp_path_factory.mktemp("dlp-cache"))


@pytest.fixture
def rng() -> random.Random:
    return random.Random(1234)


@pytest.fixture(scope="session")
def core_ruleset():
    from dlp.ruleset import load_pack_file, Ruleset

    _, rules = load_pack_file(CORE_RULES, pack="test/core")
    return Ruleset(rules)


@pytest.fixture(scope="session")
def pii_ruleset():
    """Every personal-data pack (tests/test_pii_corpus.py, tests/test_pii_holdout.py)."""
    from dlp.ruleset import Ruleset, builtin_pack_files, load_pack_file

    rules = []
    for pack, path in sorted(builtin_pack_files().items()):
        if pack.startswith("pii/"):
            rules.extend(load_pack_file(path, pack=pack)[1])
    return Ruleset(rules)
