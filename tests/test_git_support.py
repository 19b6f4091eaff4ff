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


# --------------------------------------------------------------------------- what an edit adds (history)


def _added(new: bytes, old: bytes, context: int = 1) -> tuple[list[int], list[bytes]]:
    """(added line numbers, window texts) of ``new`` against ``old``."""
    from dlp.sources.git_edits import added_windows, cut

    region = cut(new, old)
    if region is None:
        return [], []
    assert new[:region.begin] == old[:region.begin] and new[region.end:] == old[region.previous_end:]
    added = added_windows(new, region.begin, region.end, old[region.begin:region.previous_end], 1, context)
    lines = [start + i for start, count in added.lines for i in range(count)]
    for begin, _, line in added.windows:
        assert new.count(b"\n", 0, begin) + 1 == line
    return lines, [new[begin:end] for begin, end, _ in added.windows]


@pytest.mark.parametrize("old, new, lines, windows", [
    # an inserted line, one line of context either side
    (b"a\nb\nc\nd\ne\n", b"a\nb\nX\nc\nd\ne\n", [3], [b"b\nX\nc\n"]),
    # two edits far apart: two windows; at the very start and end, the window stops at the edge
    (b"a\nb\nc\nd\ne\nf\n", b"X\na\nb\nc\nd\ne\nf\nY", [1, 8], [b"X\na\n", b"f\nY"]),
    # edits two lines apart: their windows touch and merge
    (b"a\nb\nc\nd\n", b"X\na\nb\nY\nc\nd\n", [1, 4], [b"X\na\nb\nY\nc\n"]),
    # only removals, or only a final newline added: nothing new
    (b"a\nb\nc\n", b"a\nc\n", [], []),
    (b"a\nb", b"a\nb\n", [], []),
    # a line that moved (or was duplicated) within the changed region is not new
    (b"a\nb\nc\nd\n", b"a\nc\nb\nd\n", [], []),
    (b"a\nb\nc\nd\n", b"a\nc\nb\nc\nX\nd\n", [5], [b"c\nX\nd\n"]),
    # ... but a copy of a line outside it is (only the changed regions are compared)
    (b"a\nb\nc\n", b"a\nb\nb\nX\nc\n", [3, 4], [b"b\nb\nX\nc\n"]),
    # a changed last line without a newline; a line changed in place
    (b"a\nb", b"a\nbb", [2], [b"a\nbb"]),
    (b"k = 1\nv = 2\nw = 3\n", b"k = 1\nv = 9\nw = 3\n", [2], [b"k = 1\nv = 9\nw = 3\n"]),
    # from an empty file
    (b"", b"a\nb\n", [1, 2], [b"a\nb\n"]),
])
def test_added_lines_of_an_edit(old: bytes, new: bytes, lines: list[int], windows: list[bytes]) -> None:
    assert _added(new, old) == (lines, windows)


def test_added_lines_of_random_edits() -> None:
    """Every line whose text the old version lacks is added, and its window
    holds ``context`` lines either side (as far as the text goes)."""
    rng = random.Random(5)
    words = [b"a", b"b", b"c", b"d = 1"]

    def text(n: int) -> list[bytes]:
        return [rng.choice(words) + rng.choice(words) for _ in range(n)]

    for _ in range(2000):
        old = text(rng.randrange(0, 12))
        new = list(old)
        for _ in range(rng.randrange(0, 4)):
            at = rng.randrange(len(new) + 1)
            new[at:at + rng.randrange(0, 3)] = text(rng.randrange(0, 3))
        old_data = b"\n".join(old) + (b"\n" if old and rng.random() < 0.8 else b"")
        new_data = b"\n".join(new) + (b"\n" if new and rng.random() < 0.8 else b"")
        context = rng.randrange(0, 3)
        added, windows = _added(new_data, old_data, context)
        assert {i for i, line in enumerate(new, 1) if line not in old} <= set(added)
        joined = b"".join(windows)
        for number in added:
            around = new[max(0, number - 1 - context):number + context]
            assert b"\n".join(around) in joined


def test_catfile_close_does_not_wait_for_a_forked_process(tmp_path: Path) -> None:
    """A process forked after ``git cat-file`` started holds its stdin open:
    closing must not wait for it to exit."""
    import multiprocessing
    import time

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    cat = git.CatFile(str(tmp_path))
    child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(30,))
    child.start()
    try:
        cat.close()
        assert child.is_alive()
    finally:
        child.kill()
        child.join()
