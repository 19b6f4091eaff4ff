"""Shared test kit for the egress, policy, redact, payload and hook tests.

A small rule pack of our own (so that these tests do not move when the
built-in packs change), fake credentials with valid checksums, and an
:class:`Egress` factory.
"""
from __future__ import annotations

import random
import zlib
from pathlib import Path

from dlp.config import Allowlist
from dlp.egress import Egress
from dlp.policy import parse_policy
from dlp.ruleset import load_ruleset
from dlp.validators.secrets import base62

PACK = """\
description: egress test pack
default: true
rules:
  - id: github-pat
    name: GitHub personal access token
    category: secret
    severity: high
    pattern: '\\b(?P<value>ghp_[A-Za-z0-9]{36})\\b'
    keywords: [ghp_]
    validators:
      - crc32_base62: {prefix_len: 4}
    examples:
      positive: ['token = "GHP_TOKEN"']
      negative: ['ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']
  - id: my-nric
    name: Malaysian MyKad / NRIC number
    category: pii
    severity: critical
    pattern: '(?<![\\w.-])(?P<value>\\d{6}-\\d{2}-\\d{4})(?![\\w-]|\\.\\d)'
    validators: [my_nric]
    jurisdiction: my
    pii_class: personal
    examples:
      positive: ['No. K/P: 850612-10-5527']
      negative: ['No. K/P: 850230-10-5527']
  - id: sg-nric
    name: Singapore NRIC / FIN
    category: pii
    severity: high
    pattern: '\\b(?P<value>[STFGM]\\d{7}[A-Z])\\b'
    validators: [sg_nric]
    jurisdiction: sg
    pii_class: sensitive
    examples:
      positive: ['NRIC S1234567D']
      negative: ['NRIC S1234567A']
"""


def github_token(seed: int = 1) -> str:
    rng = random.Random(seed)
    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    body = "".join(rng.choice(alnum) for _ in range(30))
    return "ghp_" + body + base62(zlib.crc32(body.encode()), 6)


TOKEN = github_token(1)
TOKEN2 = github_token(2)
NRIC = "850612-10-5527"
SG_NRIC = "S1234567D"


def write_pack(directory: Path) -> Path:
    path = directory / "egress-test.yaml"
    path.write_text(PACK.replace("GHP_TOKEN", TOKEN), encoding="utf-8")
    return path


def ruleset(directory: Path):  # type: ignore[no-untyped-def]
    path = write_pack(directory)
    return load_ruleset(pack_files={"test/egress": path})


def make_egress(tmp_path: Path, policy: dict | None = None, *, engine: str = "auto",
                allowlist: Allowlist | None = None) -> Egress:
    pol = parse_policy(policy or {}, where=".dlp.yaml", root=tmp_path)
    return Egress(pol, ruleset(tmp_path), allowlist=allowlist, engine=engine)


def test_kit_token_is_valid() -> None:
    from dlp.validators.secrets import crc32_base62

    assert crc32_base62(TOKEN, prefix_len=4)
    assert TOKEN != TOKEN2
