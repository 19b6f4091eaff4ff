"""`dlp scan` as a user runs it: reports, exit codes, bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import CORE_RULES, GITHUB_TOKEN
from dlp.cli import main

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
FINDING_KEYS = {"rule_id", "category", "severity", "path", "line", "column", "end_line", "end_column",
                "masked", "fingerprint", "action", "message"}


@pytest.fixture(autouse=True)
def _core_rules_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Built-in packs = the small core test pack, so these tests do not depend on rule data."""
    monkeypatch.setenv("DLP_RULES_DIR", str(CORE_RULES.parent))


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(f'import os\n\nTOKEN = "{GITHUB_TOKEN}"\n')
    (root / "src" / "clean.py").write_text("print('hello')\n")
    (root / "README.md").write_text("nothing to see\n")
    monkeypatch.chdir(tmp_path)
    return root


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_report_contract(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("scan", "repo", "--format", "json", capsys=capsys)
    assert code == 1, err
    report = json.loads(out)
    assert set(report) == {"version", "findings", "stats"}
    assert report["version"] == 1
    (finding,) = report["findings"]
    assert FINDING_KEYS <= set(finding)
    assert finding["rule_id"] == "t-github-pat"
    assert finding["path"] == "repo/src/app.py"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (3, 10, 3, 50)
    assert finding["action"] == "block" and finding["category"] == "secret" and finding["severity"] == "high"
    assert finding["fingerprint"].startswith("sha256:")
    assert GITHUB_TOKEN not in out
    assert {"files", "bytes", "seconds"} <= set(report["stats"])
    assert report["stats"]["files"] == 3


def test_file_argument_keeps_its_own_path(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("scan", "repo/src/app.py", "--format", "json", capsys=capsys)
    assert json.loads(out)["findings"][0]["path"] == "repo/src/app.py"


def test_clean_tree_exits_zero(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "src" / "app.py").unlink()
    code, out, _ = run("scan", "repo", "--format", "json", capsys=capsys)
    assert code == 0 and json.loads(out)["findings"] == []


def test_reveal_is_explicit(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("text", "json", "jsonl", "sarif"):
        _, out, err = run("scan", "repo", "--format", fmt, capsys=capsys)
        assert GITHUB_TOKEN not in out + err, fmt
    _, out, _ = run("scan", "repo", "--format", "json", "--reveal", capsys=capsys)
    assert json.loads(out)["findings"][0]["value"] == GITHUB_TOKEN


def test_sarif_validates_against_the_official_schema(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "two.env").write_text(f"A={GITHUB_TOKEN}\nB=AKIAZ7QLXW3MN4PRTY2K\n")
    code, out, _ = run("scan", "repo", "--format", "sarif", capsys=capsys)
    log = json.loads(out)
    jsonschema.validators.validator_for(SCHEMA)(SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"t-github-pat", "t-aws-key-id"}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        assert r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1


def test_jsonl_one_finding_per_line(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "two.env").write_text(f"A={GITHUB_TOKEN}\nB=AKIAZ7QLXW3MN4PRTY2K\n")
    _, out, _ = run("scan", "repo", "--format", "jsonl", capsys=capsys)
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(FINDING_KEYS <= set(json.loads(line)) for line in lines)


def test_text_report_escapes_markup(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "[red]x[bold].py").write_text(f'T = "{GITHUB_TOKEN}"\n')
    _, out, _ = run("scan", "repo", capsys=capsys)
    assert "[red]x[bold].py" in out
    assert "ghp_****..." in out
    assert "3 findings" not in out and "2 findings in" in out


def test_output_file(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run("scan", "repo", "--format", "json", "-o", str(target), capsys=capsys)
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["findings"][0]["rule_id"] == "t-github-pat"


def test_output_to_missing_directory_is_a_clear_error(tree: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run("scan", "repo", "-o", str(tmp_path / "nope" / "r.json"), capsys=capsys)
    assert code == 2 and "cannot write report" in err and "Traceback" not in err


def test_gitignore_and_excludes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / ".gitignore").write_text("src/app.py\n")
    assert run("scan", "repo", capsys=capsys)[0] == 0
    assert run("scan", "repo", "--no-gitignore", capsys=capsys)[0] == 1
    (tree / ".gitignore").unlink()
    assert run("scan", "repo", "--exclude", "src/", capsys=capsys)[0] == 0
    nested = tree / "src" / "deep"
    nested.mkdir()
    (nested / "k.py").write_text(f'K = "{GITHUB_TOKEN}"\n')
    (tree / "src" / ".gitignore").write_text("deep/\napp.py\n")
    assert run("scan", "repo", capsys=capsys)[0] == 0


def test_config_file(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tree / ".dlp.yaml"
    config.write_text("exclude: ['*.py']\n")
    assert run("scan", "repo", "--config", str(config), capsys=capsys)[0] == 0
    config.write_text("rules:\n  disable_rules: [t-github-pat]\n")
    # with the specific rule off, the generic rule still sees a secret assigned to TOKEN
    assert run("scan", "repo", "--config", str(config), capsys=capsys)[0] == 1
    config.write_text("rules:\n  disable_rules: [t-github-pat, t-generic-password]\n")
    assert run("scan", "repo", "--config", str(config), capsys=capsys)[0] == 0
    config.write_text("rules:\n  min_severity: critical\n")
    assert run("scan", "repo", "--config", str(config), capsys=capsys)[0] == 0
    config.write_text("allowlist:\n  paths: ['src/app.py']\n")
    assert run("scan", "repo", "--config", str(config), capsys=capsys)[0] == 0


def test_config_found_at_repository_root(tree: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tree / ".git").mkdir()
    (tree / ".dlp.yaml").write_text("rules:\n  disable_rules: [t-github-pat, t-generic-password]\n")
    monkeypatch.chdir(tree / "src")
    assert run("scan", ".", capsys=capsys)[0] == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("colour: red\n", "unknown key 'colour'"),
        ("rules:\n  min_severity: urgent\n", "rules.min_severity must be"),
        ("rules: [1, 2]\n", "rules must be a mapping"),
        ("exclude: {a: 1}\n", "exclude must be a list of strings"),
        ("max_file_size: lots\n", "max_file_size must be a positive size"),
        ("allowlist:\n  fingerprints: [abc]\n", "is not sha256:<64 hex>"),
        ("rules:\n  enable: [nope]\n", "unknown rule pack 'nope'"),
        ("a: [\n", "invalid YAML"),
        ("- 1\n", "the config must be a mapping"),
    ],
)
def test_broken_config_is_one_line_exit_2(tree: Path, capsys: pytest.CaptureFixture[str], body: str,
                                          message: str) -> None:
    config = tree / ".dlp.yaml"
    config.write_text(body)
    code, out, err = run("scan", "repo", "--config", str(config), capsys=capsys)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_broken_rule_file_is_exit_2(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: x\n    name: X\n")
    code, _, err = run("scan", "repo", "--rules", str(bad), capsys=capsys)
    assert code == 2 and f"{bad}: rule 'x': missing required key" in err


def test_missing_path_is_reported_and_the_rest_scanned(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("scan", "nope", "repo/src/clean.py", "--format", "json", capsys=capsys)
    assert code == 2
    assert "skipped nope: no such file or directory" in err
    assert json.loads(out)["stats"]["files"] == 1
    code, _, _ = run("scan", "nope", "repo", capsys=capsys)
    assert code == 1  # findings win over the missing argument


def test_binary_large_fifo_invalid_utf8_utf16(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "blob.bin").write_bytes(b"\x00\x01\x02" + GITHUB_TOKEN.encode() + b"\x00" * 100)
    big = tree / "big.log"
    with open(big, "wb") as fh:  # a sparse 2 GB file: must be skipped without being read
        fh.truncate(2 * 1024**3)
    os.mkfifo(tree / "pipe")
    (tree / "latin.py").write_bytes(b"caf\xe9 = 1\nT = '" + GITHUB_TOKEN.encode() + b"'\n")
    (tree / "utf16.ps1").write_bytes(("$t = '" + GITHUB_TOKEN + "'\r\n").encode("utf-16"))
    (tree / "utf16nobom.txt").write_bytes(("t = '" + GITHUB_TOKEN + "'\n").encode("utf-16-le"))
    code, out, err = run("scan", "repo", "--format", "json", capsys=capsys)
    report = json.loads(out)
    skipped = {Path(s["path"]).name: s["reason"] for s in report["stats"]["skipped"]}
    assert skipped["blob.bin"] == "binary file"
    assert "larger than the size limit" in skipped["big.log"]
    assert "FIFO" in skipped["pipe"]
    paths = sorted(Path(f["path"]).name for f in report["findings"])
    assert paths == ["app.py", "latin.py", "utf16.ps1", "utf16nobom.txt"]
    latin = next(f for f in report["findings"] if f["path"].endswith("latin.py"))
    assert (latin["line"], latin["column"]) == (2, 6)
    assert code == 1
    assert "skipped repo/big.log: larger than the size limit" in err
    assert "blob.bin" not in err  # binary files are noted in the report, not shouted about


def test_symlink_loop_is_noted_not_followed_forever(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink("..", tree / "src" / "loop")
    code, out, err = run("scan", "repo", "--format", "json", "--follow-symlinks", capsys=capsys)
    report = json.loads(out)
    assert any("symlink loop" in s["reason"] for s in report["stats"]["skipped"])
    assert len(report["findings"]) == 1 and code == 1
    code, out, _ = run("scan", "repo", "--format", "json", capsys=capsys)
    assert len(json.loads(out)["findings"]) == 1


def test_unreadable_file_is_noted(tree: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def deny(path, flags, *args):  # type: ignore[no-untyped-def]
        if str(path).endswith("clean.py"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    code, out, err = run("scan", "repo", "--format", "json", "-j", "1", capsys=capsys)
    assert "skipped repo/src/clean.py: permission denied" in err
    assert code == 1 and len(json.loads(out)["findings"]) == 1


def test_stdin(tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(f"x = '{GITHUB_TOKEN}'".encode())))
    code, out, _ = run("scan", "-", "--format", "json", capsys=capsys)
    assert code == 1 and json.loads(out)["findings"][0]["path"] == "-"


def test_internal_error_exit_3_without_traceback(tree: Path, capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import dlp.runner

    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise RuntimeError("kaboom\nsecond line")

    monkeypatch.setattr(dlp.runner, "scan", boom)
    code, _, err = run("scan", "repo", "-j", "1", capsys=capsys)
    assert code == 3
    assert err.strip() == "dlp: internal error: RuntimeError: kaboom (set DLP_DEBUG=1 for a traceback)"


def test_usage_errors_exit_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("scan", "--format", "xml", capsys=capsys)[0] == 2
    assert run("scan", "--staged", "--history", capsys=capsys)[0] == 2
    assert run("nope", capsys=capsys)[0] == 2


def test_parallel_scan_equals_serial(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for i in range(100):
        (tree / f"f{i}.py").write_text(f'T = "{GITHUB_TOKEN}"\n' if i % 7 == 0 else "x = 1\n")
    _, serial, _ = run("scan", "repo", "--format", "json", "-j", "1", capsys=capsys)
    _, parallel, _ = run("scan", "repo", "--format", "json", "-j", "2", capsys=capsys)
    assert json.loads(serial)["findings"] == json.loads(parallel)["findings"]
    assert len(json.loads(serial)["findings"]) == 16


def test_console_script_and_module_entry_points(tree: Path) -> None:
    env = {**os.environ, "DLP_RULES_DIR": str(CORE_RULES.parent)}
    for cmd in ([sys.executable, "-m", "dlp"], [str(Path(sys.executable).with_name("dlp"))]):
        proc = subprocess.run([*cmd, "scan", "repo", "--format", "json"], capture_output=True, text=True, env=env)
        assert proc.returncode == 1, proc.stderr
        assert json.loads(proc.stdout)["findings"][0]["rule_id"] == "t-github-pat"


def test_rules_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("rules", "list", capsys=capsys)
    assert code == 0 and "t-github-pat" in out
    code, out, _ = run("rules", "explain", "t-github-pat", capsys=capsys)
    assert code == 0 and "crc32_base62" in out and GITHUB_TOKEN not in out
    code, out, err = run("rules", "test", capsys=capsys)
    assert code == 0 and "0 failures" in err
    code, _, err = run("rules", "explain", "nope", capsys=capsys)
    assert code == 2 and "unknown rule 'nope'" in err


def test_rules_test_reports_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CORE_RULES.read_text().replace("negative: ['card: 4539 1488 0343 6468']",
                                                  "negative: ['card: 4539 1488 0343 6467']"))
    code, out, err = run("rules", "test", str(bad), capsys=capsys)
    assert code == 1
    assert "rule 't-card' [python] negative example" in out
    assert "reported **** **** **** 6467" in out
    from dlp.engine import hyperscan_available

    assert ("2 failures" if hyperscan_available() else "1 failure") in err


def test_colour_report_does_not_interpret_markup(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "[red]x[bold].py").write_text(f'T = "{GITHUB_TOKEN}"\n')
    _, out, _ = run("scan", "repo", "--color", capsys=capsys)
    assert "[red]x[bold].py" in out and "\x1b[" in out


def test_readme_audit_runs_on_a_core_install(tmp_path: Path) -> None:
    """The README's first command installs dlp without extras: the audit of the
    bundled example must not need an optional or undeclared package
    (tree-sitter, typing_extensions, ...), which the test environment has."""
    blocked = ["tree_sitter", "typing_extensions", "detect_secrets", "aiohttp", "litellm", "mitmproxy"]
    code = ("import sys\n"
            f"for name in {blocked!r}:\n"
            "    sys.modules[name] = None  # import fails as if not installed\n"
            "from dlp.cli import main\n"
            "raise SystemExit(main(['scan', 'examples/leaky-repo', '--enable', 'all', '--format', 'json',"
            " '--jobs', '1']))\n")
    root = Path(__file__).resolve().parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("DLP_")}  # the built-in rules
    env["DLP_CACHE_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["findings"]
