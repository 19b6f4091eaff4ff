"""Throughput, memory and cold start of `dlp scan`, against detect-secrets.

Run:  python benchmarks/bench_scan.py [--max-mb 64] [--repeat 3] [--no-detect-secrets] [--json FILE]
      python benchmarks/bench_scan.py --cpu-split [--max-mb 64] [--repeat 5]
      python benchmarks/bench_scan.py --interleaved [--max-mb 64] [--repeat 5] [--enable PACK ...] [--without RULES ...]
      python benchmarks/bench_scan.py --instructions [--max-mb 16] [--enable PACK ...]   (needs valgrind)
      python benchmarks/bench_scan.py --cli-instructions [--max-mb 64] [--enable PACK ...]   (needs valgrind)

The corpus is real source code already on the machine, so nothing is
downloaded: the running interpreter's standard library, then its
site-packages, `.py` files in sorted order, copied into a temporary folder
until --max-mb is reached (both tools scan the very same copy).

It reports, with `dlp scan --format json` over the corpus:
  * dlp MB/s, one process (`--jobs 1`): the default rules, the secret packs
    only and every pack; then the secret packs only and every pack with the
    default --jobs (every core). Best of --repeat rounds, after one warm-up
    that fills the rule cache; the five configurations run interleaved, in
    an order that turns each round.
  * with --enable, those packs instead of every pack (a team's own
    jurisdictions: ``--enable pii/my --enable pii/global``)
  * every pack's throughput as a share of secrets-only throughput, for one
    process and for every core: best of rounds, each round's own, and from
    the median and the least CPU time (user + system) of both: the
    personal-data packs' target is 80% or more ("within 20% of
    secrets-only throughput")
  * detect-secrets `scan --all-files` MB/s on the same corpus, and the ratio
  * peak RSS of each run (from wait4)
  * cold start of `dlp scan` on one small file: median of 10 fresh processes,
    and on one file with a hard-coded password (the pre-commit run that blocks),
    plus the very first run with an empty cache (rules parsed, database compiled)

--cpu-split measures in this process instead, in CPU time (time.process_time,
so other load on a shared machine counts less than in wall time): the cost of
the personal-data packs (every pack vs secret packs only, Hyperscan engine)
split into the matcher's Hyperscan passes over every document (the first
pass and the line trigger, with a no-op match callback), the rest of the matcher (match callbacks, lines, the second
pass over triggered lines, gates: dlp/engine/hs.py) and the scanner (rule
regexes on the spans, validation, context, findings). Min and median of
--repeat passes.

--interleaved measures the same in-process scan with each block of 64
documents read by every configuration in turn (secrets only, every pack,
and every pack without the line trigger, dlp/engine/hs.py, so without the
digit-shaped identifiers' second pass and candidates), the order rotating
from one block to the next, each block timed on its own: a change of
machine load within a round, which on a shared machine moves whole-pass
timings by a fifth, then hits every configuration alike, while within a
block each runs warm, as in a whole scan. Best and median of --repeat
rounds, and each round's ratio. With --enable, those packs instead of
every pack. With --without RULES (comma-separated ids, repeatable), one
more configuration each: the same packs without those rules, which shows
what they cost (``--without email-address``).

--instructions counts the instructions the same in-process scan executes,
under valgrind (``cachegrind --cache-sim=no``), per pass over the corpus:
the count of two passes minus the count of one, so start-up and loading the
rules cancel out, with the caches warm and ``PYTHONHASHSEED=0``. Unlike
time on a shared machine, the count varies by about 1% from run to run
(713M-719M in three runs of one commit). It weighs Hyperscan's vector
instructions like any other, so it is a guide to the cost of a change, not
a measure of wall time. It takes about a minute per
16 MB. With --enable, the measured side holds those packs (and the default
ones) instead of every pack: a team's own jurisdictions.

--cli-instructions counts whole `dlp scan --jobs 1 --format json` runs under
valgrind the same way, each minus the same command over an empty folder (the
interpreter's start-up, imports and loading the rules cancel out, not what
the first candidates load): what a user's scan of the corpus costs, file
reading, decisions and the report included. About four minutes per 64 MB.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

DLP = [sys.executable, "-m", "dlp"]
# cold start is measured the way users run it: the installed console script
_SCRIPT = Path(sys.executable).with_name("dlp")
DLP_COMMAND = [str(_SCRIPT)] if _SCRIPT.exists() else DLP


def build_corpus(dest: Path, max_bytes: int) -> tuple[int, int]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    purelib = Path(sysconfig.get_paths()["purelib"])
    sources: list[Path] = []
    for base in (stdlib, purelib):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if base == stdlib and purelib in path.parents:
                continue  # site-packages inside the stdlib folder comes second
            sources.append(path)
    total = files = 0
    for i, src in enumerate(sources):
        try:
            size = src.stat().st_size
        except OSError:
            continue
        if total + size > max_bytes:
            break
        target = dest / f"{i:06d}_{src.name}"
        shutil.copyfile(src, target)
        total += size
        files += 1
    return files, total


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int, float]:
    """(seconds, peak RSS in KiB, exit code, CPU seconds: user + system) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, rusage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{err}")
    return seconds, rusage.ru_maxrss, code, rusage.ru_utime + rusage.ru_stime


