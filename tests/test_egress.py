"""Egress decisions on text, prompts, tool calls and files; the CLI commands."""
from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from test_egress_kit import NRIC, SG_NRIC, TOKEN, make_egress, write_pack

from dlp.config import Allowlist
from dlp.egress import Egress, command_paths, tool_paths
from dlp.mask import fingerprint
from dlp.model import Action, Category, Finding, Origin, Severity
from dlp.redact import Vault, restore_text

POLICY = {"proprietary": {"paths": ["src/pricing/", "*.pem"]}}


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "src/pricing").mkdir(parents=True)
    (tmp_path / "src/pricing/engine.py").write_text("def price(x):\n    return x * 1.07\n")
    (tmp_path / "src/app.py").write_text("print('hello')\n")
    (tmp_path / ".env").write_text(f"GITHUB_TOKEN={TOKEN}\n")
    (tmp_path / "customers.csv").write_text(f"name,ic\nSiti,{NRIC}\n")
    (tmp_path / "blob.bin").write_bytes(b"\0\0" + TOKEN.encode())
    return tmp_path


@pytest.fixture()
def egress(project: Path) -> Egress:
    return make_egress(project, POLICY)


def test_check_text(egress: Egress) -> None:
    assert egress.check_text("nothing here").action is Action.ALLOW
    d = egress.check_text(f"IC {NRIC}")
    assert d.action is Action.REDACT and d.rule_ids == ("my-nric",)
    d = egress.check_text(f"IC {NRIC} token {TOKEN}")
    assert d.action is Action.BLOCK and d.blocked
    assert all(TOKEN not in r and NRIC not in r for r in d.reasons)
    assert [r.action for r in d.findings] == [Action.REDACT, Action.BLOCK]


def test_check_text_from_proprietary_path(egress: Egress) -> None:
    d = egress.check_text("x = 1", path="src/pricing/engine.py")
    assert d.action is Action.BLOCK and d.rule_ids == ("proprietary-path",)


def test_redact_text(egress: Egress) -> None:
    vault = Vault()
    d, out = egress.redact_text(f"IC {NRIC} and again {NRIC}; sg {SG_NRIC}", vault)
    assert out == "IC <PII:my-nric:1> and again <PII:my-nric:1>; sg <PII:sg-nric:2>"
    assert restore_text(out, vault) == f"IC {NRIC} and again {NRIC}; sg {SG_NRIC}"
    assert d.action is Action.REDACT


def test_allowlist_by_rule_fingerprint_and_value(project: Path) -> None:
    assert make_egress(project, allowlist=Allowlist(rules=("my-nric",))).check_text(NRIC).action is Action.ALLOW
    fp = fingerprint("github-pat", TOKEN)
    assert make_egress(project, allowlist=Allowlist(fingerprints=frozenset({fp}))).check_text(TOKEN).action \
        is Action.ALLOW
    import re

    assert make_egress(project, allowlist=Allowlist(values=(re.compile("^850612"),))).check_text(NRIC).action \
        is Action.ALLOW


def test_destination_policy(project: Path) -> None:
    e = make_egress(project, {"destinations": {"localhost": {"actions": "allow"}}})
    assert e.check_text(TOKEN, destination="localhost:11434").action is Action.ALLOW
    assert e.check_text(TOKEN, destination="api.anthropic.com").action is Action.BLOCK


@pytest.mark.parametrize(("prompt", "action", "rules"), [
    ("explain @src/pricing/engine.py", Action.BLOCK, ("proprietary-path",)),
    ('explain @"src/pricing/engine.py" please', Action.BLOCK, ("proprietary-path",)),
    ("explain @src/pricing/engine.py#L1-2.", Action.BLOCK, ("proprietary-path",)),
    ("explain @src/pricing", Action.BLOCK, ("proprietary-path",)),
    ("what is in @.env?", Action.BLOCK, ("github-pat",)),
    ("summarise @customers.csv", Action.REDACT, ("my-nric",)),
    ("look at @src/app.py", Action.ALLOW, ()),
    ("mail me at me@example.com about src/pricing", Action.ALLOW, ()),
    ("@missing/file.py", Action.ALLOW, ()),
    ("@blob.bin", Action.ALLOW, ()),
])
def test_check_prompt_mentions(egress: Egress, project: Path, prompt: str, action: Action,
                               rules: tuple[str, ...]) -> None:
    d = egress.check_prompt(prompt, cwd=project)
    assert (d.action, d.rule_ids) == (action, rules)


