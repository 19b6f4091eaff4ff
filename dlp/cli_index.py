"""`dlp index`: build, inspect and query the proprietary-code index.

    dlp index build [PATH...] --out FILE [--public-dir DIR ...] [--exclude PATTERN ...]
    dlp index stats FILE
    dlp index query FILE [TEXT_FILE|-]

Without PATH, ``build`` indexes the policy's proprietary paths (``proprietary.paths``
in .dlp.yaml) and writes to the policy's ``index`` unless ``--out`` is given.
Runs on its own as ``python -m dlp.cli_index``.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence

import click

from dlp.errors import InputError, UsageError

_MAX_QUERY_BYTES = 64 * 1024 * 1024


def _err(message: str) -> None:
    click.echo(f"dlp: {message}", err=True)


def _policy_defaults() -> tuple[list[str], str | None]:
    """Proprietary files and index path from the policy, if there is one."""
    from dlp.config import find_config, load_config
    from dlp.policy import load_policy

    config_path = find_config()
    if config_path is None:
        return [], None
    policy = load_policy(load_config(config_path))
    out = os.fspath(policy.index_path) if policy.index_path else None
    files: list[str] = []
    if policy.proprietary_paths:
        spec = policy.proprietary_spec()
        root = policy.root
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in (".git", ".hg", ".svn", "node_modules", "__pycache__")]
            for name in filenames:
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                if spec.match_file(rel):
                    files.append(os.path.relpath(full))
    return sorted(files), out


@click.group("index", context_settings={"help_option_names": ["-h", "--help"]})
def index_group() -> None:
    """Index proprietary code so that fragments of it are found in outgoing text."""


@index_group.command("build")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--out", type=click.Path(dir_okay=False), help="Index file (default: the policy's `index`).")
@click.option("--public-dir", "public_dirs", multiple=True, type=click.Path(),
              help="Public code (e.g. site-packages): what also appears there never counts. Repeatable.")
@click.option("--exclude", multiple=True, help="Glob pattern of paths to leave out. Repeatable.")
@click.option("--max-df", type=click.IntRange(1), default=None,
              help="A fingerprint in more files than this is common (default: max(8, 1% of files)).")
@click.option("--full", is_flag=True, help="Re-index every file, not only the changed ones.")
@click.option("-j", "--jobs", type=click.IntRange(0, 256), default=0, help="Worker processes (0: all cores).")
@click.option("--engine", type=click.Choice(["auto", "tree-sitter", "regex"]), default="auto", show_default=True,
              help="Tokenizer: auto (regular expressions where they read a file like the grammar, "
                   "tree-sitter elsewhere), tree-sitter for every file, or regular expressions only.")
@click.option("-q", "--quiet", is_flag=True, help="Do not list skipped files.")
def build_command(paths: tuple[str, ...], out: str | None, public_dirs: tuple[str, ...], exclude: tuple[str, ...],
                  max_df: int | None, full: bool, jobs: int, engine: str, quiet: bool) -> None:
    """Create or update the index from source files (only changed files are re-read)."""
    from dlp.fingerprint import build

    targets = list(paths)
    if not targets or out is None:
        policy_files, policy_out = _policy_defaults()
        if not targets:
            targets = policy_files
            if not targets:
                raise UsageError("index build: no PATH given and the policy names no proprietary paths")
        out = out or policy_out
    if out is None:
        raise UsageError("index build: --out FILE is required (the policy names no index)")
    if os.path.dirname(out):
        os.makedirs(os.path.dirname(out), exist_ok=True)
    report = build(targets, out, public_dirs=public_dirs, exclude=exclude, max_df=max_df, full=full,
                   jobs=jobs or None, engine=engine)
    if not quiet:
        for skip in report.skipped:
            _err(f"skipped {skip.path}: {skip.reason}")
    if not report.indexed and not report.unchanged and report.skipped:
        raise InputError("index build: nothing could be indexed")
    rate = report.bytes_indexed / 1e6 / report.seconds if report.seconds else 0.0
    click.echo(
        f"{out}: {len(report.indexed)} indexed, {report.unchanged} unchanged, {len(report.removed)} removed, "
        f"{len(report.skipped)} skipped; {report.fingerprints_added} fingerprints added, "
        f"{report.common} common; {report.bytes_indexed / 1e6:.2f} MB in {report.seconds:.2f}s ({rate:.1f} MB/s)"
        + (f"; {report.public_files} public files" if report.public_files else "")
    )


@index_group.command("stats")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def stats_command(file: str, as_json: bool) -> None:
    """Print what an index holds."""
    from dlp.fingerprint import open_index

    with open_index(file) as index:
        stats = index.stats()
    figures = {
        "path": stats.path, "files": stats.files, "lines": stats.lines, "source_bytes": stats.source_bytes,
        "fingerprints": stats.fingerprints, "common": stats.common, "public_hashes": stats.public_hashes,
        "public_files": stats.public_files, "index_bytes": stats.index_bytes,
        "size_share": round(stats.size_share, 4), "languages": dict(stats.languages),
        "k": stats.k, "w": stats.w, "guaranteed_run": stats.k + stats.w - 1, "max_df": stats.max_df,
        "engine": stats.engine, "built": stats.built,
    }
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    for key, value in figures.items():
        if key == "languages":
            value = ", ".join(f"{name} {count}" for name, count in stats.languages) or "-"
        click.echo(f"{key:14} {value}")


@index_group.command("query")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("text_file", required=False, default="-")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None, help="Minimum share (default 0.5).")
@click.option("--min-matches", type=click.IntRange(1), default=None, help="Minimum matched fingerprints (default 3).")
@click.option("--language", default=None, help="Tokenise every region as this language instead of guessing.")
def query_command(file: str, text_file: str, threshold: float | None, min_matches: int | None,
                  language: str | None) -> None:
    """Print the proprietary fragments found in TEXT_FILE (or stdin) as JSON (exit 0 either way)."""
    from dlp.fingerprint import (
        DEFAULT_MIN_MATCHES,
        DEFAULT_THRESHOLD,
        language_name,
        lookup,
        open_index,
    )

    if language and language_name(language) is None:
        raise UsageError(f"--language: unknown language {language!r}")
    from dlp.cli import read_input

    name, data = read_input(text_file, _MAX_QUERY_BYTES)
    if b"\0" in data[:8192]:
        raise InputError(f"{name}: binary file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: invalid UTF-8 at byte {exc.start}") from None
    with open_index(file) as index:
        matches = lookup(
            text, index,
            threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
            min_matches=DEFAULT_MIN_MATCHES if min_matches is None else min_matches,
            language=language,
        )
    out = {
        "version": 1,
        "matches": [
            {
                "line": m.text_start_line, "end_line": m.text_end_line, "start": m.start, "end": m.end,
                "share": m.share, "matched": m.matched, "fingerprints": m.fingerprints, "language": m.language,
                "source": {"path": m.source_path, "start_line": m.source_start_line, "end_line": m.source_end_line},
            }
            for m in matches
        ],
    }
    click.echo(json.dumps(out, indent=2))


def main(argv: Sequence[str] | None = None) -> int:
    """Standalone entry point: `python -m dlp.cli_index ...`, the same as `dlp index ...`
    (the same error handling and exit codes: dlp.cli.main)."""
    from dlp.cli import main as dlp_main

    return dlp_main(["index", *(sys.argv[1:] if argv is None else argv)], fast=False)


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["index_group", "main"]