def cpu_split(corpus: Path, repeat: int) -> dict[str, dict[str, float]]:
    """CPU seconds per stage, secrets only vs every pack (see the module docstring)."""
    from dlp.model import Origin
    from dlp.ruleset import Selection, load_ruleset
    from dlp.scan import scan

    docs = [(p.name, p.read_bytes()) for p in sorted(corpus.iterdir())]
    modes = {"secrets": load_ruleset(Selection(disable_packs=("pii",))),
             "all": load_ruleset(Selection(enable_packs=("all",)))}
    runs: dict[str, dict[str, list[float]]] = {m: {"hyperscan": [], "matcher": [], "total": []} for m in modes}

    def noop(*_args: object) -> None:
        return None

    for ruleset in modes.values():  # warm-up: database compiled, validators imported
        for name, data in docs:
            scan(data, ruleset, origin=Origin(path=name), engine="hyperscan")
    for _ in range(repeat):
        for mode, ruleset in modes.items():  # interleaved: load changes hit both modes alike
            matcher = ruleset.matcher("hyperscan")
            # the databases every document is read with: the first pass and the line trigger
            every = [(db, matcher._get_scratch(db))  # type: ignore[attr-defined]
                     for db in (matcher._db, matcher._line_db) if db is not None]  # type: ignore[attr-defined]
            start = time.process_time()
            for _, data in docs:
                for db, scratch in every:
                    db.scan(data, noop, 0, None, scratch)  # by position, as the matcher calls it
            runs[mode]["hyperscan"].append(time.process_time() - start)
            start = time.process_time()
            for _, data in docs:
                matcher.spans(data)
            runs[mode]["matcher"].append(time.process_time() - start)
            start = time.process_time()
            for name, data in docs:
                scan(data, ruleset, origin=Origin(path=name), engine="hyperscan")
            runs[mode]["total"].append(time.process_time() - start)
    out: dict[str, dict[str, float]] = {}
    for mode, stages in runs.items():
        hs, matcher_, total = (statistics.median(stages[k]) for k in ("hyperscan", "matcher", "total"))
        out[mode] = {"hyperscan": hs, "matcher_python": matcher_ - hs, "scanner": total - matcher_,
                     "total": total, "total_min": min(stages["total"])}
    return out


# --interleaved: documents per block (a few milliseconds of scanning): each
# configuration reads a block in turn, so within a block it runs warm, as a
# whole scan does, and a change of machine load hits every configuration alike
_BLOCK = 64


