"""The composite GitHub Action: its scan step, run locally as a runner would."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

from test_git_support import RULES_YAML, Repo, token

ACTION = Path(__file__).resolve().parent.parent / "action.yml"


def steps() -> dict[str, dict[str, object]]:
    doc = yaml.safe_load(ACTION.read_text())
    assert doc["runs"]["using"] == "composite"
    return {str(s.get("name", s.get("uses"))): s for s in doc["runs"]["steps"]}


def test_action_shape() -> None:
    doc = yaml.safe_load(ACTION.read_text())
    assert {"args", "sarif"} <= set(doc["inputs"])
    uses = [s.get("uses", "") for s in doc["runs"]["steps"]]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in doc["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
            subprocess.run(["bash", "-n"], input=step["run"], text=True, check=True)


def run_scan_step(repo: Repo, tmp_path: Path, *, mode: str, event: str, args: str) -> tuple[int, dict[str, str], dict]:
    script = str(steps()["Scan"]["run"])
    output = tmp_path / "github_output"
    output.write_text("")
    env = dict(repo.env, DLP_MODE=mode, DLP_ARGS=args, DLP_SARIF="out.sarif", EVENT=event, BASE_REF="main",
               GITHUB_OUTPUT=str(output), NO_COLOR="1",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=repo.path, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    sarif = json.loads((repo.path / "out.sarif").read_text()) if (repo.path / "out.sarif").exists() else {}
    return proc.returncode, outputs, {"sarif": sarif, "log": proc.stdout}


def test_scan_step_on_a_pull_request_reports_only_what_it_adds(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", tmp_path)
    (tmp_path / "rules.yaml").write_text(RULES_YAML)
    args = f"--disable all --rules {tmp_path / 'rules.yaml'}"
    repo.write("old.py", f"OLD = '{token(50)}'\n")
    base = repo.commit("base")
    repo.git("update-ref", "refs/remotes/origin/main", base)  # what actions/checkout + fetch leave
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("new.py", f"# new\nNEW = '{token(51)}'\n")
    repo.commit("pr work")

    code, outputs, out = run_scan_step(repo, tmp_path, mode="auto", event="pull_request", args=args)
    assert code == 0, out["log"]
    assert outputs["exit-code"] == "1"
    results = out["sarif"]["runs"][0]["results"]
    assert [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [("new.py", 2)]
    assert "::warning file=new.py,line=2::" in out["log"]
    assert token(51) not in out["log"] and token(51) not in json.dumps(out["sarif"])

    code, outputs, out = run_scan_step(repo, tmp_path, mode="auto", event="push", args=args)
    assert outputs["exit-code"] == "1"
    assert len(out["sarif"]["runs"][0]["results"]) == 2  # full scan: old.py and new.py

    code, outputs, out = run_scan_step(repo, tmp_path, mode="bogus", event="push", args=args)
    assert code == 2
