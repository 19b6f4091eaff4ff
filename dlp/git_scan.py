"""`dlp scan --staged | --diff REV[..REV] | --history`: git sources -> scanner -> report.

- ``--staged`` scans the index version of every staged file and keeps the
  findings on lines the index adds relative to HEAD (every line before the
  first commit). The working tree is never read.
- ``--diff`` does the same for the new side of a range: ``A..B`` (B against A),
  ``A...B`` (B against the merge base), ``REV`` (``REV...HEAD``).
- ``--history`` walks every commit reachable from all refs (or ``--branch``
  tips), oldest first, and scans each distinct blob once, with the commit that
  introduced it (:mod:`dlp.git_history`).

Whole blobs are scanned and findings filtered by line afterwards, so context
words and multi-line secrets around a changed line are seen as in a file scan.
"""
from __future__ import annotations

import os
import sys
import time
from collections import deque
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from dlp.errors import InputError, UsageError
from dlp.model import Finding, Origin, Skipped
from dlp.report import ScanReport
from dlp.ruleset import Ruleset
from dlp.runner import ScanOptions, block_all, build_report
from dlp.scan import scan
from dlp.sources import git
from dlp.sources.files import decode_document

if TYPE_CHECKING:  # the process pool is imported only when one is started (a pre-commit run has none)
    from concurrent.futures import Future, ProcessPoolExecutor

Baseline = Callable[[Finding], bool]
_CHUNK_JOBS = 128
# Blobs larger than this, in diff and staged modes, are scanned only around the added lines.
WINDOW_THRESHOLD = 256 * 1024
WINDOW_CONTEXT = 100
WHOLE_BLOB_SHARE = 0.6
_PARALLEL_MIN_JOBS = 64


@dataclass(frozen=True, slots=True)
class BlobJob:
    oid: str
    origin: Origin
    added: tuple[tuple[int, int], ...] | None = None  # keep only findings on these lines
    window: int | None = None  # scan only this many lines around the added ones (None: whole blob if small)
    base: str | None = None  # history: the version this blob replaces at its path

    @property
    def path(self) -> str:
        return self.origin.path or self.oid


@dataclass
class ChunkResult:
    files: int = 0
    bytes: int = 0
    findings: list[tuple[str, list[Finding]]] = field(default_factory=list)  # per job: (oid, findings)
    skipped: list[Skipped] = field(default_factory=list)


# --------------------------------------------------------------------------- scanning blobs


def _on_added_lines(finding: Finding, added: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= finding.end_line and finding.line < start + count for start, count in added)


def scan_blob_jobs(jobs: Sequence[BlobJob], cat: git.CatFile, ruleset: Ruleset, *, engine: str,
                   max_size: int) -> ChunkResult:
    result = ChunkResult()
    for (oid, content), job in zip(cat.read_many([j.oid for j in jobs], max_size), jobs, strict=True):
        if content is None:
            result.skipped.append(Skipped(job.path, f"blob {oid[:12]} missing from the repository"))
            continue
        if isinstance(content, int):
            result.skipped.append(Skipped(job.path, f"larger than the size limit ({content} > {max_size} bytes)"))
            continue
        doc = decode_document(job.path, content)
        if isinstance(doc, Skipped):
            result.skipped.append(doc)
            continue
        result.files += 1
        if job.added is not None and (job.window is not None or len(doc.data) > WINDOW_THRESHOLD):
            context = WINDOW_CONTEXT if job.window is None else job.window
            found, scanned = _scan_windows(doc.data, job.added, ruleset, job.origin, engine, context)
            result.bytes += scanned
        else:
            found = scan(doc.data, ruleset, origin=job.origin, engine=engine)
            result.bytes += len(doc.data)
        if job.added is not None:
            found = tuple(f for f in found if _on_added_lines(f, job.added))
        result.findings.append((oid, list(found)))
    return result