def interleaved(corpus: Path, repeat: int, enable: tuple[str, ...] = ("all",),
                without: tuple[str, ...] = ()) -> dict[str, list[float]]:
    """Seconds per round of each configuration, blocks of documents interleaved
    (see the module docstring); ``without``: comma-separated rule ids, each a
    further configuration with those rules disabled (what they cost)."""
    from dlp.model import Origin
    from dlp.ruleset import Selection, load_ruleset
    from dlp.scan import scan

    docs = [(p.name, p.read_bytes()) for p in sorted(corpus.iterdir())]
    secrets = load_ruleset(Selection(disable_packs=("pii",)))
    every = load_ruleset(Selection(enable_packs=enable))
    matcher = every.matcher("hyperscan")
    line_db = matcher._line_db  # type: ignore[attr-defined]
    label = "every pack" if enable == ("all",) else "with " + " ".join(enable)
    configs = [("secrets only", secrets, line_db), (label, every, line_db),
               (f"{label}, no line trigger", every, None)]
    for rules in without:
        ids = tuple(rules.split(","))
        unknown = [rule for rule in ids if rule not in every]
        if unknown:
            raise SystemExit(f"bench_scan.py: --without: no rule {unknown[0]!r} among the measured packs")
        ruleset = load_ruleset(Selection(enable_packs=enable, disable_rules=ids))
        # (the third member is the every-pack matcher's line trigger: left as it is)
        configs.append((f"{label} without {rules}", ruleset, line_db))
    for _, ruleset, line in configs:  # warm-up: database compiled, validators imported
        matcher._line_db = line  # type: ignore[attr-defined]
        for name, data in docs:
            scan(data, ruleset, origin=Origin(path=name), engine="hyperscan")
    rounds: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    blocks = [docs[i:i + _BLOCK] for i in range(0, len(docs), _BLOCK)]
    clock = time.process_time_ns
    try:
        for r in range(repeat):
            spent = dict.fromkeys(rounds, 0)
            for b, block in enumerate(blocks):
                for k in range(len(configs)):  # the order rotates from block to block
                    config, ruleset, line = configs[(b + k + r) % len(configs)]
                    matcher._line_db = line  # type: ignore[attr-defined]
                    start = clock()
                    for name, data in block:
                        scan(data, ruleset, origin=Origin(path=name), engine="hyperscan")
                    spent[config] += clock() - start
            for config, ns in spent.items():
                rounds[config].append(ns / 1e9)
    finally:
        matcher._line_db = line_db  # type: ignore[attr-defined]
    return rounds


def print_interleaved(rounds: dict[str, list[float]]) -> None:
    sec = rounds["secrets only"]
    width = max(42, *(len(config) for config in rounds))
    print(f"{'CPU seconds per pass, blocks interleaved':<{width + 4}}best   median   "
          "vs secrets only (best, median; per round)")
    for config, times in rounds.items():
        per_round = ", ".join(f"{(t / s - 1) * 100:+.0f}%" for t, s in zip(times, sec))
        print(f"  {config:<{width}} {min(times):6.3f} {statistics.median(times):8.3f}   "
              f"{(min(times) / min(sec) - 1) * 100:+.1f}%, {(statistics.median(times) / statistics.median(sec) - 1) * 100:+.1f}%"
              f"; {per_round}")


# One or two passes of the in-process scan (argv: corpus, "secrets" or the
# packs to enable, comma-separated, passes).
_PASSES_SCRIPT = """
import sys
from pathlib import Path
from dlp.model import Origin
from dlp.ruleset import Selection, load_ruleset
from dlp.scan import scan
docs = [(p.name, p.read_bytes()) for p in sorted(Path(sys.argv[1]).iterdir())]
ruleset = load_ruleset(Selection(disable_packs=("pii",)) if sys.argv[2] == "secrets"
                       else Selection(enable_packs=tuple(sys.argv[2].split(","))))
for _ in range(int(sys.argv[3])):
    for name, data in docs:
        scan(data, ruleset, origin=Origin(path=name), engine="hyperscan")
"""


def _valgrind_env(cache: Path) -> dict[str, str]:
    """Checks valgrind is there; the environment of the counted runs."""
    if shutil.which("valgrind") is None:
        raise SystemExit("bench_scan.py: instruction counts need valgrind on PATH (e.g. apt install valgrind)")
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "DLP_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}


def _count(cmd: list[str], env: dict[str, str]) -> int:
    """Instructions ``cmd`` executes under valgrind (exit 0 or 1: a scan with findings exits 1)."""
    run = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *cmd],
                         env=env, capture_output=True, text=True, check=False)
    refs = [line for line in run.stderr.splitlines() if "I" in line and "refs:" in line]
    if run.returncode not in (0, 1) or not refs:
        raise SystemExit(f"bench_scan.py: failed under valgrind: {' '.join(cmd)}\n{run.stderr[-500:]}")
    return int(refs[-1].rsplit(":", 1)[1].replace(",", ""))


