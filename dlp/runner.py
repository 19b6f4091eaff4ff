"""Scan many documents: walk, read, scan in parallel, filter, collect.

The edge between the pure core and the file system; used by `dlp scan` and
the git sources.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from dlp.config import Allowlist
from dlp.model import Action, Finding, Origin, Skipped
from dlp.report import ReportedFinding, ScanReport
from dlp.ruleset import Ruleset
from dlp.scan import scan
from dlp.sources.files import DEFAULT_MAX_FILE_SIZE, Document, FileTask, read_document

Decide = Callable[[Finding], Action]
_CHUNK_FILES = 32
_CHUNK_BYTES = 4 << 20
_PARALLEL_MIN_FILES = 64


def block_all(_: Finding) -> Action:
    return Action.BLOCK


@dataclass
class ScanOptions:
    engine: str = "auto"
    jobs: int = 0  # 0: all cores
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    allowlist: Allowlist = field(default_factory=Allowlist)
    progress: bool = False
    index_path: Path | None = None  # proprietary code index (dlp index build)
    index_threshold: float = 0.5


@dataclass
class _Totals:
    files: int = 0
    bytes: int = 0
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# --------------------------------------------------------------------------- worker side

_WORKER: dict[str, object] = {}


def _init_worker(ruleset: Ruleset, options: ScanOptions) -> None:
    _WORKER["ruleset"] = ruleset
    _WORKER["options"] = options
    _WORKER["index"] = _open_index(options)  # each process opens its own database connection


def _scan_chunk(tasks: Sequence[FileTask]) -> tuple[int, int, list[Finding], list[Skipped]]:
    ruleset, options = _WORKER["ruleset"], _WORKER["options"]
    assert isinstance(ruleset, Ruleset) and isinstance(options, ScanOptions)
    return _scan_tasks(tasks, ruleset, options, _WORKER["index"])


def _open_index(options: ScanOptions) -> Any:
    if options.index_path is None:
        return None
    from dlp.proprietary import open_index

    return open_index(options.index_path)


def scan_document(data: bytes, ruleset: Ruleset, options: ScanOptions, index: Any, origin: Origin
                  ) -> list[Finding]:
    """Rule findings, plus proprietary-code findings when an index is given."""
    found = list(scan(data, ruleset, origin=origin, engine=options.engine))
    if index is not None:
        found.extend(index.lookup(data, origin=origin, threshold=options.index_threshold))
    return found


def _scan_tasks(tasks: Sequence[FileTask], ruleset: Ruleset, options: ScanOptions, index: Any
                ) -> tuple[int, int, list[Finding], list[Skipped]]:
    files = nbytes = 0
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    for task in tasks:
        doc = read_document(task, max_size=options.max_file_size)
        if isinstance(doc, Skipped):
            skipped.append(doc)
            continue
        files += 1
        nbytes += len(doc.data)
        findings.extend(scan_document(doc.data, ruleset, options, index, Origin(path=doc.path)))
    return files, nbytes, findings, skipped


# --------------------------------------------------------------------------- driver


def _chunks(tasks: Iterable[FileTask]) -> Iterator[list[FileTask]]:
    chunk: list[FileTask] = []
    size = 0
    for task in tasks:
        chunk.append(task)
        try:
            size += os.lstat(task.fs_path).st_size
        except OSError:
            pass
        if len(chunk) >= _CHUNK_FILES or size >= _CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def scan_files(
    items: Iterable[FileTask | Skipped],
    ruleset: Ruleset,
    options: ScanOptions,
    *,
    decide: Decide = block_all,
    documents: Iterable[Document] = (),
) -> ScanReport:
    """Scan every file task (and extra in-memory documents such as stdin)."""
    started = time.perf_counter()
    totals = _Totals()
    tasks: list[FileTask] = []
    for item in items:
        if isinstance(item, Skipped):
            totals.skipped.append(item)
        else:
            tasks.append(item)
    ruleset.matcher(options.engine)  # compile (or load the cache) once, before any fork
    documents = list(documents)
    local_index = _open_index(options) if documents or tasks else None
    for doc in documents:
        totals.files += 1
        totals.bytes += len(doc.data)
        totals.findings.extend(scan_document(doc.data, ruleset, options, local_index, Origin(path=doc.path)))

    jobs = options.jobs or os.cpu_count() or 1
    progress = _Progress(len(tasks)) if options.progress else None
    try:
        if jobs > 1 and len(tasks) >= _PARALLEL_MIN_FILES:
            from concurrent.futures import ProcessPoolExecutor
            from multiprocessing import get_context

            with ProcessPoolExecutor(
                max_workers=jobs, mp_context=get_context("fork"),
                initializer=_init_worker, initargs=(ruleset, options),
            ) as pool:
                chunks = list(_chunks(tasks))
                for chunk, result in zip(chunks, pool.map(_scan_chunk, chunks)):
                    _add(totals, result)
                    if progress:
                        progress.advance(len(chunk))
        else:
            for chunk in _chunks(tasks):
                _add(totals, _scan_tasks(chunk, ruleset, options, local_index))
                if progress:
                    progress.advance(len(chunk))
    finally:
        if progress:
            progress.close()

    return build_report(totals.findings, totals.skipped, totals.files, totals.bytes,
                        time.perf_counter() - started, options.allowlist, decide)


def _add(totals: _Totals, result: tuple[int, int, list[Finding], list[Skipped]]) -> None:
    files, nbytes, findings, skipped = result
    totals.files += files
    totals.bytes += nbytes
    totals.findings.extend(findings)
    totals.skipped.extend(skipped)


def build_report(
    findings: Iterable[Finding],
    skipped: Iterable[Skipped],
    files: int,
    nbytes: int,
    seconds: float,
    allowlist: Allowlist,
    decide: Decide,
    *,
    baseline: Callable[[Finding], bool] | None = None,
) -> ScanReport:
    kept: list[ReportedFinding] = []
    baselined = 0
    for f in findings:
        if allowlist.allows(f.rule_id, f.origin.path, f.fingerprint, f.value):
            continue
        if baseline is not None and baseline(f):
            baselined += 1
            continue
        kept.append(ReportedFinding(f, decide(f)))
    kept.sort(key=lambda r: (r.finding.origin.path or "", r.finding.line, r.finding.column, r.finding.rule_id))
    return ScanReport(tuple(kept), tuple(skipped), files, nbytes, seconds, baselined)


class _Progress:
    """A rich progress bar on stderr (only created when stderr is a terminal)."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._progress = Progress(
            "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(file=sys.stderr), transient=True,
        )
        self._task = self._progress.add_task("scanning", total=total)
        self._progress.start()

    def advance(self, n: int) -> None:
        self._progress.advance(self._task, n)

    def close(self) -> None:
        self._progress.stop()
