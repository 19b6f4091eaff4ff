"""Benchmark: proprietary-code index build throughput, lookup latency, index size.

Run (takes a few minutes; needs nothing but the Python standard library on disk):

    /tmp/venv/bin/python benchmarks/bench_index.py                 # one million lines
    /tmp/venv/bin/python benchmarks/bench_index.py --lines 200000  # quicker
    /tmp/venv/bin/python benchmarks/bench_index.py --jobs 1        # single process
    /tmp/venv/bin/python benchmarks/bench_index.py --engine tree-sitter  # parse every file (default: auto)

Wall-clock figures depend on what else the machine runs; the CPU-time figures
printed beside them (MB per cpu-second, lookup cpu ms) do much less.

Corpus: the Python files of the standard library and of site-packages, copied
into a scratch directory (copies are renamed and replicated if needed) until
``--lines`` lines are reached.

Figures (targets from issue 8):

* build: MB of source per second for a full build (target >= 5 MB/s);
* incremental rebuild after touching one file (seconds);
* lookup: median and p95 latency of ``lookup()`` for 20 KB prompts (prose
  plus pasted code: half of them hold one fragment of the indexed code, the
  rest code from files held out of the index) against the index (target
  <= 20 ms); CPU time is printed too, as wall time suffers on a busy machine;
* size: index file size as a share of the indexed source (target <= 25%).
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dlp.fingerprint import build, lookup, open_index


def _sources() -> list[Path]:
    roots = [Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"])]
    seen: set[Path] = set()
    files: list[Path] = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            real = path.resolve()
            if real in seen or not path.is_file():
                continue
            seen.add(real)
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if 200 <= size <= 1_000_000:
                files.append(path)
    return files


def _package(path: Path) -> str:
    """Top-level package (or module) a source file belongs to."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for root in (Path(sysconfig.get_paths()["purelib"]), stdlib / "site-packages", stdlib):
        try:
            return root.name + "/" + path.relative_to(root).parts[0]
        except ValueError:
            continue
    return str(path.parent)


def _corpus(sources: list[Path], target_lines: int, into: Path) -> tuple[list[Path], int, int]:
    """Copy source files into ``into`` until ``target_lines``; returns files, lines, bytes."""
    files: list[Path] = []
    lines = size = 0
    copy = 0
    while lines < target_lines:
        for src in sources:
            try:
                data = src.read_bytes()
                data.decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            dest = into / f"r{copy}" / f"{len(files):06d}_{src.name}"
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
            files.append(dest)
            lines += data.count(b"\n")
            size += len(data)
            if lines >= target_lines:
                break
        copy += 1
    return files, lines, size


_PROSE = (
    "I'm refactoring this module and something is off with the edge cases.",
    "Could you review the following and point out bugs? We run it in production.",
    "Here is the relevant part. The tests pass locally but CI fails intermittently.",
    "Please explain what this does and suggest a cleaner version.",
)


def _prompts(indexed: list[Path], other: list[Path], count: int, rng: random.Random) -> list[str]:
    """20 KB prompts: prose and code blocks; even ones hold a fragment of indexed code."""
    prompts = []
    for n in range(count):
        parts: list[str] = []
        size = 0
        planted = n % 2 == 0
        while size < 20_000:
            parts.append(rng.choice(_PROSE))
            pool = indexed if planted else other
            lines = rng.choice(pool).read_text(encoding="utf-8").split("\n")
            start = rng.randrange(max(1, len(lines) - 30))
            body = "\n".join(lines[start : start + rng.randint(8, 30)])
            parts.append(f"```python\n{body}\n```" if rng.random() < 0.5 else body)
            size = sum(len(p) + 2 for p in parts)
            planted = False  # one indexed fragment per planted prompt, the rest unindexed
        prompts.append("\n\n".join(parts)[:20_000])
    return prompts


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the build's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=0, help="build processes (0: all cores)")
    parser.add_argument("--prompts", type=int, default=60)
    parser.add_argument("--keep", help="keep the scratch directory here")
    parser.add_argument("--engine", choices=("auto", "tree-sitter", "regex"), default="auto",
                        help="tokenizer the index is built with")
    args = parser.parse_args(argv)
    rng = random.Random(8)
    scratch = Path(args.keep or tempfile.mkdtemp(prefix="dlp-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        corpus = scratch / "src"
        t0 = time.perf_counter()
        sources = _sources()
        rng.shuffle(sources)
        # whole packages held out (never indexed): the code of prompts that must not match
        packages = sorted({_package(p) for p in sources})
        rng.shuffle(packages)
        held = set(packages[: len(packages) // 10])
        held_out = [p for p in sources if _package(p) in held]
        files, lines, size = _corpus([p for p in sources if _package(p) not in held], args.lines, corpus)
        print(f"corpus: {len(files)} files, {lines:,} lines, {size / 1e6:.1f} MB "
              f"(prepared in {time.perf_counter() - t0:.1f}s)")
        out = scratch / "index.db"
        if out.exists():
            out.unlink()

        cpu_before = _cpu_seconds()
        report = build([str(corpus)], out, jobs=args.jobs or None, engine=args.engine)
        cpu = _cpu_seconds() - cpu_before
        rate = report.bytes_indexed / 1e6 / report.seconds
        jobs = args.jobs or os.cpu_count() or 1
        print(f"build: {len(report.indexed)} files, {report.bytes_indexed / 1e6:.1f} MB in {report.seconds:.1f}s "
              f"= {rate:.2f} MB/s wall (target >= 5), jobs={jobs}, engine={args.engine}; {cpu:.1f} cpu-s = "
              f"{report.bytes_indexed / 1e6 / cpu:.2f} MB per cpu-second")

        index_bytes = out.stat().st_size
        with open_index(out) as index:
            stats = index.stats()
        print(f"size: index {index_bytes / 1e6:.1f} MB for {stats.source_bytes / 1e6:.1f} MB of source = "
              f"{index_bytes / stats.source_bytes:.1%} (target <= 25%); {stats.fingerprints:,} fingerprints, "
              f"{stats.common:,} common; k={stats.k} w={stats.w}")

        touched = files[len(files) // 2]
        touched.write_text(touched.read_text(encoding="utf-8") + "\n\ndef _bench_touch(x):\n    return x + 1\n",
                           encoding="utf-8")
        again = build([str(corpus)], out, jobs=args.jobs or None, engine=args.engine)
        print(f"incremental: {len(again.indexed)} re-indexed, {again.unchanged} unchanged in {again.seconds:.2f}s")

        prompts = _prompts(files, held_out, args.prompts, rng)
        with open_index(out) as index:
            lookup(prompts[0], index)  # warm: grammar loaded, SQLite pages mapped
            for label, subset in (("with indexed code", prompts[0::2]), ("without", prompts[1::2])):
                wall: list[float] = []
                cpu: list[float] = []
                found = 0
                for text in subset:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    matches = lookup(text, index)
                    wall.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - started_cpu) * 1000)
                    found += bool(matches)
                wall.sort()
                cpu.sort()
                p95 = wall[min(len(wall) - 1, int(len(wall) * 0.95))]
                print(f"lookup: 20 KB prompts {label} x{len(wall)}: median {statistics.median(wall):.1f} ms "
                      f"(cpu {statistics.median(cpu):.1f} ms), p95 {p95:.1f} ms, max {wall[-1]:.1f} ms "
                      f"(target <= 20 ms); {found} matched")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