def instructions(corpus: Path, cache: Path, enable: tuple[str, ...] = ("all",)) -> dict[str, int]:
    """Instructions per pass over ``corpus``, secrets only and with ``enable``
    (every pack by default; see the module docstring)."""
    env = _valgrind_env(cache)
    out: dict[str, int] = {}
    for mode in ("secrets", ",".join(enable)):
        subprocess.run([sys.executable, "-c", _PASSES_SCRIPT, str(corpus), mode, "1"], env=env, check=True)  # warm
        one, two = (_count([sys.executable, "-c", _PASSES_SCRIPT, str(corpus), mode, str(passes)], env)
                    for passes in (1, 2))
        out["secrets" if mode == "secrets" else "all"] = two - one
    return out


def cli_instructions(corpus: Path, cache: Path, enable: tuple[str, ...] = ("all",)) -> dict[str, int]:
    """Instructions of whole ``dlp scan`` runs over ``corpus`` (one process,
    JSON report), minus the same command over an empty folder: reading the
    files, scanning, deciding and writing the report, without the start-up
    (see the module docstring)."""
    env = _valgrind_env(cache)
    empty = cache.parent / "empty"
    empty.mkdir(exist_ok=True)
    out: dict[str, int] = {}
    for mode, packs in (("secrets", ["--disable", "pii"]),
                        ("all", [arg for pack in enable for arg in ("--enable", pack)])):
        counts = []
        for folder in (empty, corpus):
            cmd = [*DLP, "scan", str(folder), "--format", "json", "--jobs", "1", "--no-progress", "--no-gitignore",
                   *packs]
            subprocess.run(cmd, env=env, capture_output=True, check=False)  # warm: rule and database caches
            counts.append(_count(cmd, env))
        out[mode] = counts[1] - counts[0]
    return out