def test_prompt_mention_finding_points_at_the_mention(egress: Egress, project: Path) -> None:
    prompt = "line one\nsee @src/pricing/engine.py now"
    f = egress.check_prompt(prompt, cwd=project).findings[0].finding
    assert (f.line, f.column) == (2, 5)
    assert prompt.encode()[f.start:f.end] == b"@src/pricing/engine.py"
    vault = Vault()
    d, out = egress.redact_text(prompt, vault)  # plain text has no mention check
    assert d.action is Action.ALLOW and out == prompt


def test_prompt_attachments(egress: Egress, project: Path) -> None:
    d = egress.check_prompt("see attached", cwd=project, attachments=[str(project / "src/pricing/engine.py")])
    assert d.action is Action.BLOCK


@pytest.mark.parametrize(("tool", "tool_input", "action", "rules"), [
    ("Read", {"file_path": "{root}/src/pricing/engine.py"}, Action.BLOCK, ("proprietary-path",)),
    ("Read", {"file_path": "{root}/.env"}, Action.BLOCK, ("github-pat",)),
    ("Read", {"file_path": "{root}/customers.csv"}, Action.REDACT, ("my-nric",)),
    ("Read", {"file_path": "{root}/src/app.py"}, Action.ALLOW, ()),
    ("Grep", {"pattern": "price", "path": "src/pricing"}, Action.BLOCK, ("proprietary-path",)),
    ("Glob", {"pattern": "**/*.py", "path": "src"}, Action.ALLOW, ()),
    ("Bash", {"command": "cat src/pricing/engine.py | head -5"}, Action.BLOCK, ("proprietary-path",)),
    ("Bash", {"command": "grep -r price --include=*.py src/pricing/"}, Action.BLOCK, ("proprietary-path",)),
    ("Bash", {"command": "source .env && env"}, Action.BLOCK, ("github-pat",)),
    ("Bash", {"command": "openssl x509 -in certs/prod.pem"}, Action.BLOCK, ("proprietary-path",)),
    ("Bash", {"command": "ls -la && git status"}, Action.ALLOW, ()),
    ("shell", {"command": ["bash", "-lc", "cat src/pricing/engine.py"]}, Action.BLOCK, ("proprietary-path",)),
    ("Edit", {"file_path": "src/pricing/engine.py", "old_string": "a", "new_string": "b"}, Action.BLOCK,
     ("proprietary-path",)),
    ("WebFetch", {"url": f"https://example.com/?t={TOKEN}"}, Action.BLOCK, ("github-pat",)),
    ("mcp__db__query", {"sql": f"select * where ic='{NRIC}'"}, Action.REDACT, ("my-nric",)),
    ("read_many_files", {"paths": ["src/app.py", "src/pricing/engine.py"]}, Action.BLOCK, ("proprietary-path",)),
])
def test_check_tool_call(egress: Egress, project: Path, tool: str, tool_input: dict, action: Action,
                         rules: tuple[str, ...]) -> None:
    tool_input = json.loads(json.dumps(tool_input).replace("{root}", str(project)))
    d = egress.check_tool_call(tool, tool_input, cwd=project)
    assert (d.action, d.rule_ids) == (action, rules)


def test_command_paths() -> None:
    assert command_paths("cat a/b.py|grep x > out.txt; ls -l --color=auto ./c") == ["a/b.py", "out.txt", "./c"]
    assert command_paths("curl https://x.y/z $HOME/.env") == []
    assert command_paths("echo 'unterminated") == []  # shlex fails: split on spaces
    assert tool_paths('{"file_path": "a.py"}') == ["a.py"]
    assert tool_paths("not json") == []


def test_check_path(egress: Egress, project: Path) -> None:
    assert egress.check_path("src/pricing/engine.py", cwd=project).action is Action.BLOCK
    assert egress.check_path(str(project / ".env")).action is Action.BLOCK
    assert egress.check_path(str(project / "nope.txt")).action is Action.ALLOW
    assert egress.check_path(str(project / ".env"), read=False).action is Action.ALLOW
    f = egress.check_path(str(project / ".env")).findings[0].finding
    assert f.path == ".env" and f.line == 1


