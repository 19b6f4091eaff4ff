"""The pre-commit hooks (run by the real pre-commit framework) and the plain git hook.

The framework runs the hooks exactly as `.pre-commit-hooks.yaml` declares them,
except that they are declared `language: system` in a local config pointing at
the Python running the tests: `language: python` would make pre-commit build a
virtualenv and pip-install this checkout from the package index on every run
(about 100 s, and network access). That full path is exercised by
`test_try_repo_installs_from_this_checkout`, run when DLP_TEST_TRY_REPO=1.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dlp.githook import (BACKUP_SUFFIX, INSTALLED, MARKER, NOT_INSTALLED, REMOVED, RESTORED, UNCHANGED, UPDATED,
                         install_git_hook, push_ranges, uninstall_git_hook)
from dlp.errors import InputError
from test_git_support import RULES_YAML, Repo, token

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def manifest() -> dict[str, dict[str, object]]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text())}


def test_manifest_declares_both_hooks() -> None:
    hooks = manifest()
    assert hooks["dlp"]["entry"] == "dlp scan --staged --no-progress"
    assert hooks["dlp"]["stages"] == ["pre-commit"]
    assert hooks["dlp-push"]["stages"] == ["pre-push"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False


def configured_repo(tmp_path: Path) -> Repo:
    """A repository whose .dlp.yaml uses only the test rule, with an (empty) baseline."""
    repo = Repo(tmp_path / "work", tmp_path)
    (tmp_path / "rules.yaml").write_text(RULES_YAML)
    repo.write(".dlp.yaml", f"rules:\n  disable: [all]\n  extra: [{tmp_path / 'rules.yaml'}]\n"
                            "baseline: .dlp-baseline.json\n")
    repo.write(".dlp-baseline.json", '{"version": 1, "entries": []}\n')
    return repo


def local_config(python: str) -> str:
    """The manifest's hooks as local `language: system` hooks run by ``python``."""
    hooks = []
    for hook in manifest().values():
        entry = str(hook["entry"])
        entry = entry.replace("python -m ", f"{python} -m ", 1) if entry.startswith("python -m ") else \
            entry.replace("dlp ", f"{python} -m dlp ", 1)
        local = {k: v for k, v in hook.items() if k not in ("language", "entry", "minimum_pre_commit_version")}
        hooks.append({**local, "entry": entry, "language": "system"})
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": hooks}]}, sort_keys=False)


@pytest.fixture()
def precommit_repo(tmp_path: Path) -> Repo:
    repo = configured_repo(tmp_path)
    repo.env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    repo.write(".pre-commit-config.yaml", local_config(sys.executable))
    repo.commit("setup")
    subprocess.run([sys.executable, "-m", "pre_commit", "install", "--hook-type", "pre-commit",
                    "--hook-type", "pre-push"], cwd=repo.path, env=repo.env, check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, env=repo.env)
    repo.git("remote", "add", "origin", str(remote))
    repo.git("push", "-q", "origin", "main")
    return repo


def commit(repo: Repo, message: str) -> subprocess.CompletedProcess[str]:
    repo.git("add", "-A")
    return subprocess.run(["git", "commit", "-m", message], cwd=repo.path, env=repo.env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)


