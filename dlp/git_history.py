"""`dlp scan --history`: every commit reachable, each distinct blob scanned once.

The main process lists commits with ``git log --raw`` (trees compared, no
patches: git never diffs file contents), keeps the ids of the blobs already
seen (20 bytes each) and sends chunks of blob ids, oldest first, to worker
processes. Each worker reads a blob and the version it replaces through its
own ``git cat-file --batch`` (only ids cross between processes), finds the
lines the new version adds (:mod:`dlp.sources.git_edits`) and scans the
windows around them; a worker holds two blobs at a time.

A secret is reported once per path, at its first commit, oldest first, and
marked ``present`` (still in a file at the tip) or ``history-only``.
"""
from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Generator, Sequence

from dlp.git_scan import (WHOLE_BLOB_SHARE, Baseline, BlobJob, ChunkResult, Executor, Progress, WorkerState,
                          chunked, dedupe_skipped)
from dlp.model import Finding, Origin, Skipped
from dlp.report import ScanReport
from dlp.ruleset import Ruleset
from dlp.runner import ScanOptions, block_all, build_report
from dlp.scan import scan
from dlp.sources import git
from dlp.sources.files import Document, decode_document
from dlp.sources.git_edits import added_windows, cut

STATUS_PRESENT = "present"
STATUS_HISTORY_ONLY = "history-only"
# A modified blob is scanned this many lines around what its commit added: the
# rest was scanned in the blob's earlier version.
HISTORY_CONTEXT = 10


# --------------------------------------------------------------------------- workers: read, find what was added, scan


def scan_history_chunk(state: WorkerState, jobs: Sequence[BlobJob]) -> ChunkResult:
    """Scan what each blob adds to the version it replaces (all of it for a new file)."""
    result = ChunkResult()
    # each job's base just before its blob: git resolves both from the same delta chain
    contents = state.catfile().read_many(
        [oid for job in jobs for oid in ((job.base, job.oid) if job.base else (job.oid,))], state.max_size)
    for job in jobs:
        base = next(contents)[1] if job.base else None
        oid, content = next(contents)
        if content is None:
            result.skipped.append(Skipped(job.path, f"blob {oid[:12]} missing from the repository"))
        elif isinstance(content, int):
            result.skipped.append(Skipped(job.path, f"larger than the size limit ({content} > {state.max_size} bytes)"))
        else:
            doc = decode_document(job.path, content)
            if isinstance(doc, Skipped):
                result.skipped.append(doc)
            else:
                previous = decode_document("", base) if isinstance(base, bytes) else None
                found = _scan_blob(doc.data, previous.data if isinstance(previous, Document) else None,
                                   job.origin, state, result)
                result.findings.append((oid, found))
    return result


def _scan_blob(data: bytes, previous: bytes | None, origin: Origin, state: WorkerState,
               result: ChunkResult) -> list[Finding]:
    """Findings on the lines ``data`` adds to ``previous`` (every line when
    None: a new file, or a binary previous version)."""
    if previous is None:
        result.files += 1
        result.bytes += len(data)
        return list(scan(data, state.ruleset, origin=origin, engine=state.engine))
    region = cut(data, previous)
    if region is None:  # only removals
        return []
    added = added_windows(data, region.begin, region.end, previous[region.begin:region.previous_end], 1,
                          HISTORY_CONTEXT)
    if not added.lines:  # lines moved or duplicated only: nothing new
        return []
    result.files += 1
    if sum(end - begin for begin, end, _ in added.windows) > WHOLE_BLOB_SHARE * len(data):
        result.bytes += len(data)
        found = list(scan(data, state.ruleset, origin=origin, engine=state.engine))
    else:
        found = []
        for begin, end, line in added.windows:
            result.bytes += end - begin
            for f in scan(data[begin:end], state.ruleset, origin=origin, engine=state.engine):
                found.append(replace(f, start=f.start + begin, end=f.end + begin, line=f.line + line - 1,
                                     end_line=f.end_line + line - 1))
    return [f for f in found if any(start <= f.end_line and f.line < start + count for start, count in added.lines)]


# --------------------------------------------------------------------------- entry point


def history_revs(root: str, *, since: str | None, branches: Sequence[str]) -> tuple[list[str], str | None, list[str]]:
    """(revisions for git log, --since date or None, tips whose trees count as present)."""
    if branches:
        tips = [git.require_commit(root, b, "--branch") for b in branches]
        revs = list(tips)
        present_tips = tips
    else:
        revs = ["--exclude=refs/stash", "--all"]
        present_tips = ["HEAD"] if git.has_head(root) else []
    since_date = None
    if since:
        since_commit = git.resolve_commit(root, since)
        if since_commit is not None:
            revs.append(f"^{since_commit}")
        else:
            since_date = since
    return revs, since_date, present_tips


