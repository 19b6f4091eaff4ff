"""False alarms on real code: dlp against detect-secrets and trufflehog3.

Run:  python benchmarks/bench_fp.py [--target DIR ...] [--enable PACK ...] [--skip-others] [--json FILE]

By default the targets are the running interpreter's standard library and its
site-packages: real code that should hold no live credential, so (almost)
everything reported there is a false alarm or a documented test value. It runs

  * dlp scan (default packs, plus any --enable), counting findings by rule;
  * detect-secrets scan --all-files (if installed), counting by type;
  * trufflehog3 (if installed; a gitleaks-class regex + entropy scanner), by rule,

and prints the totals and the top rules of each. Pass --samples to print, for
dlp, a few masked findings per rule with their file, to explain them.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path


def default_targets() -> list[str]:
    paths = sysconfig.get_paths()
    return [p for p in dict.fromkeys([paths["stdlib"], paths["purelib"]]) if Path(p).is_dir()]


def run_dlp(targets: list[str], enable: list[str]) -> tuple[collections.Counter[str], list[dict], float]:
    with tempfile.NamedTemporaryFile(suffix=".jsonl") as out:
        cmd = [sys.executable, "-m", "dlp", "scan", *targets, "--format", "jsonl", "-o", out.name,
               "--no-progress", "--no-gitignore"]
        for pack in enable:
            cmd += ["--enable", pack]
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"dlp failed ({proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
        rows = [json.loads(line) for line in Path(out.name).read_text().splitlines() if line]
    return collections.Counter(r["rule_id"] for r in rows), rows, seconds


def run_detect_secrets(targets: list[str]) -> tuple[collections.Counter[str], float] | None:
    exe = shutil.which("detect-secrets") or str(Path(sys.executable).with_name("detect-secrets"))
    if not Path(exe).exists():
        return None
    counts: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    for target in targets:
        proc = subprocess.run([exe, "scan", "--all-files", target], capture_output=True, text=True, cwd=target)
        baseline = json.loads(proc.stdout or "{}")
        for results in baseline.get("results", {}).values():
            counts.update(r["type"] for r in results)
    return counts, time.perf_counter() - start


def run_trufflehog3(targets: list[str]) -> tuple[collections.Counter[str], float] | None:
    exe = shutil.which("trufflehog3")
    if exe is None:
        return None
    counts: collections.Counter[str] = collections.Counter()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "th3.json"
        subprocess.run([exe, "--no-history", "-z", "-f", "json", "-o", str(out), *targets],
                       capture_output=True, text=True)
        try:
            issues = json.loads(out.read_text() or "[]")
        except (OSError, ValueError):
            issues = []
    for issue in issues:
        rule = issue.get("rule", {})
        counts[rule.get("id") or rule.get("message") or "?"] += 1
    return counts, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", action="append", help="folder to scan (repeatable)")
    parser.add_argument("--enable", action="append", default=[], help="extra dlp pack (e.g. pii)")
    parser.add_argument("--skip-others", action="store_true", help="run dlp only")
    parser.add_argument("--samples", type=int, default=0, help="masked samples per dlp rule")
    parser.add_argument("--json", help="write the counts to this file")
    args = parser.parse_args()
    targets = [os.path.abspath(t) for t in (args.target or default_targets())]
    print("targets:", ", ".join(targets))

    report: dict[str, object] = {"targets": targets}
    counts, rows, seconds = run_dlp(targets, args.enable)
    report["dlp"] = {"total": sum(counts.values()), "by_rule": dict(counts.most_common()), "seconds": seconds}
    print(f"\ndlp ({', '.join(['default', *args.enable])}): {sum(counts.values())} findings in {seconds:.0f}s")
    for rule, n in counts.most_common():
        print(f"  {n:6d}  {rule}")
        if args.samples:
            for r in [r for r in rows if r["rule_id"] == rule][: args.samples]:
                print(f"          {r['path']}:{r['line']}  {r['masked']}")

    if not args.skip_others:
        for name, runner in (("detect-secrets", run_detect_secrets), ("trufflehog3", run_trufflehog3)):
            result = runner(targets)
            if result is None:
                print(f"\n{name}: not installed, skipped")
                continue
            other, secs = result
            report[name] = {"total": sum(other.values()), "by_rule": dict(other.most_common()), "seconds": secs}
            print(f"\n{name}: {sum(other.values())} findings in {secs:.0f}s")
            for rule, n in other.most_common(15):
                print(f"  {n:6d}  {rule}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
