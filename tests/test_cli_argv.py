"""The fast routes of `dlp hook` and `dlp scan` (dlp.cli_argv) against click:
same declarations, same parameters, same output and exit codes."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from conftest import CORE_RULES, GITHUB_TOKEN

from dlp import cli_argv
from dlp.cli import main
from dlp.cli_app import scan_command
from dlp.cli_egress import hook_command


def _kind(param: click.Option) -> tuple[str, Any]:
    if param.is_flag:
        assert param.is_bool_flag
        return cli_argv.FLAG, None
    if isinstance(param.type, click.Choice):
        return cli_argv.CHOICE, tuple(param.type.choices)
    if isinstance(param.type, click.IntRange):
        assert (param.type.min, param.type.max) == (0, 256)
        return cli_argv.JOBS, None
    if isinstance(param.type, click.Path):
        assert not param.type.dir_okay and param.type.file_okay and not param.type.exists
        return (cli_argv.MULTIPLE_FILE if param.multiple else cli_argv.FILE), None
    assert param.type == click.STRING
    return (cli_argv.MULTIPLE if param.multiple else cli_argv.VALUE), None


@pytest.mark.parametrize(("command", "options", "defaults"), [
    (scan_command, cli_argv.SCAN_OPTIONS, cli_argv.SCAN_DEFAULTS),
    (hook_command, cli_argv.HOOK_OPTIONS, cli_argv.HOOK_DEFAULTS),
])
def test_declarations_match_the_click_commands(command: click.Command, options: dict, defaults: dict) -> None:
    declared: dict[str, tuple[str, str, Any]] = {}
    for param in command.params:
        if not isinstance(param, click.Option):
            continue
        kind, choices = _kind(param)
        for opt in param.opts:
            declared[opt] = (param.name, kind, choices if kind == cli_argv.CHOICE else
                             (True if kind == cli_argv.FLAG else None))
        for opt in param.secondary_opts:
            declared[opt] = (param.name, kind, False)
    assert dict(options) == declared
    # the defaults: what click gives when no option is used
    arguments = [p.name for p in command.params if isinstance(p, click.Argument)]
    bare = _click_params(command, [] if arguments == ["paths"] else ["some-tool"])
    assert bare is not None
    bare.pop("tool", None)
    assert bare == dict(defaults)


def _click_params(command: click.Command, args: list[str]) -> dict[str, Any] | None:
    try:
        with command.make_context(command.name or "", list(args)) as ctx:
            return dict(ctx.params)
    except (click.ClickException, click.exceptions.Exit):  # an error, or help printed
        return None


SCAN_ARGS = [
    [],
    ["--staged", "--no-progress"],
    ["."],
    ["src", "README.md", "-", "--format", "json", "-o", "out.json"],
    ["--format=sarif", "--output=-", "src"],
    ["-j", "4", "--jobs", "0", "--engine", "python", "--reveal"],
    ["--exclude", "*.min.js", "--exclude=vendor/", "--exclude", "-weird"],
    ["--enable", "pii", "--enable", "pii/my", "--disable", "pii/sg", "--min-severity", "high"],
    ["--diff", "HEAD~3..HEAD", "--baseline", ".dlp-baseline.json", "-c", ".dlp.yaml"],
    ["--history", "--since", "2024-01-01", "--branch", "main", "--branch", "dev", "--no-progress"],
    ["--color", "--no-color"],
    ["--no-color", "--color", "--format", "json", "--format", "text"],
    ["--no-gitignore", "--follow-symlinks", "--max-file-size", "10MB", "--index", "code.idx"],
    ["--rules", "extra.yaml", "--rules=more.yaml", "src"],
    ["-o", "-"],
]
HOOK_ARGS = [
    ["claude-code"],
    ["copilot", "--event", "preToolUse"],
    ["--event=preToolUse", "copilot"],
    ["codex", "--destination", "localhost", "-c", "policy.yaml"],
    ["claude", "--config=policy.yaml", "--destination=api.example.com"],
    ["notepad"],  # an unknown tool is the command's own error, the same on both routes
]
# click refuses these or prints help: the fast parser must leave them to click
REFUSED = [
    ["--help"], ["-h"], ["--format", "xml"], ["--jobs", "-1"], ["-j", "257"], ["-j", "x"],
    ["--staged=yes"], ["--nope"], ["--format"], ["-o", "somedir"], ["--config", "somedir"],
    ["--rules", "somedir"], ["--engine", "Python"], ["--min-severity", "severe"],
]
# legal, but in forms the fast parser does not take: click parses them
NOT_TAKEN = [["-j4"], ["-o=x"], ["-ojson"], ["--", "-file"]]
HOOK_REFUSED = [[], ["a", "b"], ["--help"], ["claude-code", "--event"], ["claude-code", "--tool", "x"],
                ["claude-code", "-c", "somedir"]]


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "somedir").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "README.md").write_text("hi\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("args", SCAN_ARGS, ids=" ".join)
def test_scan_parameters_are_clicks(cwd: Path, args: list[str]) -> None:
    fast = cli_argv.parse_scan(args)
    assert fast is not None  # these are the common forms: the fast route takes them
    assert fast == _click_params(scan_command, args)


@pytest.mark.parametrize("args", HOOK_ARGS, ids=" ".join)
def test_hook_parameters_are_clicks(cwd: Path, args: list[str]) -> None:
    fast = cli_argv.parse_hook(args)
    assert fast is not None
    assert fast == _click_params(hook_command, args)


@pytest.mark.parametrize("args", REFUSED, ids=" ".join)
def test_scan_leaves_the_rest_to_click(cwd: Path, args: list[str]) -> None:
    assert cli_argv.parse_scan(args) is None
    assert _click_params(scan_command, args) is None


@pytest.mark.parametrize("args", NOT_TAKEN, ids=" ".join)
def test_scan_forms_left_to_click(cwd: Path, args: list[str]) -> None:
    assert cli_argv.parse_scan(args) is None
    assert _click_params(scan_command, args) is not None


@pytest.mark.parametrize("args", HOOK_REFUSED, ids=" ".join)
def test_hook_leaves_the_rest_to_click(cwd: Path, args: list[str]) -> None:
    assert cli_argv.parse_hook(args) is None
    assert _click_params(hook_command, args) is None


def test_unreadable_path_goes_to_click(cwd: Path) -> None:
    secret = cwd / "locked.yaml"
    secret.write_text("x: 1\n")
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running as a user who can read anything")
        assert cli_argv.parse_scan(["--config", "locked.yaml"]) is None
        assert cli_argv.parse_scan(["locked.yaml"]) is None
        assert _click_params(scan_command, ["locked.yaml"]) is None
    finally:
        secret.chmod(0o600)


def test_route_only_takes_hook_and_scan() -> None:
    assert cli_argv.route(["scan", "--staged"]) is not None
    assert cli_argv.route(["hook", "claude-code"]) is not None
    for args in ([], ["--help"], ["--version"], ["rules", "list"], ["check", "-"], ["scan", "--help"],
                 ["hook"], ["install", "claude-code"]):
        assert cli_argv.route(args) is None


# --------------------------------------------------------------------------- end to end: both routes


def _both(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
          stdin: bytes = b"") -> list[tuple[int, str, str]]:
    answers = []
    for fast in (True, False):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(args, fast=fast)
        out, err = capsys.readouterr()
        answers.append((code, out, err))
    return answers


def _without_seconds(text: str) -> str:
    report = json.loads(text)
    report["stats"].pop("seconds", None)
    return json.dumps(report, sort_keys=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DLP_RULES_DIR", str(CORE_RULES.parent))
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(f'TOKEN = "{GITHUB_TOKEN}"\n')
    (root / "src" / "clean.py").write_text("print('hello')\n")
    for args in (["init", "-q", "-b", "main"], ["config", "user.email", "t@example.com"],
                 ["config", "user.name", "t"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("args", [
    ["scan", "--staged", "--no-progress", "--format", "json"],
    ["scan", "src", "--format", "json"],
    ["scan", "src/clean.py", "--format=json"],
    ["scan", "missing", "--format", "json"],
    ["scan", "--staged", "--diff", "HEAD"],
    ["scan", "--since", "2020-01-01"],
    ["scan", "--format", "json", "--baseline", "no-such-baseline.json", "src"],
])
def test_scan_routes_answer_alike(repo: Path, args: list[str], capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli_argv.route(args) is not None
    (fast_code, fast_out, fast_err), (click_code, click_out, click_err) = _both(args, capsys, monkeypatch)
    assert fast_code == click_code
    assert fast_err == click_err
    if fast_out.startswith("{"):
        assert _without_seconds(fast_out) == _without_seconds(click_out)
    else:
        assert fast_out == click_out


def test_scan_routes_agree_on_findings(repo: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (code, out, _), _ = _both(["scan", "--staged", "--format", "json"], capsys, monkeypatch)
    assert code == 1 and json.loads(out)["findings"][0]["rule_id"] == "t-github-pat"


@pytest.mark.parametrize(("args", "payload"), [
    (["hook", "claude-code"], {"hook_event_name": "UserPromptSubmit", "prompt": f"t {GITHUB_TOKEN}"}),
    (["hook", "claude-code"], {"hook_event_name": "UserPromptSubmit", "prompt": "hello"}),
    (["hook", "claude-code"], b"{nope"),
    (["hook", "copilot", "--event", "preToolUse"], {"toolName": "view", "toolArgs": '{"path": ".env"}'}),
    (["hook", "notepad"], {}),
    (["hook", "cursor", "-c", "missing.yaml"], {"hook_event_name": "beforeSubmitPrompt", "prompt": "x"}),
])
def test_hook_routes_answer_alike(repo: Path, args: list[str], payload: Any, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DLP_DATA_DIR", str(repo.parent / "data"))
    (repo / ".env").write_text(f"GITHUB_TOKEN={GITHUB_TOKEN}\n")
    raw = payload if isinstance(payload, bytes) else json.dumps({"cwd": str(repo), **payload}).encode()
    assert cli_argv.route(args) is not None
    fast, slow = _both(args, capsys, monkeypatch, stdin=raw)
    assert fast == slow
    assert fast[0] in (0, 2)


def test_fast_routes_do_not_import_click(repo: Path) -> None:
    probe = ("import sys\nfrom dlp.cli import main\n"
             "code = main(sys.argv[1:])\n"
             "sys.stderr.write('CLICK' if 'click' in sys.modules else 'NO-CLICK')\n")
    env = dict(os.environ, DLP_RULES_DIR=str(CORE_RULES.parent))
    for args, stdin in ((["hook", "claude-code"], b'{"hook_event_name": "UserPromptSubmit", "prompt": "hi"}'),
                        (["scan", "--staged", "--no-progress"], b""),
                        (["rules", "validators"], b"")):
        done = subprocess.run([sys.executable, "-c", probe, *args], input=stdin, capture_output=True, cwd=repo,
                              env=env, check=False)
        expected = "CLICK" if args[0] == "rules" else "NO-CLICK"
        assert done.stderr.decode().endswith(expected), (args, done.stderr.decode()[-300:])
