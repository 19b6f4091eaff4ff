"""Benchmark: the pre-commit hook and a full history scan (issue 7).

Run:

    /tmp/venv/bin/python benchmarks/bench_git.py                  # both, default rules
    /tmp/venv/bin/python benchmarks/bench_git.py --commits 5000   # a bigger history
    /tmp/venv/bin/python benchmarks/bench_git.py --only hook      # or: --only history
    /tmp/venv/bin/python benchmarks/bench_git.py --only history --rewrite   # whole-file rewrites
    /tmp/venv/bin/python benchmarks/bench_git.py --only history --no-repack # fast-import's own pack
    /tmp/venv/bin/python benchmarks/bench_git.py --json out.json

Both repositories are generated in a temporary directory (code-like text from a
fixed seed, a few fake tokens with valid checksums), nothing is downloaded. The
rules are the shipped default packs; the Hyperscan database is compiled (or
loaded from the cache) once before timing, as it is on a developer's machine
after the first run.

Figures (targets from issue 7):

* hook: wall time of a cold ``dlp scan --staged --no-progress`` process on a
  commit touching 20 files of a 500-file repository (median and best of
  ``--repeat`` runs; target <= 300 ms). The same scan in-process (git + read +
  scan + report, no interpreter start-up or imports) is shown to separate dlp's
  git work from the process start.
* history: ``dlp scan --history`` over a repository of ``--commits`` commits
  (default 2,000; 3 files changed per commit, with branches and merges): MB/s of
  distinct blob content scanned (target >= 30 MB/s; median and best of
  ``--history-repeat`` runs), MB per CPU-second (every process: dlp, its
  workers and the git processes they start), commits/s, and peak RSS of the
  main process, of the largest worker and of the largest git process (memory
  must stay bounded: the main process holds blob ids, never blob contents).
  Each distinct blob is scanned once: whole when new, and around the lines its
  commit adds when it modifies an earlier version (whose other lines were
  scanned then), so "MB actually scanned" is lower than the distinct blob
  content.

  The repository is written by ``git fast-import`` and then repacked
  (``git repack -adf``), as git's own gc leaves a repository that grew commit
  by commit: fast-import deltifies each blob against the previous blob it
  wrote, whatever its path, and its documentation asks for a repack
  afterwards. ``--no-repack`` measures that unrepacked pack (every blob read
  costs git several times more).

Peak RSS is read from ``/proc`` (``VmHWM``): ``ru_maxrss`` of a process
started by a large parent reports the parent's peak on Linux.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

WORDS = ("user account order invoice total amount price customer session token config value result item "
         "index count name path data buffer stream request response handler client server cache key").split()


def code_line(rng: random.Random) -> str:
    kind = rng.randrange(6)
    a, b, c = rng.choice(WORDS), rng.choice(WORDS), rng.choice(WORDS)
    if kind == 0:
        return f"def {a}_{b}(self, {c}: int) -> int:"
    if kind == 1:
        return f"    {a}_{b} = self.{c}({rng.randrange(1000)}) + {rng.randrange(100)}"
    if kind == 2:
        return f"    # {a} {b} {c} when the {rng.choice(WORDS)} is ready"
    if kind == 3:
        return f"    if {a} > {rng.randrange(100)} and not {b}.{c}:"
    if kind == 4:
        return f'    logger.info("{a} {b}: %s", {c})'
    return f"        return {a}.{b}_{c}({rng.randrange(10)}, '{rng.choice(WORDS)}')"


def text_file(rng: random.Random, lines: int) -> str:
    return "\n".join(code_line(rng) for _ in range(lines)) + "\n"


def fake_token(seed: int) -> str:
    from test_git_support import token

    return token(seed)


def git(cwd: Path, *args: str, input: bytes | None = None) -> bytes:
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.com")
    proc = subprocess.run(["git", "-c", "gc.auto=0", *args], cwd=cwd, env=env, input=input or b"",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # (never our stdin: repack reads it)
    if proc.returncode != 0:
        raise RuntimeError(f"git {' '.join(args[:3])}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


# --------------------------------------------------------------------------- hook


def build_hook_repo(root: Path, files: int = 500, touched: int = 20) -> Path:
    rng = random.Random(7)
    repo = root / "hook-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for i in range(files):
        p = repo / f"src/pkg{i % 25}/mod{i}.py"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text_file(rng, rng.randrange(50, 400)))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    for i in rng.sample(range(files), touched):
        p = repo / f"src/pkg{i % 25}/mod{i}.py"
        lines = p.read_text().splitlines()
        at = rng.randrange(len(lines))
        lines[at:at] = [code_line(rng) for _ in range(rng.randrange(3, 30))]
        p.write_text("\n".join(lines) + "\n")
    (repo / "src/pkg0/settings.py").write_text(f"GITHUB_TOKEN = '{fake_token(1)}'\n")
    git(repo, "add", "-A")
    return repo


def bench_hook(root: Path, repeat: int) -> dict[str, object]:
    repo = build_hook_repo(root)
    cmd = [sys.executable, "-m", "dlp", "scan", "--staged", "--no-progress"]
    warm = subprocess.run(cmd, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert warm.returncode == 1, warm.stderr  # the staged token is found
    times = []
    cpu = []
    for _ in range(repeat):
        t, c = time.perf_counter(), _children_cpu()
        subprocess.run(cmd, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
        cpu.append(_children_cpu() - c)
    base = [sys.executable, "-c", "import dlp.cli"]
    import_times = []
    import_cpu = []
    for _ in range(repeat):
        t, c = time.perf_counter(), _children_cpu()
        subprocess.run(base, cwd=repo)
        import_times.append(time.perf_counter() - t)
        import_cpu.append(_children_cpu() - c)

    # in-process: what dlp's git mode itself costs
    from dlp.git_scan import run_git_scan
    from dlp.report import render
    from dlp.ruleset import load_ruleset
    from dlp.runner import ScanOptions

    ruleset = load_ruleset()
    ruleset.matcher("auto")
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        inproc = []
        inproc_cpu = []
        for _ in range(repeat):
            t, c = time.perf_counter(), _children_cpu() + time.process_time()
            report = run_git_scan(paths=[], staged=True, diff_range=None, history=False, since=None, branches=[],
                                  ruleset=ruleset, options=ScanOptions(), baseline=None)
            render(report, "json")
            inproc.append(time.perf_counter() - t)
            inproc_cpu.append(_children_cpu() + time.process_time() - c)
    finally:
        os.chdir(cwd)
    return {
        "files_staged": report.files,
        "findings": len(report.findings),
        "cold_process_median_ms": round(statistics.median(times) * 1000),
        "cold_process_best_ms": round(min(times) * 1000),
        "cold_process_cpu_median_ms": round(statistics.median(cpu) * 1000),
        "python_start_and_import_dlp_cli_median_ms": round(statistics.median(import_times) * 1000),
        "python_start_and_import_dlp_cli_cpu_median_ms": round(statistics.median(import_cpu) * 1000),
        "in_process_git_scan_median_ms": round(statistics.median(inproc) * 1000, 1),
        "in_process_git_scan_cpu_median_ms": round(statistics.median(inproc_cpu) * 1000, 1),
        "load_average": os.getloadavg()[0],
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- history


def build_history_repo(root: Path, commits: int, *, rewrite: bool = False, repack: bool = True) -> Path:
    """A repository written with git fast-import: ``commits`` commits on main and
    short branches merged back, 3 files changed per commit, a few tokens added
    and removed along the way. Changes are edits (a few lines inserted,
    replaced or deleted in a file that keeps growing, as real commits are) or,
    with ``rewrite``, whole new file contents (the worst case)."""
    rng = random.Random(11)
    repo = root / "history-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    files = [f"src/m{i % 40}/f{i}.py" for i in range(300)]
    current: dict[str, list[str]] = {f: text_file(rng, rng.randrange(100, 400)).splitlines() for f in files}
    out: list[bytes] = []
    mark = 0
    when = 1_600_000_000

    def commit(branch: str, parent: str | None, merge: str | None, changes: dict[str, str]) -> str:
        nonlocal mark, when
        mark += 1
        when += 600
        head = [f"commit refs/heads/{branch}", f"mark :{mark}",
                f"author Dev{mark % 7} <dev{mark % 7}@example.com> {when} +0000",
                f"committer Bench <bench@example.com> {when} +0000"]
        msg = f"change {mark}".encode()
        out.append(("\n".join(head) + f"\ndata {len(msg)}\n").encode() + msg + b"\n")
        if parent:
            out.append(f"from {parent}\n".encode())
        if merge:
            out.append(f"merge {merge}\n".encode())
        for path, content in changes.items():
            data = content.encode()
            out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
        out.append(b"\n")
        return f":{mark}"

    def edit(path: str) -> str:
        lines = current[path]
        if rewrite:
            lines[:] = text_file(rng, rng.randrange(100, 800)).splitlines()
        else:
            for _ in range(rng.randrange(1, 4)):
                at = rng.randrange(len(lines) + 1)
                kind = rng.random()
                if kind < 0.6 or len(lines) < 50:
                    lines[at:at] = [code_line(rng) for _ in range(rng.randrange(1, 25))]
                elif kind < 0.85:
                    lines[at:at + 3] = [code_line(rng) for _ in range(3)]
                else:
                    del lines[at:at + rng.randrange(1, 10)]
        if rng.random() < 0.01:
            lines.insert(rng.randrange(len(lines) + 1), f"API_TOKEN = '{fake_token(rng.randrange(10**6))}'")
        return "\n".join(lines) + "\n"

    def changes() -> dict[str, str]:
        return {path: edit(path) for path in sorted({rng.choice(files) for _ in range(3)})}  # (not hash order)

    main = commit("main", None, None, {f: "\n".join(current[f]) + "\n" for f in files[:100]})
    made = 1
    while made < commits:
        if rng.random() < 0.05 and commits - made > 6:
            tip = main
            for _ in range(3):
                tip = commit("topic", tip, None, changes())
            main = commit("main", main, None, changes())
            main = commit("main", main, tip, changes())
            made += 5
        else:
            main = commit("main", main, None, changes())
            made += 1
    git(repo, "fast-import", "--quiet", input=b"".join(out))
    if repack:
        git(repo, "repack", "-a", "-d", "-f", "-q")
    git(repo, "checkout", "-q", "-f", "main")
    return repo


_CHILD = r"""
import json, os, resource, sys, time
from dlp.git_scan import run_git_scan
from dlp.ruleset import load_ruleset
from dlp.runner import ScanOptions
from dlp.ruleset import Selection

