"""Baselines: create, suppress, survive moved lines, detect-secrets interop, audit."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dlp.baseline import Baseline, detect_secrets_hashes, from_findings, load_baseline
from dlp.errors import ConfigError, InputError
from dlp.git_scan import run_git_scan
from dlp.runner import ScanOptions, scan_files
from dlp.ruleset import Ruleset
from dlp.sources.files import walk
from test_git_support import RULE_ID, Repo, repo, rules_file, ruleset, run_dlp, token  # noqa: F401


def rules_args(rules_file: Path) -> list[str]:
    return ["--disable", "all", "--rules", str(rules_file)]


def leaky_repo(repo: Repo) -> Repo:
    repo.write("app/settings.py", f"DEBUG = False\nGITHUB = '{token(30)}'\nOTHER = '{token(31)}'\n")
    repo.write("ops/deploy.sh", f"#!/bin/sh\nexport GH_TOKEN={token(32)}\n")
    repo.commit("leaks")
    return repo


def test_create_then_scan_reports_nothing_new(repo: Repo, rules_file: Path) -> None:
    leaky_repo(repo)
    r = rules_args(rules_file)
    assert run_dlp(["scan", ".", *r], repo.path, env=repo.env).returncode == 1
    proc = run_dlp(["baseline", "create", *r], repo.path, env=repo.env)
    assert proc.returncode == 0, proc.stderr
    text = (repo.path / ".dlp-baseline.json").read_text()
    for seed in (30, 31, 32):
        assert token(seed) not in text  # never a value
    doc = json.loads(text)
    assert doc["version"] == 1
    assert [(e["path"], e["rule_id"]) for e in doc["entries"]] == [
        ("app/settings.py", RULE_ID), ("app/settings.py", RULE_ID), ("ops/deploy.sh", RULE_ID)]
    assert all(set(e) == {"rule_id", "fingerprint", "path"} for e in doc["entries"])

    proc = run_dlp(["scan", ".", "--baseline", ".dlp-baseline.json", "--format", "json", *r], repo.path, env=repo.env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = json.loads(proc.stdout)
    assert out["findings"] == [] and out["stats"]["baselined"] == 3

    # a new secret is reported, the known ones are not
    repo.write("app/settings.py", (repo.path / "app/settings.py").read_text() + f"NEW = '{token(33)}'\n")
    proc = run_dlp(["scan", "app", "--baseline", ".dlp-baseline.json", "--format", "json", *r], repo.path,
                   env=repo.env)
    assert proc.returncode == 1
    assert [(f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"]] == [("app/settings.py", 4)]


def test_moved_lines_stay_known_and_the_baseline_does_not_churn(repo: Repo, rules_file: Path) -> None:
    leaky_repo(repo)
    r = rules_args(rules_file)
    assert run_dlp(["baseline", "create", *r], repo.path, env=repo.env).returncode == 0
    before = (repo.path / ".dlp-baseline.json").read_bytes()
    settings = repo.path / "app/settings.py"
    lines = settings.read_text().splitlines()
    settings.write_text("\n".join(["# moved", "", *reversed(lines), "", "# end"]) + "\n")
    assert run_dlp(["scan", ".", "--baseline", ".dlp-baseline.json", *r], repo.path,
                   env=repo.env).returncode == 0
    proc = run_dlp(["baseline", "create", *r], repo.path, env=repo.env)
    assert proc.returncode == 0 and "unchanged" in proc.stderr
    assert (repo.path / ".dlp-baseline.json").read_bytes() == before


@pytest.mark.parametrize("mode", ["staged", "history"])
def test_baseline_in_git_modes(repo: Repo, ruleset: Ruleset, mode: str) -> None:
    options = ScanOptions(jobs=1)
    repo.write("a.py", f"x = '{token(34)}'\n")
    if mode == "history":
        repo.commit("one")
    else:
        repo.git("add", "-A")
    args = dict(paths=[], staged=mode == "staged", diff_range=None, history=mode == "history", since=None,
                branches=[], ruleset=ruleset, options=options)
    report = run_git_scan(**args, baseline=None)  # type: ignore[arg-type]
    baseline = from_findings(r.finding for r in report.findings)
    assert len(baseline) == 1
    suppressed = run_git_scan(**args, baseline=baseline.contains)  # type: ignore[arg-type]
    assert suppressed.findings == () and suppressed.baselined == 1


def test_audit_labels_are_kept_when_recreated(repo: Repo, rules_file: Path) -> None:
    leaky_repo(repo)
    r = rules_args(rules_file)
    run_dlp(["baseline", "create", *r], repo.path, env=repo.env)
    doc = json.loads((repo.path / ".dlp-baseline.json").read_text())
    fp = doc["entries"][2]["fingerprint"]
    proc = run_dlp(["baseline", "audit", "--label", f"{fp[7:19]}=false", "--label",
                    f"{doc['entries'][0]['fingerprint']}=true"], repo.path, env=repo.env)
    assert proc.returncode == 0, proc.stderr
    assert "3 entries: 1 real secrets, 1 false positives, 1 not audited" in proc.stdout
    labelled = json.loads((repo.path / ".dlp-baseline.json").read_text())
    assert labelled["entries"][2]["is_secret"] is False and labelled["entries"][0]["is_secret"] is True
    before = (repo.path / ".dlp-baseline.json").read_bytes()
    proc = run_dlp(["baseline", "create", *r], repo.path, env=repo.env)
    assert "unchanged" in proc.stderr
    assert (repo.path / ".dlp-baseline.json").read_bytes() == before
    # every entry still suppresses, whatever its label
    assert run_dlp(["scan", ".", "--baseline", ".dlp-baseline.json", *r], repo.path, env=repo.env).returncode == 0
    bad = run_dlp(["baseline", "audit", "--label", "sha256:ffff=maybe"], repo.path, env=repo.env)
    assert bad.returncode == 2


def test_interactive_audit_shows_the_line_masked(repo: Repo, rules_file: Path, tmp_path: Path) -> None:
    leaky_repo(repo)
    run_dlp(["baseline", "create", *rules_args(rules_file)], repo.path, env=repo.env)
    from click.testing import CliRunner

    from dlp.cli_baseline import audit_command

    result = CliRunner().invoke(audit_command, [".dlp-baseline.json", "--interactive",
                                                *rules_args(rules_file)], input="y\nn\ns\n")
    assert result.exit_code == 0, result.output
    assert "ops/deploy.sh" in result.output
    assert token(32) not in result.output and "ghp_****..." in result.output
    assert "3 entries: 1 real secrets, 1 false positives, 1 not audited" in result.output


def test_detect_secrets_baseline_suppresses_the_same_secrets(repo: Repo, rules_file: Path) -> None:
    ds = shutil.which("detect-secrets") or str(Path(sys.executable).parent / "detect-secrets")
    if not Path(ds).exists():
        pytest.skip("detect-secrets is not installed")
    leaky_repo(repo)
    proc = subprocess.run([ds, "scan"], cwd=repo.path, env=repo.env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=True)
    (repo.path / ".secrets.baseline").write_text(proc.stdout)
    results = json.loads(proc.stdout)["results"]
    assert set(results) == {"app/settings.py", "ops/deploy.sh"}
    # detect-secrets' GitHub plugin hashes its regex group ("ghp"), not the token: dlp mirrors that
    (deploy_entry,) = results["ops/deploy.sh"]
    assert "sha1:" + deploy_entry["hashed_secret"] in detect_secrets_hashes(token(32))

    r = rules_args(rules_file)
    proc = run_dlp(["scan", ".", "--baseline", ".secrets.baseline", "--format", "json", *r], repo.path, env=repo.env)
    assert proc.returncode == 0, proc.stdout
    assert json.loads(proc.stdout)["stats"]["baselined"] == 3

    # lines moved: detect-secrets' line numbers are stale, dlp still matches
    settings = repo.path / "app/settings.py"
    settings.write_text("\n\n\n" + settings.read_text())
    assert run_dlp(["scan", ".", "--baseline", ".secrets.baseline", *r], repo.path, env=repo.env).returncode == 0

    # entries audited as false positives are accepted too; a label written by dlp keeps the file's shape
    fp = "sha1:" + deploy_entry["hashed_secret"]
    proc = run_dlp(["baseline", "audit", ".secrets.baseline", "--label", f"{fp}=false"], repo.path, env=repo.env)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((repo.path / ".secrets.baseline").read_text())
    entry = next(e for e in doc["results"]["ops/deploy.sh"] if e["hashed_secret"] == fp[5:])
    assert entry["is_secret"] is False and "line_number" in entry
    assert run_dlp(["scan", ".", "--baseline", ".secrets.baseline", *r], repo.path, env=repo.env).returncode == 0

    # a secret detect-secrets never saw is new
    (repo.path / "new.py").write_text(f"k = '{token(35)}'\n")
    assert run_dlp(["scan", ".", "--baseline", ".secrets.baseline", *r], repo.path, env=repo.env).returncode == 1


def test_loading_is_strict(tmp_path: Path) -> None:
    p = tmp_path / "b.json"
    p.write_text(json.dumps({"version": 1, "entries": [
        {"rule_id": "x", "fingerprint": "sha256:" + "0" * 64, "path": "a", "value": "leak"}]}))
    with pytest.raises(ConfigError, match="unknown key 'value'"):
        load_baseline(p)
    p.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_baseline(p)
    p.write_text(json.dumps({"version": 9, "entries": []}))
    with pytest.raises(ConfigError, match="version"):
        load_baseline(p)
    with pytest.raises(InputError, match="not found"):
        load_baseline(tmp_path / "missing.json")


def test_matching_ignores_lines_but_not_paths(tmp_path: Path, ruleset: Ruleset) -> None:
    (tmp_path / "a.txt").write_text(f"t={token(36)}\n")
    report = scan_files(walk([str(tmp_path / "a.txt")]), ruleset, ScanOptions(jobs=1))
    finding = report.findings[0].finding
    baseline = Baseline(from_findings([finding]).entries)
    assert baseline.contains(finding)
    from dataclasses import replace

    assert baseline.contains(replace(finding, line=99, start=1234))
    assert not baseline.contains(replace(finding, origin=replace(finding.origin, path="elsewhere.txt")))
    pathless = Baseline([replace(baseline.entries[0], path=None)])
    assert pathless.contains(replace(finding, origin=replace(finding.origin, path="elsewhere.txt")))