def _scan_windows(data: bytes, added: tuple[tuple[int, int], ...], ruleset: Ruleset, origin: Origin,
                  engine: str, context: int) -> tuple[tuple[Finding, ...], int]:
    """Scan only the lines around the added ones (``context`` lines each side)
    of a blob: a one-line change to a big file stays cheap, and a secret
    spanning a few lines around the change is still seen whole. When the
    windows cover most of the blob, the whole blob is scanned at once."""
    cumulative = list(accumulate(map(len, data.split(b"\n")), initial=0))  # C loops only
    n_lines = len(cumulative) - 1

    def line_start(line: int) -> int:  # byte offset of 1-based ``line`` (len(data) past the end)
        return min(cumulative[line - 1] + line - 1, len(data)) if line <= n_lines else len(data)

    windows: list[list[int]] = []
    for start, count in sorted(added):
        lo, hi = max(1, start - context), min(n_lines, start + count - 1 + context)
        if windows and lo <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    covered = sum(line_start(hi + 1) - line_start(lo) for lo, hi in windows)
    if covered > WHOLE_BLOB_SHARE * len(data):
        return scan(data, ruleset, origin=origin, engine=engine), len(data)
    found: list[Finding] = []
    scanned = 0
    for lo, hi in windows:
        begin, end = line_start(lo), line_start(hi + 1)
        chunk = data[begin:end]
        scanned += len(chunk)
        for f in scan(chunk, ruleset, origin=origin, engine=engine):
            found.append(replace(f, start=f.start + begin, end=f.end + begin, line=f.line + lo - 1,
                                 end_line=f.end_line + lo - 1))
    return tuple(found), scanned


@dataclass
class WorkerState:
    """What a scanning process needs: the rules, and its own ``git cat-file``
    (started when first needed)."""

    root: str
    ruleset: Ruleset
    engine: str
    max_size: int
    cat: git.CatFile | None = None

    def catfile(self) -> git.CatFile:
        if self.cat is None:
            self.cat = git.CatFile(self.root)
        return self.cat

    def close(self) -> None:
        if self.cat is not None:
            self.cat.close()
            self.cat = None


Task = Callable[[WorkerState, Sequence[Any]], ChunkResult]
_STATE: WorkerState | None = None


def _init_worker(state: WorkerState) -> None:
    from multiprocessing.util import Finalize

    global _STATE
    _STATE = state
    Finalize(None, state.close, exitpriority=10)  # end (and reap) git when the worker exits


def _in_worker(task: Task, chunk: Sequence[Any]) -> ChunkResult:
    assert _STATE is not None
    return task(_STATE, chunk)


def scan_blob_chunk(state: WorkerState, jobs: Sequence[BlobJob]) -> ChunkResult:
    return scan_blob_jobs(jobs, state.catfile(), state.ruleset, engine=state.engine, max_size=state.max_size)


class Executor:
    """Runs tasks on chunks of jobs in order, in worker processes when worth
    it, with a bounded number of chunks in flight."""

    def __init__(self, root: str, ruleset: Ruleset, options: ScanOptions, *, parallel: bool) -> None:
        ruleset.matcher(options.engine)  # compile (or load the cache) once, before any fork
        self._jobs = options.jobs or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None
        self._state = WorkerState(root, ruleset, options.engine, options.max_file_size)
        if parallel and self._jobs > 1:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            self._pool = ProcessPoolExecutor(max_workers=self._jobs, mp_context=get_context("fork"),
                                             initializer=_init_worker, initargs=(self._state,))
        self._inflight: deque[Future[ChunkResult]] = deque()

    def submit(self, task: Task, chunk: Sequence[Any]) -> Iterator[ChunkResult]:
        """Queue ``task(chunk)``; yields the results that are due (in submission order)."""
        if self._pool is None:
            yield task(self._state, chunk)
            return
        self._inflight.append(self._pool.submit(_in_worker, task, list(chunk)))
        while len(self._inflight) > 2 * self._jobs:
            yield self._inflight.popleft().result()

    def drain(self) -> Iterator[ChunkResult]:
        while self._inflight:
            yield self._inflight.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            for future in self._inflight:
                future.cancel()
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._state.close()


def chunked(jobs: Iterable[BlobJob], size: int = _CHUNK_JOBS) -> Iterator[list[BlobJob]]:
    chunk: list[BlobJob] = []
    for job in jobs:
        chunk.append(job)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------- entry point


def run_git_scan(*, paths: Sequence[str], staged: bool, diff_range: str | None, history: bool,
                 since: str | None, branches: Sequence[str], ruleset: Ruleset, options: ScanOptions,
                 baseline: Baseline | None) -> ScanReport:
    """The report of one git mode (exactly one of ``staged``, ``diff_range``, ``history``)."""
    if sum((staged, diff_range is not None, history)) != 1:
        raise UsageError("choose one of --staged, --diff and --history")
    root = git.repo_root()
    pathspecs = _pathspecs(root, paths)
    started = time.perf_counter()
    if history:
        from dlp.git_history import run_history

        return run_history(root, pathspecs, since=since, branches=branches, ruleset=ruleset, options=options,
                           baseline=baseline, started=started)
    if staged:
        changes = git.staged_changes(root, pathspecs)
    else:
        assert diff_range is not None
        changes = git.diff_changes(root, diff_range, pathspecs)
    jobs = [BlobJob(c.oid, Origin(path=c.path), c.added) for c in changes]
    return scan_jobs(root, jobs, ruleset, options, baseline=baseline, started=started)