def hwm_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024

ruleset = load_ruleset(Selection(disable_packs=tuple(sys.argv[2:]))); ruleset.matcher("auto")
rss_before = hwm_mb()
t = time.perf_counter(); c = time.process_time()
report = run_git_scan(paths=[], staged=False, diff_range=None, history=True, since=None, branches=[],
                      ruleset=ruleset, options=ScanOptions(jobs=int(sys.argv[1])), baseline=None)
seconds = time.perf_counter() - t
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - c + kids.ru_utime + kids.ru_stime
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "main_cpu_seconds": time.process_time() - c,
                  "bytes": report.bytes, "blobs": report.files,
                  "findings": len(report.findings),
                  "statuses": sorted({dict(r.finding.origin.extra).get("status") for r in report.findings}),
                  "main_rss_mb": hwm_mb(), "main_rss_before_scan_mb": rss_before}))
"""


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        out.extend(int(c) for c in children)
        todo.extend(int(c) for c in children)
    return out


def _peak_rss(pid: int, peaks: dict[int, tuple[str, float]]) -> None:
    """Record the peak RSS (VmHWM, MB) of each process under ``pid``."""
    for child in _descendants(pid):
        try:
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if "VmHWM" in fields:
            peaks[child] = (fields["Name"].strip(), int(fields["VmHWM"].split()[0]) / 1024)


def _run_child(repo: Path, jobs: int, disable: list[str]) -> dict[str, Any]:
    """One history scan in a fresh interpreter, its descendants' memory sampled from here."""
    proc = subprocess.Popen([sys.executable, "-c", _CHILD, str(jobs), *disable], cwd=repo, stdout=subprocess.PIPE,
                            text=True)
    peaks: dict[int, tuple[str, float]] = {}
    while proc.poll() is None:
        _peak_rss(proc.pid, peaks)
        time.sleep(0.05)
    assert proc.returncode == 0 and proc.stdout is not None
    result: dict[str, Any] = json.loads(proc.stdout.read())
    result["worker_rss_mb"] = max((mb for name, mb in peaks.values() if name.startswith("python")), default=0.0)
    result["git_rss_mb"] = max((mb for name, mb in peaks.values() if name == "git"), default=0.0)
    return result