def test_input_cap(egress: Egress) -> None:
    from dlp.errors import InputError

    egress.max_input = 10
    with pytest.raises(InputError):
        egress.check_text("x" * 11)


class _FakeIndex:
    def lookup(self, data: bytes, *, origin: Origin, threshold: float) -> list[Finding]:
        at = data.find(b"def secret_sauce")
        if at < 0:
            return []
        return [Finding(rule_id="proprietary-code", category=Category.PROPRIETARY, severity=Severity.HIGH,
                        message="Proprietary code", start=at, end=len(data), line=1, column=1, end_line=1,
                        end_column=2, masked="<code>", fingerprint="sha256:" + "0" * 64,
                        value=data[at:].decode(), origin=origin,
                        attributes=(("source", {"path": "core/sauce.py", "start_line": 1, "end_line": 9}),))]


def test_proprietary_index_hook_point(project: Path) -> None:
    e = make_egress(project)
    e.index = _FakeIndex()
    d = e.check_text("here:\ndef secret_sauce(x):\n    return x")
    assert d.action is Action.BLOCK and "matches core/sauce.py" in d.reasons[0]
    vault = Vault()
    _, out = e.redact_text("here:\ndef secret_sauce(x): pass", vault)
    assert out == "here:\n<CODE:proprietary-code:1>"


def test_missing_index_is_a_config_error(tmp_path: Path) -> None:
    from dlp.egress import open_index
    from dlp.errors import ConfigError

    with pytest.raises(ConfigError, match="no such index"):
        open_index(tmp_path / "none.db")


# --------------------------------------------------------------------------- CLI