def scan_jobs(root: str, jobs: Sequence[BlobJob], ruleset: Ruleset, options: ScanOptions, *,
              baseline: Baseline | None, started: float | None = None) -> ScanReport:
    """Scan blobs (the index or a diff): findings ordered by path and line."""
    started = time.perf_counter() if started is None else started
    total = ChunkResult()
    executor = Executor(root, ruleset, options, parallel=len(jobs) >= _PARALLEL_MIN_JOBS)
    progress = Progress("scanning", len(jobs)) if options.progress and len(jobs) >= _PARALLEL_MIN_JOBS else None
    try:
        for chunk in chunked(jobs):
            for result in executor.submit(scan_blob_chunk, chunk):
                _merge(total, result, progress)
        for result in executor.drain():
            _merge(total, result, progress)
    finally:
        executor.close()
        if progress:
            progress.close()
    findings = [f for _, found in total.findings for f in found]
    return build_report(findings, dedupe_skipped(total.skipped), total.files, total.bytes,
                        time.perf_counter() - started, options.allowlist, block_all, baseline=baseline)


def _merge(total: ChunkResult, result: ChunkResult, progress: Progress | None) -> None:
    total.files += result.files
    total.bytes += result.bytes
    total.findings.extend(result.findings)
    total.skipped.extend(result.skipped)
    if progress:
        progress.advance(len(result.findings) + len(result.skipped))


def _pathspecs(root: str, paths: Sequence[str]) -> list[str]:
    """Paths given on the command line (relative to the current directory) as
    pathspecs relative to the top of the working tree."""
    out = []
    real_root = os.path.realpath(root)
    for p in paths:
        if p == "-":
            raise UsageError("stdin (-) cannot be combined with --staged, --diff or --history")
        full = os.path.realpath(os.path.abspath(p))
        rel = os.path.relpath(full, real_root)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            raise InputError(f"{p}: outside the repository {root}")
        out.append(":(top,literal)" + ("" if rel == "." else rel.replace(os.sep, "/")))
    return out


def dedupe_skipped(skipped: Iterable[Skipped]) -> tuple[Skipped, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for s in skipped:
        key = (s.path, s.reason if not s.reason.startswith("larger") else "larger")
        if key not in seen:
            seen.add(key)
            out.append(s)
    return tuple(out)


class Progress:
    """A rich progress bar on stderr (created only when asked, i.e. on a terminal)."""

    def __init__(self, what: str, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._progress = Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)
        self._task = self._progress.add_task(what, total=total or None)
        self._progress.start()

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def close(self) -> None:
        self._progress.stop()


# --------------------------------------------------------------------------- pushes


def run_push_scan(*, from_ref: str | None, to_ref: str | None, paths: Sequence[str], ruleset: Ruleset,
                  options: ScanOptions, baseline: Baseline | None) -> ScanReport:
    """The lines each pushed commit adds (``from_ref..to_ref``; without
    ``from_ref``, every commit of ``to_ref`` not on a remote), so a secret added
    in one commit and removed in the next is still caught. One finding per
    secret and path, at its first commit, oldest first."""
    started = time.perf_counter()
    root = git.repo_root()
    pathspecs = _pathspecs(root, paths)
    to_oid = git.require_commit(root, to_ref or "HEAD", "pre-push")
    from_oid = git.resolve_commit(root, from_ref) if from_ref and from_ref.strip("0") else None
    if from_oid is not None:
        revs = [to_oid, f"^{from_oid}"]
    else:  # a new branch, or a remote tip this clone has not fetched: what no remote has yet
        revs = [to_oid, "--not", "--remotes"]
    order: dict[str, int] = {}
    jobs: list[BlobJob] = []
    for commit, changes in git.commit_changes(root, revs, pathspecs):
        order.setdefault(commit.oid, len(order))
        for change in changes:
            jobs.append(BlobJob(change.oid, Origin(change.path, commit.oid, commit.author, commit.date),
                                change.added))
    report = scan_jobs(root, jobs, ruleset, options, baseline=baseline, started=started)
    first: dict[tuple[str, str], object] = {}
    ordered = sorted(report.findings, key=lambda r: (order.get(r.finding.origin.commit or "", 0),
                                                     r.finding.origin.path or "", r.finding.line))
    kept = []
    for item in ordered:
        key = (item.finding.fingerprint, item.finding.origin.path or "")
        if key not in first:
            first[key] = item
            kept.append(item)
    return replace(report, findings=tuple(kept))