def bench_history(root: Path, commits: int, jobs: int, disable: list[str], *, rewrite: bool = False,
                  repack: bool = True, repeat: int = 3) -> dict[str, object]:
    t = time.perf_counter()
    repo = root / "history-repo"
    if not repo.exists():
        build_history_repo(root, commits, rewrite=rewrite, repack=repack)
    built = time.perf_counter() - t
    n_commits = int(git(repo, "rev-list", "--count", "--all").strip())
    sizes = git(repo, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)").split(b"\n")
    distinct = sum(int(line.split()[1]) for line in sizes if line.startswith(b"blob "))
    loads = []
    runs = []
    for _ in range(repeat):
        loads.append(os.getloadavg()[0])
        runs.append(_run_child(repo, jobs, disable))
    result = sorted(runs, key=lambda r: float(r["seconds"]))[len(runs) // 2]  # the median run by wall time
    seconds = [float(r["seconds"]) for r in runs]
    cpu = [float(r["cpu_seconds"]) for r in runs]
    mb = distinct / 1e6
    return {
        "commits": n_commits,
        "repo_build_seconds": round(built, 1),
        "repacked": repack,
        "distinct_blobs_scanned": result["blobs"],
        "distinct_blob_mb": round(mb, 1),
        "mb_actually_scanned": round(int(result["bytes"]) / 1e6, 1),
        "findings": result["findings"],
        "statuses": result["statuses"],
        "runs": repeat,
        "seconds_median": round(statistics.median(seconds), 2),
        "mb_per_second_median": round(mb / statistics.median(seconds), 1),
        "mb_per_second_best": round(mb / min(seconds), 1),
        "cpu_seconds_median": round(statistics.median(cpu), 2),
        "mb_per_cpu_second_median": round(mb / statistics.median(cpu), 1),
        "main_process_cpu_seconds": round(float(result["main_cpu_seconds"]), 2),
        "load_average_at_start": [round(x, 1) for x in loads],
        "commits_per_second_median": round(n_commits / statistics.median(seconds)),
        "main_peak_rss_mb": round(max(float(r["main_rss_mb"]) for r in runs), 1),
        "main_rss_after_loading_rules_mb": round(float(result["main_rss_before_scan_mb"]), 1),
        "largest_worker_peak_rss_mb": round(max(float(r["worker_rss_mb"]) for r in runs), 1),
        "largest_git_peak_rss_mb": round(max(float(r["git_rss_mb"]) for r in runs), 1),
        "jobs": jobs or os.cpu_count(),
        "disabled_packs": disable,
        "whole_file_rewrites": rewrite,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=0, help="history scan worker processes (0: all cores)")
    parser.add_argument("--only", choices=["hook", "history"])
    parser.add_argument("--history-repeat", type=int, default=3, help="history scans to run (median reported)")
    parser.add_argument("--no-repack", action="store_true",
                        help="history: keep the pack git fast-import wrote (not repacked as git gc would)")
    parser.add_argument("--rewrite", action="store_true",
                        help="history: every change rewrites whole files (worst case: nothing to skip)")
    parser.add_argument("--disable", action="append", default=[],
                        help="history: also scan with this rule pack disabled (to separate rule cost)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    figures: dict[str, object] = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="dlp-bench-git-") as tmp:
        root = Path(tmp)
        if args.only in (None, "hook"):
            figures["hook"] = bench_hook(root, args.repeat)
            print("hook   ", json.dumps(figures["hook"]), flush=True)
        if args.only in (None, "history"):
            figures["history"] = bench_history(root, args.commits, args.jobs, [], rewrite=args.rewrite,
                                               repack=not args.no_repack, repeat=args.history_repeat)
            print("history", json.dumps(figures["history"]), flush=True)
            if args.disable:
                figures["history_without"] = bench_history(root, args.commits, args.jobs, args.disable,
                                                           rewrite=args.rewrite, repack=not args.no_repack,
                                                           repeat=args.history_repeat)
                print("history", json.dumps(figures["history_without"]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