def print_cpu_split(split: dict[str, dict[str, float]]) -> None:
    sec, every = split["secrets"], split["all"]
    print("CPU seconds (median; total also min)  secrets only   every pack   extra")
    for stage in ("hyperscan", "matcher_python", "scanner", "total", "total_min"):  # hyperscan: first pass
        print(f"  {stage:<34} {sec[stage]:10.2f} {every[stage]:12.2f} {every[stage] - sec[stage]:+8.2f}")
    for stage in ("total", "total_min"):
        print(f"every pack vs secrets only ({stage}): {(every[stage] / sec[stage] - 1) * 100:+.0f}% CPU time")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-mb", type=float, default=64.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-detect-secrets", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--cpu-split", action="store_true",
                        help="in-process CPU time of the personal-data packs, split by stage (nothing else)")
    parser.add_argument("--interleaved", action="store_true",
                        help="in-process CPU time, each block of 64 documents scanned by every configuration in turn "
                             "(nothing else)")
    parser.add_argument("--instructions", action="store_true",
                        help="instructions per pass of the in-process scan, under valgrind (nothing else)")
    parser.add_argument("--cli-instructions", action="store_true",
                        help="instructions of whole `dlp scan --jobs 1` runs, start-up excluded, under valgrind "
                             "(nothing else)")
    parser.add_argument("--without", action="append", metavar="RULES", default=[],
                        help="with --interleaved: one more configuration, the measured packs without these rules "
                             "(comma-separated ids; repeatable): what they cost")
    parser.add_argument("--enable", action="append", metavar="PACK",
                        help="the packs of the measured side instead of every pack "
                             "(repeatable: --enable pii/my --enable pii/global)")
    args = parser.parse_args()

    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="dlp-bench-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        files, nbytes = build_corpus(corpus, int(args.max_mb * 1024 * 1024))
        mb = nbytes / 1e6
        results["corpus"] = {"files": files, "bytes": nbytes}
        print(f"corpus: {files} files, {mb:.1f} MB of Python source")
        if args.instructions or args.cli_instructions:
            enable = tuple(args.enable or ("all",))
            count, what, key = ((instructions, "instructions per pass (valgrind)", "instructions") if args.instructions
                                else (cli_instructions, "instructions of dlp scan, start-up excluded (valgrind)",
                                      "cli_instructions"))
            counts = count(corpus, Path(tmp) / "cache", enable)
            sec, every = counts["secrets"], counts["all"]
            label = "every pack" if enable == ("all",) else "with " + " ".join(enable)
            print(f"{what}: secrets only {sec / 1e6:.0f}M, {label} {every / 1e6:.0f}M "
                  f"({(every / sec - 1) * 100:+.1f}%)")
            if args.json:
                Path(args.json).write_text(json.dumps({**results, key: counts}, indent=2))
            return 0
        if args.interleaved:
            rounds = interleaved(corpus, args.repeat, tuple(args.enable or ("all",)), tuple(args.without))
            print_interleaved(rounds)
            if args.json:
                Path(args.json).write_text(json.dumps({**results, "interleaved": rounds}, indent=2))
            return 0
        if args.cpu_split:
            split = cpu_split(corpus, args.repeat)
            print_cpu_split(split)
            if args.json:
                Path(args.json).write_text(json.dumps({**results, "cpu_split": split}, indent=2))
            return 0

        # an installed package has its bytecode compiled; do not let the caller's
        # PYTHONDONTWRITEBYTECODE make every run recompile dlp's sources
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**base_env, "DLP_CACHE_DIR": str(Path(tmp) / "cache")}
        scan = [*DLP, "scan", str(corpus), "--format", "json", "--no-progress", "--no-gitignore"]
        one = [*scan, "--jobs", "1"]
        # (label, command): one process, then every core (the default --jobs)
        # the measured side: every pack, or with --enable the packs a team
        # selects (``pii.jurisdictions: [my]`` is ``--enable pii/my --enable pii/global``)
        packs = [arg for pack in (args.enable or ("all",)) for arg in ("--enable", pack)]
        label = "every pack" if not args.enable or args.enable == ["all"] else "with " + " ".join(args.enable)
        configs = {"default": one, "secrets": [*one, "--disable", "pii"], "all": [*one, *packs],
                   "secrets_par": [*scan, "--disable", "pii"], "all_par": [*scan, *packs]}
        for cmd in configs.values():
            timed(cmd, env)  # warm-up: fills the rule cache and the database cache
        # interleaved, the order turning each round: a change of machine load
        # hits every configuration alike, and none always runs first
        runs: dict[str, list[tuple[float, int, int, float]]] = {name: [] for name in configs}
        names = list(configs)
        for round_ in range(args.repeat):
            for name in names[round_ % len(names):] + names[:round_ % len(names)]:
                runs[name].append(timed(configs[name], env))

        def best(name: str) -> tuple[float, int]:
            return min(r[0] for r in runs[name]), max(r[1] for r in runs[name])

        secs, rss = best("default")
        results["dlp_default"] = {"seconds": secs, "mb_per_s": mb / secs, "peak_rss_kib": rss}
        print(f"dlp (default rules, 1 process):   {mb / secs:8.1f} MB/s  {secs:6.2f} s  peak RSS {rss / 1024:.0f} MiB")
        # (configurations' suffix, results' suffix, label)
        for suffix, key, what in (("", "", "1 process"), ("_par", "_all_cores", f"{os.cpu_count()} processes")):
            secs_sec, rss_sec = best("secrets" + suffix)
            secs_all, rss_all = best("all" + suffix)
            # the target's measure: every pack's throughput as a share of
            # secrets-only throughput (time secrets / time every pack), best
            # of the rounds and each round's own (the two ran back to back)
            shares = sorted(s[0] / a[0] for s, a in zip(runs["secrets" + suffix], runs["all" + suffix]))
            cpu = {name: statistics.median(r[3] for r in runs[name + suffix]) for name in ("secrets", "all")}
            # the least CPU time of each: what other load on the machine adds least to
            cpu_best = {name: min(r[3] for r in runs[name + suffix]) for name in ("secrets", "all")}
            results["dlp_secrets_only" + key] = {"seconds": secs_sec, "mb_per_s": mb / secs_sec,
                                                 "peak_rss_kib": rss_sec, "cpu_seconds_median": cpu["secrets"],
                                                 "cpu_seconds_best": cpu_best["secrets"]}
            results["dlp_all_packs" + key] = {"seconds": secs_all, "mb_per_s": mb / secs_all, "peak_rss_kib": rss_all,
                                              "cpu_seconds_median": cpu["all"], "cpu_seconds_best": cpu_best["all"],
                                              "throughput_share": secs_sec / secs_all,
                                              "round_shares": shares}
            width = max(len(f"dlp (secret packs only, {what}):"), len(f"dlp ({label}, {what}):")) + 1
            print(f"{f'dlp (secret packs only, {what}):':{width}}{mb / secs_sec:6.1f} MB/s  {secs_sec:6.2f} s  "
                  f"peak RSS {rss_sec / 1024:.0f} MiB")
            print(f"{f'dlp ({label}, {what}):':{width}}{mb / secs_all:6.1f} MB/s  {secs_all:6.2f} s  "
                  f"peak RSS {rss_all / 1024:.0f} MiB")
            print(f"  {label}: throughput {secs_sec / secs_all * 100:.0f}% of secrets only (best of rounds); "
                  f"per round {', '.join(f'{r * 100:.0f}%' for r in shares)}, median "
                  f"{statistics.median(shares) * 100:.0f}%; CPU time, median of rounds: {cpu['secrets']:.2f} s "
                  f"against {cpu['all']:.2f} s ({cpu['secrets'] / cpu['all'] * 100:.0f}%; start-up included), "
                  f"best of rounds: {cpu_best['secrets']:.2f} s against {cpu_best['all']:.2f} s "
                  f"({cpu_best['secrets'] / cpu_best['all'] * 100:.0f}%)")

        if not args.no_detect_secrets:
            ds = shutil.which("detect-secrets") or str(Path(sys.executable).with_name("detect-secrets"))
            if Path(ds).exists():
                ds_secs, ds_rss, *_ = timed([ds, "scan", "--all-files", str(corpus)])
                results["detect_secrets"] = {"seconds": ds_secs, "mb_per_s": mb / ds_secs, "peak_rss_kib": ds_rss}
                results["ratio"] = ds_secs / secs
                print(f"detect-secrets scan --all-files:  {mb / ds_secs:8.1f} MB/s  {ds_secs:6.2f} s  "
                      f"peak RSS {ds_rss / 1024:.0f} MiB")
                print(f"dlp / detect-secrets speed ratio: {ds_secs / secs:8.1f}x")
            else:
                print("detect-secrets not installed: comparison skipped (pip install detect-secrets)")

        small = Path(tmp) / "small.py"
        small.write_text('API_URL = "https://example.invalid"\nTIMEOUT = 30\n')
        cold_env = {**base_env, "DLP_CACHE_DIR": str(Path(tmp) / "cold-cache")}
        first, *_ = timed([*DLP_COMMAND, "scan", str(small), "--no-progress"], cold_env)
        starts = [timed([*DLP_COMMAND, "scan", str(small), "--no-progress"], cold_env)[0] for _ in range(10)]
        results["cold_start"] = {"first_run_s": first, "median_s": statistics.median(starts), "max_s": max(starts)}
        print(f"cold start, one small file:       median {statistics.median(starts) * 1000:.0f} ms "
              f"(max {max(starts) * 1000:.0f} ms; first run with empty cache {first * 1000:.0f} ms)")
        # a pre-commit run that blocks: one file with a hard-coded password,
        # whose generic finding is checked against the file's syntax tree
        leaky = Path(tmp) / "settings.py"
        leaky.write_text('import os\n\ndb_password = "Xk9#mQ2vL7pR4tZ8"\nconnect(user="app", password=db_password)\n')
        blocked = [timed([*DLP_COMMAND, "scan", str(leaky), "--no-progress"], cold_env)[0] for _ in range(10)]
        results["cold_start_finding"] = {"median_s": statistics.median(blocked), "max_s": max(blocked)}
        print(f"cold start, one file, one finding: median {statistics.median(blocked) * 1000:.0f} ms "
              f"(max {max(blocked) * 1000:.0f} ms; a generic password, checked against the syntax tree)")

    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
