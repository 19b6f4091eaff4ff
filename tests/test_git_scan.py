"""`dlp scan --staged | --diff | --history` on real repositories built here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlp.errors import InputError
from dlp.git_scan import run_git_scan, run_push_scan
from dlp.report import ScanReport, render
from dlp.runner import ScanOptions
from dlp.ruleset import Ruleset
from test_git_support import RULE_ID, Repo, repo, rules_file, ruleset, run_dlp, token  # noqa: F401

OPTIONS = ScanOptions(jobs=1)


def scan_git(ruleset: Ruleset, *, staged: bool = False, diff: str | None = None, history: bool = False,
             since: str | None = None, branches: tuple[str, ...] = (), paths: tuple[str, ...] = (),
             options: ScanOptions = OPTIONS) -> ScanReport:
    return run_git_scan(paths=list(paths), staged=staged, diff_range=diff, history=history, since=since,
                        branches=list(branches), ruleset=ruleset, options=options, baseline=None)


def located(report: ScanReport) -> list[tuple[str | None, int]]:
    return [(r.finding.path, r.finding.line) for r in report.findings]


def status(report_item: object) -> str | None:
    return dict(report_item.finding.origin.extra).get("status")  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- --staged


def test_staged_reads_the_index_not_the_working_tree(repo: Repo, ruleset: Ruleset) -> None:
    repo.write("app.py", "x = 1\n")
    repo.commit("init")
    repo.write("app.py", f"x = 1\ntoken = '{token(1)}'\n")
    repo.git("add", "app.py")
    repo.write("app.py", "x = 1\n")  # cleaned in the working tree only: the index still leaks
    assert located(scan_git(ruleset, staged=True)) == [("app.py", 2)]

    repo.git("add", "app.py")
    repo.write("app.py", f"x = 1\ntoken = '{token(1)}'\n")  # unstaged secret: not what is committed
    assert located(scan_git(ruleset, staged=True)) == []


def test_staged_reports_only_added_lines(repo: Repo, ruleset: Ruleset) -> None:
    repo.write("cfg.py", f"old = '{token(2)}'\na = 1\n")
    repo.commit("known secret")
    repo.write("cfg.py", f"old = '{token(2)}'\na = 2\nb = 3\nnew = '{token(3)}'\n")
    repo.git("add", "cfg.py")
    report = scan_git(ruleset, staged=True)
    assert located(report) == [("cfg.py", 4)]
    assert report.findings[0].finding.value == token(3)


def test_staged_before_the_first_commit_and_pathspecs(repo: Repo, ruleset: Ruleset) -> None:
    repo.write("a/one.py", f"t = '{token(4)}'\n")
    repo.write("b/two.py", f"t = '{token(5)}'\n")
    repo.git("add", "-A")
    assert located(scan_git(ruleset, staged=True)) == [("a/one.py", 1), ("b/two.py", 1)]
    assert located(scan_git(ruleset, staged=True, paths=("b",))) == [("b/two.py", 1)]


def test_staged_skips_binary_and_oversized_blobs(repo: Repo, ruleset: Ruleset) -> None:
    repo.write("blob.bin", b"\x00\x01\x02" + token(6).encode() + b"\x00")
    repo.write("big.txt", "x\n" * 5000 + f"t = '{token(7)}'\n")
    repo.write("ok.txt", f"t = '{token(8)}'\n")
    repo.git("add", "-A")
    report = scan_git(ruleset, staged=True, options=ScanOptions(jobs=1, max_file_size=4096))
    assert located(report) == [("ok.txt", 1)]
    reasons = {s.path: s.reason for s in report.skipped}
    assert reasons["blob.bin"] == "binary file"
    assert reasons["big.txt"].startswith("larger than the size limit")


# --------------------------------------------------------------------------- --diff


def test_diff_reports_added_lines_with_new_line_numbers(repo: Repo, ruleset: Ruleset) -> None:
    lines = [f"line{i} = {i}" for i in range(1, 11)]
    lines[4] = f"old = '{token(10)}'"
    repo.write("svc.py", "\n".join(lines) + "\n")
    repo.write("moved.py", "\n".join(f"m{i} = {i}" for i in range(20)) + "\n")
    base = repo.commit("base")
    lines = ["# header", "# more", *lines]  # the old secret moves to line 7: not new
    lines.insert(9, f"new = '{token(11)}'")  # line 10 of the new file
    repo.write("svc.py", "\n".join(lines) + "\n")
    repo.git("mv", "moved.py", "renamed.py")
    text = (repo.path / "renamed.py").read_text().splitlines()
    text.insert(15, f"k = '{token(12)}'")
    repo.write("renamed.py", "\n".join(text) + "\n")
    head = repo.commit("change")

    for rng in (f"{base}..{head}", f"{base}..", base, f"{base}...HEAD"):
        report = scan_git(ruleset, diff=rng)
        assert located(report) == [("renamed.py", 16), ("svc.py", 10)], rng
        assert {r.finding.value for r in report.findings} == {token(11), token(12)}
    # backwards, the change only removes lines: the old secret was never re-added
    assert located(scan_git(ruleset, diff=f"{head}..{base}")) == []


def test_diff_of_a_range_spanning_a_removal_reports_nothing(repo: Repo, ruleset: Ruleset) -> None:
    repo.write("a.txt", "clean\n")
    base = repo.commit("base")
    repo.write("a.txt", f"clean\n{token(13)}\n")
    repo.commit("leak")
    repo.write("a.txt", "clean\n")
    repo.commit("fix")
    assert located(scan_git(ruleset, diff=f"{base}..HEAD")) == []  # net diff: nothing added
    # ... but the push of those commits publishes the secret: the pre-push scan sees it
    report = run_push_scan(from_ref=base, to_ref="HEAD", paths=[], ruleset=ruleset, options=OPTIONS,
                           baseline=None)
    assert located(report) == [("a.txt", 2)]
    assert report.findings[0].finding.origin.commit == repo.git("rev-parse", "HEAD~1")


def test_push_scan_ignores_what_the_remote_already_has(repo: Repo, ruleset: Ruleset) -> None:
    repo.write("a.txt", f"old {token(14)}\n")
    base = repo.commit("already pushed")
    repo.write("a.txt", f"old {token(14)}\nmore\n")
    repo.commit("edit")
    assert located(run_push_scan(from_ref=base, to_ref="HEAD", paths=[], ruleset=ruleset, options=OPTIONS,
                                 baseline=None)) == []
    # a new branch with nothing on any remote: everything is pushed
    report = run_push_scan(from_ref=None, to_ref="HEAD", paths=[], ruleset=ruleset, options=OPTIONS,
                           baseline=None)
    assert located(report) == [("a.txt", 1)]


@pytest.mark.parametrize("rng", ["nope", "nope..HEAD", "HEAD..nope"])
def test_bad_revision_is_an_input_error(repo: Repo, ruleset: Ruleset, rng: str) -> None:
    repo.write("a.txt", "x\n")
    repo.commit("one")
    with pytest.raises(InputError, match="unknown revision 'nope'"):
        scan_git(ruleset, diff=rng)


def test_cli_errors_are_one_line_exit_2(repo: Repo, rules_file: Path, tmp_path: Path) -> None:
    repo.write("a.txt", "x\n")
    repo.commit("one")
    rules = ["--disable", "all", "--rules", str(rules_file)]
    proc = run_dlp(["scan", "--diff", "nope..HEAD", *rules], repo.path, env=repo.env)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "dlp: --diff: unknown revision 'nope'"
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    proc = run_dlp(["scan", "--staged", *rules], outside, env=dict(repo.env, GIT_CEILING_DIRECTORIES=str(tmp_path)))
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("not-a-repo: not a git repository")
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = run_dlp(["scan", "--history", "--branch", "nope", *rules], repo.path, env=repo.env)
    assert (proc.returncode, proc.stderr.strip()) == (2, "dlp: --branch: unknown revision 'nope'")


# --------------------------------------------------------------------------- --history


@pytest.fixture()
def history_repo(repo: Repo) -> Repo:
    """main: c1 adds a secret (removed in c3); c2 adds a file later renamed (c4);
    a binary blob; a copy of a blob under another path; a branch merged in (c7)."""
    repo.write("config.py", f"DEBUG = True\nTOKEN = '{token(20)}'\n")
    repo.commit("c1 add config", author="Alice <alice@example.com>")
    repo.write("deploy/keys.env", f"# deploy\nGH={token(21)}\n")
    repo.write("logo.png", b"\x89PNG\r\n\x1a\n\x00\x00" + token(22).encode() + b"\x00" * 64)
    repo.commit("c2 add deploy keys", author="Bob <bob@example.com>")
    repo.write("config.py", "DEBUG = True\nTOKEN = os.environ['TOKEN']\n")
    repo.commit("c3 remove secret", author="Alice <alice@example.com>")
    repo.git("mv", "deploy/keys.env", "deploy/prod.env")
    repo.write("copy.env", (repo.path / "deploy/prod.env").read_text())  # same blob, second path
    repo.commit("c4 rename", author="Bob <bob@example.com>")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("feature.py", f"x = 1\nkey = '{token(23)}'\n")
    repo.commit("c5 feature", author="Carol <carol@example.com>")
    repo.git("checkout", "-q", "main")
    repo.write("main.txt", "main work\n")
    repo.commit("c6 main work", author="Alice <alice@example.com>")
    repo.git("merge", "-q", "--no-ff", "--no-edit", "feature")
    repo.git("checkout", "-q", "-b", "side", "HEAD~1")
    repo.write("side.txt", f"s = {token(24)}\n")
    repo.commit("c8 unmerged side branch", author="Dan <dan@example.com>")
    repo.git("checkout", "-q", "main")
    return repo


def test_history_each_blob_once_oldest_first_with_commit_and_status(history_repo: Repo, ruleset: Ruleset) -> None:
    repo = history_repo
    report = scan_git(ruleset, history=True)
    rows = [(r.finding.path, r.finding.line, r.finding.origin.author, status(r)) for r in report.findings]
    assert rows == [
        ("config.py", 2, "Alice <alice@example.com>", "history-only"),
        ("deploy/keys.env", 2, "Bob <bob@example.com>", "present"),  # renamed since: still at HEAD
        ("feature.py", 2, "Carol <carol@example.com>", "present"),  # merged in
        ("side.txt", 1, "Dan <dan@example.com>", "history-only"),  # on a branch, not at HEAD
    ]
    log = {line.split()[1]: line.split()[0] for line in repo.git("log", "--all", "--format=%H %s").splitlines()}
    first = report.findings[0].finding
    assert first.origin.commit == log["c1"]
    assert first.origin.date == "2024-01-01T00:00:01+00:00"
    assert report.findings[1].finding.origin.commit == log["c2"]
    # distinct blobs: config.py x2, keys.env, feature.py, main.txt, side.txt (+ logo.png, skipped as binary)
    assert report.files == 6
    assert [s.reason for s in report.skipped] == ["binary file"]

    doc = json.loads(render(report, "json"))
    assert doc["findings"][0]["commit"] == log["c1"]
    assert doc["findings"][0]["author"] == "Alice <alice@example.com>"
    assert doc["findings"][0]["status"] == "history-only"
    assert doc["findings"][1]["status"] == "present"
    assert token(20) not in json.dumps(doc)


def test_history_branch_and_since(history_repo: Repo, ruleset: Ruleset) -> None:
    repo = history_repo
    only_main = scan_git(ruleset, history=True, branches=("main",))
    assert [r.finding.path for r in only_main.findings] == ["config.py", "deploy/keys.env", "feature.py"]
    side = scan_git(ruleset, history=True, branches=("side",))
    assert [(r.finding.path, status(r)) for r in side.findings] == [
        ("config.py", "history-only"), ("deploy/keys.env", "present"), ("side.txt", "present")]
    c3 = repo.git("rev-parse", "main~3")  # "c4 rename" is main~2
    since_rev = scan_git(ruleset, history=True, since=c3, branches=("main",))
    # c2 is excluded, so the blob renamed and copied in c4 is first seen there (at its first path)
    assert [r.finding.path for r in since_rev.findings] == ["copy.env", "feature.py"]
    assert located(scan_git(ruleset, history=True, since="2030-01-01")) == []


def test_history_pathspec_and_parallel_workers(history_repo: Repo, ruleset: Ruleset) -> None:
    report = scan_git(ruleset, history=True, paths=("deploy",), options=ScanOptions(jobs=3))
    assert located(report) == [("deploy/keys.env", 2)]
    serial = scan_git(ruleset, history=True)
    parallel = scan_git(ruleset, history=True, options=ScanOptions(jobs=4))
    assert located(serial) == located(parallel)


def test_history_of_an_empty_repository(repo: Repo, ruleset: Ruleset) -> None:
    report = scan_git(ruleset, history=True)
    assert report.findings == () and report.files == 0


def test_history_sarif_carries_path_and_commit(history_repo: Repo, rules_file: Path) -> None:
    proc = run_dlp(["scan", "--history", "--format", "sarif", "--disable", "all", "--rules", str(rules_file)],
                   history_repo.path, env=history_repo.env)
    assert proc.returncode == 1, proc.stderr
    sarif = json.loads(proc.stdout)
    results = sarif["runs"][0]["results"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "config.py"
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert results[0]["properties"]["commit"] == history_repo.git("rev-list", "--max-parents=0", "HEAD")
    assert results[0]["properties"]["status"] == "history-only"
    assert token(20) not in proc.stdout


def test_summary_format(history_repo: Repo, rules_file: Path) -> None:
    proc = run_dlp(["scan", "--history", "--format", "summary", "--disable", "all", "--rules", str(rules_file)],
                   history_repo.path, env=history_repo.env)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert "4 findings, 4 distinct values" in out
    assert "2 history-only, 2 present" in out
    assert "test-github-pat" in out and "Bob <bob@example.com>" in out
    assert "over 1 year" in out


def test_large_blobs_are_scanned_around_the_added_lines(repo: Repo, ruleset: Ruleset,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [f"row_{i} = {i}" for i in range(30000)]  # ~400 KB
    lines[10] = f"old = '{token(60)}'"
    repo.write("big.py", "\n".join(lines) + "\n")
    repo.commit("big")
    lines[20000:20000] = ["# added", f"new = '{token(61)}'"]
    lines.append(f"tail = '{token(62)}'")
    repo.write("big.py", "\n".join(lines) + "\n")
    repo.git("add", "big.py")
    report = scan_git(ruleset, staged=True)
    assert located(report) == [("big.py", 20002), ("big.py", 30003)]
    finding = report.findings[0].finding
    data = (repo.path / "big.py").read_bytes()
    assert data[finding.start:finding.end].decode() == token(61)
    assert report.bytes < 20_000  # two windows, not the whole blob

    import dlp.git_scan

    monkeypatch.setattr(dlp.git_scan, "WINDOW_THRESHOLD", 1 << 30)
    whole = scan_git(ruleset, staged=True)
    assert [(r.finding.line, r.finding.column, r.finding.start) for r in whole.findings] == \
        [(r.finding.line, r.finding.column, r.finding.start) for r in report.findings]


def test_history_scans_modified_blobs_around_their_changes(repo: Repo, ruleset: Ruleset) -> None:
    body = [f"value_{i} = {i}" for i in range(2000)]
    repo.write("data.py", "\n".join([f"KEY = '{token(70)}'", *body]) + "\n")
    c1 = repo.commit("c1")
    body.insert(1500, f"OTHER = '{token(71)}'")
    repo.write("data.py", "\n".join([f"KEY = '{token(70)}'", *body]) + "\n")
    c2 = repo.commit("c2")
    body.append("tail = 1")
    repo.write("data.py", "\n".join(body) + "\n")  # KEY removed, OTHER kept
    repo.commit("c3")
    report = scan_git(ruleset, history=True)
    rows = [(r.finding.line, r.finding.origin.commit, status(r)) for r in report.findings]
    assert rows == [(1, c1, "history-only"), (1502, c2, "present")]
    whole = sum(len(repo.git("cat-file", "-p", f"{rev}:data.py")) + 1 for rev in ("HEAD~2", "HEAD~1", "HEAD"))
    assert report.files == 3 and report.bytes < whole / 2  # later versions: only around their changes


def test_history_file_whose_previous_version_was_binary_is_scanned_whole(repo: Repo, ruleset: Ruleset) -> None:
    line = f"key = '{token(80)}'"
    repo.write("data.txt", b"\x00\x01 binary\n" + line.encode() + b"\n")  # skipped: binary
    repo.commit("binary")
    repo.write("data.txt", f"{line}\nx = 1\n")  # the same line, now in a text file: new
    c2 = repo.commit("text now")
    repo.write("data.txt", f"{line}\nx = 1\ny = 2\n")  # only y = 2 is new
    repo.commit("more text")
    report = scan_git(ruleset, history=True)
    assert [(r.finding.path, r.finding.line, r.finding.origin.commit) for r in report.findings] == [("data.txt", 1, c2)]
    assert report.files == 2 and [s.reason for s in report.skipped] == ["binary file"]