def test_precommit_blocks_a_secret_passes_clean_and_baselined(precommit_repo: Repo) -> None:
    repo = precommit_repo
    head = repo.git("rev-parse", "HEAD")
    repo.write("app.py", f"TOKEN = '{token(40)}'\n")
    proc = commit(repo, "leak")
    assert proc.returncode != 0, proc.stdout
    assert "app.py" in proc.stdout and "test-github-pat" in proc.stdout
    assert token(40) not in proc.stdout
    assert repo.git("rev-parse", "HEAD") == head

    repo.write("app.py", "TOKEN = os.environ['TOKEN']\n")
    proc = commit(repo, "clean")
    assert proc.returncode == 0, proc.stdout

    # a known (baselined) secret passes; the baseline is created from what is staged
    repo.write("legacy.py", f"OLD = '{token(41)}'\n")
    repo.git("add", "-A")
    created = subprocess.run([sys.executable, "-m", "dlp", "baseline", "create", "--staged"], cwd=repo.path,
                             env=repo.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert created.returncode == 0, created.stderr
    proc = commit(repo, "baselined")
    assert proc.returncode == 0, proc.stdout


def test_prepush_blocks_a_secret_added_then_removed(precommit_repo: Repo) -> None:
    repo = precommit_repo
    repo.write("a.txt", f"{token(42)}\n")
    repo.commit("leak (hook skipped)", no_verify=True)  # how secrets get past a pre-commit hook
    repo.write("a.txt", "gone\n")
    repo.commit("remove it")
    push = subprocess.run(["git", "push", "origin", "main"], cwd=repo.path, env=repo.env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert push.returncode != 0, push.stdout
    assert "a.txt" in push.stdout and token(42) not in push.stdout
    assert repo.git("ls-remote", "origin", "main").split()[0] != repo.git("rev-parse", "HEAD")

    # rewrite the history without the secret: the push goes through
    repo.git("reset", "-q", "--hard", "origin/main")
    repo.write("b.txt", "clean\n")
    repo.commit("clean work")
    assert repo.git("log", "-1", "--format=%s") == "clean work"
    push = subprocess.run(["git", "push", "origin", "main"], cwd=repo.path, env=repo.env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert push.returncode == 0, push.stdout


def test_try_repo_installs_from_this_checkout(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    repo.commit("setup")
    repo.env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    repo.write("app.py", f"TOKEN = '{token(43)}'\n")
    repo.git("add", "-A")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "dlp"], cwd=repo.path,
                          env=repo.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    assert proc.returncode == 1, proc.stdout
    assert "test-github-pat" in proc.stdout
    repo.write("app.py", "clean = 1\n")
    repo.git("add", "-A")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "dlp"], cwd=repo.path,
                          env=repo.env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    assert proc.returncode == 0, proc.stdout


# --------------------------------------------------------------------------- plain git hook


def test_git_hook_install_is_idempotent_and_blocks(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    repo.commit("setup")
    assert install_git_hook(repo.path) == INSTALLED
    assert install_git_hook(repo.path) == UNCHANGED
    hook = repo.path / ".git/hooks/pre-commit"
    assert MARKER in hook.read_text() and os.access(hook, os.X_OK)
    assert install_git_hook(repo.path, fail_open=True) == UPDATED

    repo.write("app.py", f"TOKEN = '{token(44)}'\n")
    proc = commit(repo, "leak")
    assert proc.returncode == 1, proc.stdout
    assert "test-github-pat" in proc.stdout
    repo.write("app.py", "ok = 1\n")
    assert commit(repo, "clean").returncode == 0

    # `git commit -a` stages into a temporary index (GIT_INDEX_FILE): that is what is scanned
    repo.write("app.py", f"TOKEN = '{token(45)}'\n")
    proc = subprocess.run(["git", "commit", "-am", "leak via -a"], cwd=repo.path, env=repo.env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert proc.returncode == 1 and "app.py" in proc.stdout, proc.stdout
    repo.write("app.py", "ok = 2\n")

    assert uninstall_git_hook(repo.path) == REMOVED
    assert not hook.exists()
    assert uninstall_git_hook(repo.path) == NOT_INSTALLED


def test_git_hook_never_clobbers_a_foreign_hook(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    repo.commit("setup")
    hook = repo.path / ".git/hooks/pre-commit"
    hook.write_text("#!/bin/sh\necho foreign hook ran\nexit 0\n")
    hook.chmod(0o755)
    with pytest.raises(InputError, match="not written by dlp"):
        install_git_hook(repo.path)
    assert "foreign" in hook.read_text()

    assert install_git_hook(repo.path, force=True) == INSTALLED
    backup = hook.with_name("pre-commit" + BACKUP_SUFFIX)
    assert "foreign" in backup.read_text()
    repo.write("ok.txt", "fine\n")
    proc = commit(repo, "clean")
    assert proc.returncode == 0 and "foreign hook ran" in proc.stdout  # the old hook still runs first

    assert uninstall_git_hook(repo.path) == RESTORED
    assert "foreign" in hook.read_text() and not backup.exists()
    assert uninstall_git_hook(repo.path) == NOT_INSTALLED  # a foreign hook is left alone


def test_git_hook_refuses_a_custom_hooks_path(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    repo.git("config", "core.hooksPath", ".husky")
    with pytest.raises(InputError, match="core.hooksPath"):
        install_git_hook(repo.path)
    with pytest.raises(InputError, match="not a git repository"):
        install_git_hook(tmp_path)


def test_git_hook_module_entry(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "dlp.githook", "install", str(repo.path)], env=repo.env,
                          text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.returncode == 0 and "installed" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "dlp.githook", "uninstall", str(repo.path)], env=repo.env,
                          text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.returncode == 0 and "removed" in proc.stdout


@pytest.mark.parametrize("env, stdin, expected", [
    ({"PRE_COMMIT_FROM_REF": "a1", "PRE_COMMIT_TO_REF": "b2"}, [], [("a1", "b2")]),
    ({"PRE_COMMIT": "1", "PRE_COMMIT_REMOTE_NAME": "origin"}, [], [(None, "HEAD")]),
    ({}, ["refs/heads/main " + "1" * 40 + " refs/heads/main " + "2" * 40], [("2" * 40, "1" * 40)]),
    ({}, ["refs/heads/new " + "1" * 40 + " refs/heads/new " + "0" * 40], [(None, "1" * 40)]),
    ({}, ["(delete) " + "0" * 40 + " refs/heads/old " + "2" * 40], []),
])
def test_push_ranges(env: dict[str, str], stdin: list[str], expected: list[tuple[str | None, str]]) -> None:
    assert push_ranges(env, stdin) == expected


def test_plain_pre_push_hook_reads_the_refs_git_passes(tmp_path: Path) -> None:
    repo = configured_repo(tmp_path)
    repo.commit("setup")
    remote = tmp_path / "plain-remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, env=repo.env)
    repo.git("remote", "add", "origin", str(remote))
    repo.git("push", "-q", "origin", "main")
    hook = repo.path / ".git/hooks/pre-push"
    hook.write_text("#!/bin/sh\nwhile read line; do echo \"old hook saw: $line\"; done\n")
    hook.chmod(0o755)
    assert install_git_hook(repo.path, hook_name="pre-push", force=True) == INSTALLED
    assert install_git_hook(repo.path, hook_name="pre-push") == UNCHANGED

    repo.write("a.txt", f"{token(46)}\n")
    repo.commit("leak", no_verify=True)
    repo.write("a.txt", "gone\n")
    repo.commit("remove", no_verify=True)
    push = subprocess.run(["git", "push", "origin", "main"], cwd=repo.path, env=repo.env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert push.returncode != 0, push.stdout
    assert "old hook saw: refs/heads/main" in push.stdout and "a.txt" in push.stdout
    assert token(46) not in push.stdout

    repo.git("reset", "-q", "--hard", "origin/main")
    repo.write("b.txt", "clean\n")
    repo.commit("clean", no_verify=True)
    push = subprocess.run(["git", "push", "origin", "main"], cwd=repo.path, env=repo.env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    assert push.returncode == 0, push.stdout
    assert uninstall_git_hook(repo.path, hook_name="pre-push") == RESTORED
    assert "old hook" in hook.read_text()