def run_history(root: str, pathspecs: Sequence[str], *, since: str | None, branches: Sequence[str],
                ruleset: Ruleset, options: ScanOptions, baseline: Baseline | None, started: float) -> ScanReport:
    revs, since_date, tips = history_revs(root, since=since, branches=branches)
    if not tips and not branches:
        return build_report((), (), 0, 0, time.perf_counter() - started, options.allowlist, block_all,
                            baseline=baseline)
    progress = None
    if options.progress:
        progress = Progress("commits", git.count_commits(root, revs, since_date=since_date))

    first: dict[tuple[str, str], Finding] = {}  # (fingerprint, path) -> its oldest finding
    commit_order: dict[str, int] = {}
    total = ChunkResult()

    def collect(result: ChunkResult) -> None:
        total.files += result.files
        total.bytes += result.bytes
        total.skipped.extend(result.skipped)
        for _, found in result.findings:
            for f in found:
                first.setdefault((f.fingerprint, f.origin.path or ""), f)

    def blob_jobs() -> Generator[BlobJob, None, None]:
        """Each blob not seen before, at its first commit and path, oldest first."""
        seen: set[bytes] = set()
        for number, (commit, entries) in enumerate(
                git.commit_entries(root, revs, pathspecs, since_date=since_date), 1):
            if progress:
                progress.advance(1)
            for entry in entries:
                if not entry.has_new_text or entry.new_oid == entry.old_oid:
                    continue
                key = bytes.fromhex(entry.new_oid)
                if key in seen:
                    continue
                seen.add(key)
                commit_order.setdefault(commit.oid, number)
                yield BlobJob(entry.new_oid, Origin(entry.path, commit.oid, commit.author, commit.date),
                              base=entry.old_text_oid)

    executor = Executor(root, ruleset, options, parallel=True)
    jobs = blob_jobs()
    try:
        for chunk in chunked(jobs):
            for result in executor.submit(scan_history_chunk, chunk):
                collect(result)
        for result in executor.drain():
            collect(result)
    finally:
        executor.close()  # first: workers forked while git log ran hold its pipe too
        jobs.close()  # ends git log if the scan stopped early
        if progress:
            progress.close()

    present = values_at_tips(root, tips, {f.value for f in first.values()}, options.max_file_size)
    findings = [_with_status(f, STATUS_PRESENT if f.value in present else STATUS_HISTORY_ONLY)
                for f in first.values()]
    report = build_report(findings, dedupe_skipped(total.skipped), total.files, total.bytes,
                          time.perf_counter() - started, options.allowlist, block_all, baseline=baseline)
    ordered = sorted(report.findings, key=lambda r: (commit_order.get(r.finding.origin.commit or "", 0),
                                                     r.finding.origin.path or "", r.finding.line,
                                                     r.finding.column, r.finding.rule_id))
    return replace(report, findings=tuple(ordered))


def values_at_tips(root: str, tips: Sequence[str], values: set[str], max_size: int) -> set[str]:
    """Which of ``values`` still occur in a file of the trees of ``tips``."""
    if not values or not tips:
        return set()
    encoded = sorted({v.encode("utf-8", "surrogatepass") for v in values}, key=len, reverse=True)
    pattern = re.compile(b"|".join(re.escape(v) for v in encoded))
    found: set[bytes] = set()
    oids = [oid.hex() for oid in git.tree_blobs(root, tips)]
    with git.CatFile(root) as cat:
        for _, content in cat.read_many(oids, max_size):
            if isinstance(content, bytes):
                doc = decode_document("", content)
                if not isinstance(doc, Skipped):
                    found.update(m.group() for m in pattern.finditer(doc.data))
                    if len(found) == len(encoded):
                        break
    # a value inside a longer one found at the same place was hidden by the longer match
    found.update(v for v in encoded if v not in found and any(v in f for f in found))
    return {v for v in values if v.encode("utf-8", "surrogatepass") in found}


def _with_status(f: Finding, status: str) -> Finding:
    extra = tuple((k, v) for k, v in f.origin.extra if k != "status") + (("status", status),)
    return replace(f, origin=replace(f.origin, extra=extra))
