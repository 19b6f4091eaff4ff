"""Helpers for the git, baseline and pre-commit tests: real repositories in tmp
dirs, a fixed rule file, tokens with valid checksums (and the parsers' own tests)."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from dlp.ruleset import Ruleset, Selection, load_ruleset
from dlp.sources import git

# One rule, independent of the shipped packs (which other work changes): a
# GitHub classic token with its CRC32 checked.
RULES_YAML = r"""
description: git test rules
rules:
  - id: test-github-pat
    name: GitHub token (test rule)
    category: secret
    severity: critical
    pattern: '(?<![\w-])(?P<value>ghp_[A-Za-z0-9]{36})(?![\w-])'
    keywords: [ghp_]
    validators:
      - crc32_base62: {prefix_len: 4}
    examples:
      positive:
        - 'GITHUB_TOKEN=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'
      negative:
        - 'GITHUB_TOKEN=ghp_eOLWq4wevZQAOrY9GD7rZLZlbyNfx91ux2IA'
"""
RULE_ID = "test-github-pat"


def token(seed: int) -> str:
    """``ghp_`` + 30 base62 + base62(crc32(body), 6): a valid-looking, fake token."""
    try:
        sys.path.insert(0, str(Path(__file__).parent))
        from secret_token_factory import github_token

        return github_token(random.Random(seed))
    except ImportError:
        from dlp.validators.secrets import base62

        rng = random.Random(seed)
        alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
        body = "".join(rng.choice(alnum) for _ in range(30))
        return "ghp_" + body + base62(zlib.crc32(body.encode()), 6)


def git_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for key in list(env):
        if key.startswith(("GIT_", "PRE_COMMIT")):
            del env[key]
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
               GIT_AUTHOR_NAME="Alice", GIT_AUTHOR_EMAIL="alice@example.com",
               GIT_COMMITTER_NAME="Alice", GIT_COMMITTER_EMAIL="alice@example.com", NO_COLOR="1")
    return env


class Repo:
    """A throw-away repository with deterministic authors and dates."""

    def __init__(self, path: Path, home: Path) -> None:
        self.path = path
        self.env = git_env(home)
        self._tick = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, check: bool = True, input: str | None = None) -> str:
        proc = subprocess.run(["git", *args], cwd=self.path, env=self.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, check=False, input=input)
        if check and proc.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
        return proc.stdout.strip()

    def write(self, rel: str, content: str | bytes) -> None:
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")

    def commit(self, message: str, *, author: str = "Alice <alice@example.com>", days_ago: int | None = None,
               add: bool = True, no_verify: bool = False) -> str:
        if add:
            self.git("add", "-A")
        self._tick += 1
        name, email = author[:-1].split(" <")
        env = dict(self.env, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email)
        date = f"2024-01-01T00:{self._tick // 60:02d}:{self._tick % 60:02d}+00:00"
        if days_ago is not None:
            import datetime as dt

            when = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago, seconds=-self._tick)
            date = when.replace(microsecond=0).isoformat()
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        flags = ["--no-verify"] if no_verify else []
        subprocess.run(["git", "commit", "-q", "--allow-empty", *flags, "-m", message], cwd=self.path, env=env,
                       check=True, stdout=subprocess.PIPE)
        return self.git("rev-parse", "HEAD")


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Repo:
    r = Repo(tmp_path / "repo", tmp_path)
    for key, value in r.env.items():
        if key.startswith("GIT_") or key in ("HOME", "NO_COLOR"):
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(r.path)
    return r


@pytest.fixture()
def rules_file(tmp_path: Path) -> Path:
    p = tmp_path / "git-test-rules.yaml"
    p.write_text(RULES_YAML, encoding="utf-8")
    return p


@pytest.fixture()
def ruleset(rules_file: Path) -> Ruleset:
    return load_ruleset(Selection(extra_files=(rules_file,)), pack_files={})


def run_dlp(args: list[str], cwd: Path, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dlp", *args], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=False, input=input)


# --------------------------------------------------------------------------- the parsers


@pytest.mark.parametrize("quoted, plain", [
    (b'"b/n\\"q.txt"', b'b/n"q.txt'),
    (b'"b/tab\\there"', b"b/tab\there"),
    (b'"b/\\303\\251t\\303\\251.txt"', "b/été.txt".encode()),
    (b"b/plain name.txt", b"b/plain name.txt"),
])
def test_unquote_path(quoted: bytes, plain: bytes) -> None:
    assert git.unquote_path(quoted) == plain


def test_added_lines_reads_hunk_headers_only() -> None:
    patch = (b"diff --git a/f.txt b/f.txt\nindex 1..2 100644\n--- a/f.txt\n+++ b/f.txt\n"
             b"@@ -3,0 +4 @@ c\n+d\n@@ -10,2 +11,3 @@\n-x\n-y\n++++ not a header\n+diff --git fake\n+z\n"
             b"@@ -20 +22,0 @@\n-gone\n"
             b"diff --git a/old.txt b/old.txt\ndeleted file mode 100644\n--- a/old.txt\n+++ /dev/null\n"
             b"@@ -1 +0,0 @@\n-bye\n")
    assert git.added_lines(patch) == {"f.txt": [(4, 1), (11, 3)]}
