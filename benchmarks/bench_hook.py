"""Hook latency and in-process decision time (issue 5).

Targets
  1. ``dlp hook claude-code`` on a 4 KB prompt, cold process: median <= 150 ms.
  2. In-process decision on an 8 KB prompt (``Egress.check_prompt``): median <= 1 ms.

Run
  python benchmarks/bench_hook.py [--runs 21] [--inproc-runs 300] [--json]

What it does
  - Makes a throwaway project (a git repo with a ``.dlp.yaml`` naming
    proprietary paths) and a private cache directory, using the built-in rule
    packs (or ``--rules-dir``; a frozen copy keeps the timings stable while the
    packs are being edited).
  - Prompts, all 4 KB (8 KB for the in-process part): ``clean`` (prose and a
    Python function, nothing to find; with the current packs no rule gets a
    prefilter candidate, so the hook's fast path answers: the output says
    whether it did), ``candidate`` (nothing to find, but a placeholder token
    gives a rule a candidate, so the full path loads rules and runs
    validators), ``secret`` (a GitHub token: block).
  - Warms the Hyperscan database, the hook snapshot, dlp's caches of record
    methods and rule regex programs, and Python's bytecode cache
    (``PYTHONDONTWRITEBYTECODE`` is dropped for the runs) with untimed runs,
    then times ``runs`` fresh processes of the ``dlp`` console script for each
    prompt (wall clock, stdin from a file), and ``python -c pass`` as the
    machine's baseline (report both: a loaded machine inflates every figure).
  - The same clean and secret prompts through ``python -m dlp.integrations.hooks``
    (the hook without the rest of the command line), and the clean prompt
    with the fast path turned off (``DLP_NO_FASTPATH=1``).
  - In process: builds ``Egress`` once and times ``check_prompt`` on 8 KB
    prompts (median of ``inproc-runs``).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

TARGET_COLD_MS = 150.0
TARGET_INPROC_MS = 1.0

_WORDS = ["the", "parser", "reads", "each", "record", "and", "keeps", "a", "running", "total", "of", "the", "amounts", "it", "has", "read", "so", "far", "we", "want", "the", "function", "below", "to", "be", "shorter", "and", "easier", "to", "test", "without", "changing", "what", "it", "returns", "please", "explain", "why", "the", "loop", "is", "slow", "on", "large", "inputs", "and", "suggest", "a", "version", "that", "streams", "instead", "of", "building", "the", "whole", "list", "first", "keep", "the", "public", "names", "as", "they", "are"]

_CODE = '''
def summarise(rows, *, limit=None):
    totals = {}
    for index, row in enumerate(rows):
        if limit is not None and index >= limit:
            break
        key = row.get("account")
        totals[key] = totals.get(key, 0) + row.get("amount", 0)
    return sorted(totals.items(), key=lambda item: item[1], reverse=True)
'''


def _prose(rng: random.Random, size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 18))).capitalize() + ". "
        out.append(sentence)
        length += len(sentence)
        if rng.random() < 0.08:
            out.append("\n\n")
    return "".join(out)


def _github_token(rng: random.Random) -> str:
    from dlp.validators.secrets import base62

    alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    body = "".join(rng.choice(alnum) for _ in range(30))
    return "ghp_" + body + base62(zlib.crc32(body.encode()), 6)


def prompts(size: int, seed: int = 7) -> dict[str, str]:
    rng = random.Random(seed)
    head = _prose(rng, size // 2)
    clean = (head + "\n```python" + _CODE + "```\n" + _prose(rng, size))[:size]
    candidate = clean[: size - 80] + '\ntoken = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"  # example\n'
    secret = clean[: size - 80] + f"\nexport GITHUB_TOKEN={_github_token(rng)}\n"
    return {"clean": clean, "candidate": candidate[:size], "secret": secret[:size]}


def _dlp_command() -> list[str]:
    script = Path(sys.executable).with_name("dlp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dlp"]


_CPU: list[float] = []  # CPU time (user + system) of the last child, ms


def _time(cmd: list[str], stdin_path: Path | None, env: dict[str, str], cwd: Path) -> float:
    """Wall-clock ms of one run; its CPU time goes to ``_CPU`` (a busy machine
    stretches wall time by waiting for a core, far less the CPU time)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(stdin_path or os.devnull, "rb") as fh:
        start = time.perf_counter()
        subprocess.run(cmd, stdin=fh, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd,
                       check=False)
        wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _CPU.append(((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000)
    return wall


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"median": round(statistics.median(ordered), 2), "min": round(ordered[0], 2),
            "p90": round(ordered[int(0.9 * (len(ordered) - 1))], 2), "runs": len(ordered)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--inproc-runs", type=int, default=300)
    parser.add_argument("--rules-dir", help="Rule packs to use (default: the built-in packs).")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="dlp-bench-hook-"))
    try:
        project = work / "project"
        (project / ".git").mkdir(parents=True)
        (project / "src/pricing").mkdir(parents=True)
        (project / "src/pricing/engine.py").write_text("def price(x):\n    return x * 1.07\n")
        (project / ".dlp.yaml").write_text("proprietary:\n  paths: [src/pricing/]\n"
                                           "destinations:\n  localhost: {actions: allow}\n")
        env = dict(os.environ, DLP_CACHE_DIR=str(work / "cache"), DLP_DATA_DIR=str(work / "data"))
        env.pop("DLP_NO_FASTPATH", None)
        # An installed package has its bytecode compiled; without it every cold
        # run recompiles the sources it imports (PYTHONDONTWRITEBYTECODE, or a
        # source checkout edited since). The warm-up runs write it.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.rules_dir:
            env["DLP_RULES_DIR"] = str(Path(args.rules_dir).resolve())
        os.environ.update({k: env[k] for k in ("DLP_CACHE_DIR", "DLP_DATA_DIR")})
        if args.rules_dir:
            os.environ["DLP_RULES_DIR"] = env["DLP_RULES_DIR"]

        results: dict[str, object] = {"machine": {"python -c pass": None}, "cold": {}, "inproc": {}}
        cmd = [*_dlp_command(), "hook", "claude-code"]
        files: dict[str, Path] = {}
        for name, text in prompts(4096).items():
            path = work / f"{name}.json"
            path.write_text(json.dumps({"session_id": "bench", "transcript_path": "/dev/null", "cwd": str(project),
                                        "permission_mode": "default", "hook_event_name": "UserPromptSubmit",
                                        "prompt": text}))
            files[name] = path
        # warm: compiles or loads the Hyperscan database, writes the snapshot
        for path in files.values():
            _time(cmd, path, env, project)
        _time(cmd, files["clean"], env, project)

        snapshots = list((work / "cache").glob("egress-*.snap"))
        # Interleave the variants round by round so that they share the machine's
        # load as it changes; the baseline runs in the same rounds.
        full_env = dict(env, DLP_NO_FASTPATH="1")
        variants = [("python -c pass", [sys.executable, "-c", "pass"], None, env)]
        variants += [(name, cmd, path, env) for name, path in files.items()]
        variants.append(("clean (fast path off)", cmd, files["clean"], full_env))
        module_cmd = [sys.executable, "-m", "dlp.integrations.hooks", "claude-code"]
        variants.append(("clean, python -m dlp.integrations.hooks", module_cmd, files["clean"], env))
        variants.append(("secret, python -m dlp.integrations.hooks", module_cmd, files["secret"], env))
        samples: dict[str, list[float]] = {name: [] for name, *_ in variants}
        cpu: dict[str, list[float]] = {name: [] for name, *_ in variants}
        for _ in range(args.runs):
            for name, command, path, variant_env in variants:
                samples[name].append(_time(command, path, variant_env, project))
                cpu[name].append(_CPU[-1])
        results["machine"] = {"python -c pass": _stats(samples.pop("python -c pass")),
                              "python -c pass cpu": _stats(cpu.pop("python -c pass")),
                              "load average": os.getloadavg()[0], "snapshot written": bool(snapshots)}
        cold: dict[str, object] = {name: {**_stats(values), "cpu_median": _stats(cpu[name])["median"]}
                                   for name, values in samples.items()}
        results["cold"] = cold

        from dlp.egress import Egress
        from dlp.integrations.hooks import fastpath

        egress = Egress.from_config(None, cwd=project)
        inproc: dict[str, object] = {}
        for name, text in prompts(8192).items():
            egress.check_prompt(text, cwd=project)  # warm caches (regex compiles)
            samples = []
            for _ in range(args.inproc_runs):
                start = time.perf_counter()
                egress.check_prompt(text, cwd=project, destination="api.anthropic.com")
                samples.append((time.perf_counter() - start) * 1000)
            inproc[name] = _stats(samples)
        fastpath.save(egress, cwd=project, config_path=None)
        snapshot = fastpath.load(project, None)
        if snapshot is not None:
            results["fast path applies"] = {name: not snapshot.has_spans(text.encode())
                                            for name, text in prompts(4096).items()}
        if snapshot is not None:
            text = prompts(8192)["clean"].encode()
            samples = []
            for _ in range(args.inproc_runs):
                start = time.perf_counter()
                snapshot.has_spans(text)
                samples.append((time.perf_counter() - start) * 1000)
            inproc["clean (prefilter only)"] = _stats(samples)
        results["inproc"] = inproc
        results["rules"] = len(egress.ruleset)
        results["targets_ms"] = {"cold 4 KB median": TARGET_COLD_MS, "in-process 8 KB median": TARGET_INPROC_MS}

        if args.json:
            print(json.dumps(results, indent=2))
        else:
            m = results["machine"]
            print(f"rules: {results['rules']}   load average: {m['load average']:.2f}   "
                  f"python -c pass: median {m['python -c pass']['median']} ms "
                  f"(cpu {m['python -c pass cpu']['median']} ms)   "
                  f"hook snapshot: {'yes' if m['snapshot written'] else 'NO'}")
            print(f"cold `dlp hook claude-code`, 4 KB prompt (target median <= {TARGET_COLD_MS:.0f} ms); "
                  f"fast path applies: {results.get('fast path applies')}")
            for name, s in cold.items():
                print(f"  {name:<42} median {s['median']:>8} ms   min {s['min']:>8}   p90 {s['p90']:>8}   "
                      f"cpu median {s['cpu_median']:>8} ms")
            print(f"in-process check_prompt, 8 KB prompt (target median <= {TARGET_INPROC_MS} ms):")
            for name, s in inproc.items():
                print(f"  {name:<24} median {s['median']:>8} ms   min {s['min']:>8}   p90 {s['p90']:>8}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