@pytest.fixture()
def cli_env(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rules = project / "_rules"
    (rules / "test").mkdir(parents=True)
    write_pack(rules / "test")
    monkeypatch.setenv("DLP_RULES_DIR", str(rules))
    monkeypatch.setenv("DLP_DATA_DIR", str(project / "_data"))
    monkeypatch.delenv("DLP_VAULT_KEY", raising=False)
    config = project / ".dlp.yaml"
    config.write_text("proprietary:\n  paths: [src/pricing/]\naudit:\n  path: audit.jsonl\n"
                      "destinations:\n  localhost: {actions: allow}\n", encoding="utf-8")
    monkeypatch.chdir(project)
    return config


def run(args: list[str], stdin: str, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    from dlp.cli import main

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_check_exit_codes(cli_env: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert run(["check"], "hello", capsys, monkeypatch)[:2] == (0, "decision: allow\n")
    code, out, _ = run(["check", "--format", "json"], f"IC {NRIC}", capsys, monkeypatch)
    assert code == 0 and json.loads(out)["decision"] == "redact"
    code, out, _ = run(["check"], f"token {TOKEN}", capsys, monkeypatch)
    assert code == 1 and "github-pat" in out and TOKEN not in out
    code, out, _ = run(["check", "--reveal"], f"token {TOKEN}", capsys, monkeypatch)
    assert TOKEN in out
    code, out, _ = run(["check", "--destination", "localhost"], f"token {TOKEN}", capsys, monkeypatch)
    assert code == 0
    code, out, _ = run(["check"], "explain @src/pricing/engine.py", capsys, monkeypatch)
    assert code == 1 and "proprietary-path" in out
    audit = (cli_env.parent / "audit.jsonl").read_text()
    assert TOKEN not in audit and NRIC not in audit and audit.count("\n") == 6


def test_cli_check_payload_and_bad_input(cli_env: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    payload = json.dumps({"model": "m", "messages": [{"role": "user", "content": f"t {TOKEN}"}]})
    code, out, _ = run(["check", "--payload", "openai", "--format", "json"], payload, capsys, monkeypatch)
    assert code == 1 and json.loads(out)["findings"][0]["field"] == "messages[0].content"
    code, _, err = run(["check", "--payload", "anthropic"], "{broken", capsys, monkeypatch)
    assert code == 2 and "not JSON" in err
    code, _, err = run(["check", "missing-file.txt"], "", capsys, monkeypatch)
    assert code == 2 and "cannot read" in err
    cli_env.write_text("actions:\n  secret: nope\n", encoding="utf-8")
    code, _, err = run(["check"], "x", capsys, monkeypatch)
    assert code == 2 and ".dlp.yaml: actions.secret must be" in err


def test_cli_redact_and_restore(cli_env: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    text = f"IC {NRIC}, again {NRIC}\n"
    code, out, _ = run(["redact", "--session", "t1"], text, capsys, monkeypatch)
    assert code == 0 and out == "IC <PII:my-nric:1>, again <PII:my-nric:1>\n"
    code, out2, _ = run(["redact", "--session", "t1"], f"later {NRIC}\n", capsys, monkeypatch)
    assert out2 == "later <PII:my-nric:1>\n"  # stable within the session
    answer = "Your IC <PII:my-nric:1> is valid; <PII:my-nric:7> is unknown.\n"
    code, restored, _ = run(["redact", "--restore", "--session", "t1"], answer, capsys, monkeypatch)
    assert restored == f"Your IC {NRIC} is valid; <PII:my-nric:7> is unknown.\n"
    code, other, _ = run(["redact", "--restore", "--session", "t2"], answer, capsys, monkeypatch)
    assert other == answer
    # blocked content is still redacted in the output, and exits 1
    code, out, err = run(["redact"], f"tok {TOKEN}\n", capsys, monkeypatch)
    assert code == 1 and out == "tok <SECRET:github-pat:1>\n" and "blocked" in err
    vault_files = list((cli_env.parent / "_data" / "vault").glob("*.vault"))
    assert vault_files and all(NRIC not in p.read_text() for p in vault_files)
    assert oct(os.stat(cli_env.parent / "_data" / "vault.key").st_mode & 0o777) == "0o600"


def test_cli_redact_payload(cli_env: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    payload = {"system": f"ic {NRIC}", "messages": [{"role": "user", "content": [
        {"type": "thinking", "thinking": NRIC, "signature": "s"}, {"type": "text", "text": NRIC}]}]}
    code, out, _ = run(["redact", "--payload", "anthropic", "--session", "p"], json.dumps(payload), capsys,
                       monkeypatch)
    red = json.loads(out)
    assert code == 0
    assert red["system"] == "ic <PII:my-nric:1>"
    assert red["messages"][0]["content"][0]["thinking"] == NRIC
    code, out, _ = run(["redact", "--restore", "--payload", "anthropic", "--session", "p"], out, capsys, monkeypatch)
    assert code == 0 and json.loads(out) == payload


def test_real_index_through_the_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`index:` in the policy: a pasted, renamed fragment of an indexed file is
    a proprietary-code finding naming its source."""
    fingerprint_mod = pytest.importorskip("dlp.fingerprint")
    (tmp_path / "rules" / "test").mkdir(parents=True)
    write_pack(tmp_path / "rules" / "test")
    monkeypatch.setenv("DLP_RULES_DIR", str(tmp_path / "rules"))
    src = tmp_path / "core"
    src.mkdir()
    lines = []
    for i in range(40):
        lines.append(f"def compute_tier_{i}(order, rates, ledger):\n"
                     f"    subtotal = sum(item.price * item.qty for item in order.items if item.qty > {i})\n"
                     f"    if subtotal > rates.threshold_{i}:\n"
                     f"        ledger.append((order.id, subtotal * rates.factor_{i} - {i}))\n"
                     f"    return subtotal\n\n")
    (src / "pricing.py").write_text("".join(lines))
    index = tmp_path / "index.db"
    fingerprint_mod.build([str(src)], str(index))
    (tmp_path / ".dlp.yaml").write_text(f"index: {index}\n")
    egress = Egress.from_config(tmp_path / ".dlp.yaml")
    fragment = "".join(lines[5:15]).replace("order", "o").replace("ledger", "out")
    d = egress.check_text("Why is this slow?\n```python\n" + fragment + "```\n")
    assert d.action is Action.BLOCK
    f = next(r.finding for r in d.findings if r.finding.rule_id == "proprietary-code")
    assert f.attribute("source")["path"].endswith("pricing.py")
    assert egress.check_text("Why is the sky blue?").action is Action.ALLOW


def test_one_egress_many_threads(egress: Egress) -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"IC {NRIC} token {TOKEN}", "clean text " * 200, f"ic {NRIC}"] * 30
    with ThreadPoolExecutor(8) as pool:
        actions = list(pool.map(lambda t: egress.check_text(t).action, texts))
    assert actions == [Action.BLOCK, Action.ALLOW, Action.REDACT] * 30
