"""Evaluation on real open-source code found on this machine.

Some packages play the proprietary code base and are indexed; fragments of
8-30 lines are cut from them at random and sent in four forms:

* ``verbatim``: the lines as they are;
* ``renamed``: every identifier consistently renamed;
* ``reformatted``: re-indented, spaces reflowed, braces moved, comments added,
  continuation lines joined;
* ``chat``: the lines wrapped in a chat prompt (prose before and after; fenced
  with a language tag, fenced without one, or pasted bare).

Fragments of other packages, in the same forms, are the negatives.  A
positive counts as found if a match is reported; it is attributed if the
match names the fragment's own file and overlaps its lines (a match to another proprietary file holding the same
code is a detection but not an attribution).  A fragment is used only if it holds at least
``MIN_TOKENS`` normalised tokens: 8 lines of docstring, comments or imports
carry no code to recognise (this filter applies to negatives too).

Corpora: the Python standard library (always present) and, when installed,
npm's JavaScript, C example programs, the JDK's Java sources (``lib/src.zip``,
extracted), the Google App Engine PHP SDK and the four Go programs in git's
contrib; a corpus that is missing is skipped.  No TypeScript, Kotlin, C#, Rust
or Ruby code of any size is installed on the development machine, so those
languages have no corpus here (the tokenizer tests cover them on snippets).
"""
from __future__ import annotations

import random
import re
import sysconfig
import textwrap
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dlp.fingerprint import LANGUAGES, build, lookup, open_index, tokenize
from dlp.fingerprint.tokenize import language_for_path

MIN_TOKENS = 40
KINDS = ("verbatim", "renamed", "reformatted", "chat")
STDLIB = Path(sysconfig.get_paths()["stdlib"])
NPM = Path("/usr/lib/node_modules/npm")
DOCS = Path("/usr/share/doc")
JDK_SOURCES = tuple(sorted(Path("/usr/lib/jvm").glob("*/lib/src.zip")))
APPENGINE_PHP = Path("/usr/lib/google-cloud-sdk/platform/google_appengine/php/sdk")
GIT_GO = DOCS / "git" / "contrib" / "persistent-https"


@dataclass(frozen=True)
class Corpus:
    language: str
    proprietary: tuple[Path, ...]
    public: tuple[Path, ...]  # negatives are cut from these
    positives: int  # fragments per kind
    negatives: int  # fragments per kind


def _extract_java(into: Path, packages: tuple[str, ...]) -> tuple[Path, ...]:
    """Extract some packages of the JDK's own sources; () if no JDK sources are installed."""
    for archive in JDK_SOURCES:
        if not archive.is_file():  # a dangling link from a JDK package without sources
            continue
        with zipfile.ZipFile(archive) as z:
            names = [n for n in z.namelist() if n.endswith(".java") and n.rsplit("/", 1)[0] in packages]
            for name in names:
                z.extract(name, into)
        return tuple(into / "java.base" / p.split("/", 1)[1] for p in packages if (into / "java.base" / p.split("/", 1)[1]).is_dir())
    return ()


def _corpora(scratch: Path | None = None) -> list[Corpus]:
    corpora = [
        Corpus(
            "python",
            tuple(STDLIB / p for p in ("email", "json", "http", "logging", "xml", "concurrent", "asyncio",
                                       "argparse.py", "difflib.py", "tarfile.py")),
            # not multiprocessing: its pool.py shares code with concurrent/futures (a true copy)
            tuple(STDLIB / p for p in ("unittest", "urllib", "importlib", "sqlite3", "ctypes",
                                       "inspect.py", "zipfile.py", "pathlib.py", "shutil.py", "subprocess.py",
                                       "configparser.py", "smtplib.py", "ftplib.py", "pickle.py", "typing.py",
                                       "dataclasses.py", "enum.py", "statistics.py", "textwrap.py")),
            60, 100,
        )
    ]
    if (NPM / "lib").is_dir():
        corpora.append(Corpus(
            "javascript",
            (NPM / "lib",),
            tuple(p for p in (NPM / "node_modules" / n for n in (
                "semver", "minimatch", "glob", "hosted-git-info", "ini", "lru-cache", "proc-log", "sigstore",
                "diff", "cidr-regex", "node-gyp", "tuf-js", "socks", "ip-address", "jsonparse")) if p.is_dir()),
            40, 60,
        ))
    zlib = DOCS / "zlib1g-dev" / "examples"
    others = tuple(p for p in (DOCS / "nettle-dev" / "examples", DOCS / "libxmlsec1-dev" / "examples",
                               DOCS / "linux-perf" / "examples") if p.is_dir())
    if zlib.is_dir() and others:
        corpora.append(Corpus("c", (zlib,), others, 30, 40))
    if scratch is not None:
        owned = _extract_java(scratch / "jdk-own", ("java.base/java/util/concurrent", "java.base/java/util/regex"))
        public = _extract_java(scratch / "jdk-public", (
            "java.base/java/time/format", "java.base/java/util/zip", "java.base/java/nio/file",
            "java.base/java/lang/reflect", "java.base/java/security/cert"))
        if owned and public:
            corpora.append(Corpus("java", owned, public, 40, 60))
    appengine = APPENGINE_PHP / "google" / "appengine"
    if (appengine / "api").is_dir() and (appengine / "runtime").is_dir():
        vfs = APPENGINE_PHP / "third_party" / "vfsstream"
        corpora.append(Corpus("php", (appengine / "api", appengine / "ext"),
                              tuple(p for p in (appengine / "runtime", vfs) if p.is_dir()), 30, 40))
    if (GIT_GO / "proxy.go").is_file() and (GIT_GO / "socket.go").is_file():
        # four small programs: two play the code base, two the negatives
        corpora.append(Corpus("go", (GIT_GO / "client.go", GIT_GO / "proxy.go"),
                              (GIT_GO / "main.go", GIT_GO / "socket.go"), 12, 12))
    return corpora


def _files(roots: tuple[Path, ...], language: str) -> list[Path]:
    out: list[Path] = []
    for root in roots:
        paths = [root] if root.is_file() else sorted(root.rglob("*"))
        for p in paths:
            if (p.is_file() and language_for_path(str(p)) == language and "test" not in p.name
                    and not p.name.endswith("_pb.php")):  # generated protocol buffer classes
                out.append(p)
    return out


# --------------------------------------------------------------------------- transformations

_IDENT = re.compile(r"\b[A-Za-z_][A-Za-z_0-9]*\b(?![\"'])")  # not a string prefix (f"", r'', L"")


def rename(text: str, language: str) -> str:
    keywords = LANGUAGES[language].keywords
    names: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        if word in keywords or text[: m.start()].rstrip(" \t").endswith("#"):  # keyword or #directive
            return word
        return names.setdefault(word, f"zz{len(names)}q")

    return _IDENT.sub(sub, text)


def reformat(text: str, language: str, rng: random.Random) -> str:
    comment = "#" if language in ("python", "ruby") else "//"
    lines = textwrap.dedent(text).split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        width = len(line) - len(stripped)
        indent = " " * (width // 2) if language == "python" else "\t" * (width // 2)
        body = re.sub(r"(?<=\S)[ \t]{2,}", " ", stripped.rstrip())
        body = re.sub(r"\s*,\s*(?=\S)", ", ", body)
        if language != "python":
            if rng.random() < 0.5 and not body.startswith(("#", "*", "/*", "//")):
                body = re.sub(r"\s*(==|!=|=|\+|-(?![->]))\s*(?=[\w(])", r" \1 ", body)
            if body.endswith("{") and len(body) > 1:
                out.append(indent + body[:-1].rstrip())
                out.append(indent + "{")
                continue
        if out and out[-1].rstrip().endswith(",") and body and rng.random() < 0.5:
            out[-1] = out[-1].rstrip() + " " + body  # join a continuation line
            continue
        out.append(indent + body)
        if i % 4 == 3:
            out.append(indent + f"{comment} reviewed")
        if i % 7 == 5:
            out.append("")
    return "\n".join(out)


_BEFORE = (
    "Hi! I have this code and it throws an exception on large inputs, can you help?",
    "Can you review the following function and suggest improvements?",
    "Why is this slow? Here's the relevant part of our code:",
    "Please explain what this does, step by step.",
)
_AFTER = (
    "Thanks in advance.",
    "It fails only in production. Any idea what's wrong?",
    "I'd like a version that is easier to test.",
    "",
)


def chat(text: str, language: str, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        body = f"```{language}\n{text}\n```"
    elif style == 1:
        body = f"```\n{text}\n```"
    else:
        body = text
    return f"{rng.choice(_BEFORE)}\n\n{body}\n\n{rng.choice(_AFTER)}\n"


def transform(kind: str, text: str, language: str, rng: random.Random) -> str:
    if kind == "verbatim":
        return text
    if kind == "renamed":
        return rename(text, language)
    if kind == "reformatted":
        return reformat(text, language, rng)
    return chat(text, language, rng)


# --------------------------------------------------------------------------- fragments


@dataclass(frozen=True)
class Fragment:
    path: str
    start_line: int
    end_line: int
    text: str


def fragments(files: list[Path], language: str, count: int, rng: random.Random) -> Iterator[Fragment]:
    sources = []
    for p in files:
        try:
            source = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        lines = source.split("\n")
        if len(lines) >= 40:
            sources.append((str(p), lines, tokenize(source, language).line_starts))
    made = tries = 0
    while made < count and tries < count * 50:
        tries += 1
        path, lines, line_starts = rng.choice(sources)
        length = rng.randint(8, 30)
        start = rng.randrange(0, len(lines) - length)
        text = "\n".join(lines[start : start + length])
        # code tokens on these lines, as tokenised in the whole file
        if line_starts[min(start + length, len(line_starts) - 1)] - line_starts[start] < MIN_TOKENS:
            continue
        made += 1
        yield Fragment(path, start + 1, start + length, text)


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, tuple[int, int]]]:
    """(found, total) per language and kind, plus false alarms under kind 'negative'."""
    scratch = tmp_path_factory.mktemp("eval")
    corpora = _corpora(scratch)
    out = scratch / "index.db"
    build([str(p) for c in corpora for p in c.proprietary], out, exclude=["*_pb.php"])
    results: dict[str, dict[str, tuple[int, int]]] = {}
    with open_index(out) as index:
        for corpus in corpora:
            rng = random.Random(f"dlp-eval-{corpus.language}")
            per_kind: dict[str, tuple[int, int]] = {}
            positives = list(fragments(_files(corpus.proprietary, corpus.language), corpus.language,
                                       corpus.positives, rng))
            attributed = 0
            for kind in KINDS:
                found = 0
                for frag in positives:
                    text = transform(kind, frag.text, corpus.language, rng)
                    matches = lookup(text, index)
                    if matches:
                        found += 1
                    if any(m.source_path == frag.path and m.source_start_line <= frag.end_line
                           and m.source_end_line >= frag.start_line for m in matches):
                        attributed += 1
                per_kind[kind] = (found, len(positives))
            # the match names the fragment's own file and lines (not another copy of the same code)
            per_kind["attributed"] = (attributed, len(positives) * len(KINDS))
            negatives = list(fragments(_files(corpus.public, corpus.language), corpus.language,
                                       corpus.negatives, rng))
            alarms = total = 0
            for frag in negatives:
                for kind in KINDS:
                    total += 1
                    if lookup(transform(kind, frag.text, corpus.language, rng), index):
                        alarms += 1
            per_kind["negative"] = (alarms, total)
            results[corpus.language] = per_kind
    report = "; ".join(
        f"{lang}: " + ", ".join(f"{kind} {a}/{b}" for kind, (a, b) in kinds.items())
        for lang, kinds in results.items()
    )
    print(f"\nfingerprint evaluation: {report}")
    return results


@pytest.mark.parametrize("kind", KINDS)
def test_recall_per_kind(evaluation: dict[str, dict[str, tuple[int, int]]], kind: str) -> None:
    for language, per_kind in evaluation.items():
        found, total = per_kind[kind]
        assert total > 0
        assert found / total >= 0.95, f"{language} {kind}: recall {found}/{total}"


def test_matches_name_the_source_file_and_lines(evaluation: dict[str, dict[str, tuple[int, int]]]) -> None:
    for language, per_kind in evaluation.items():
        found, total = per_kind["attributed"]
        assert found / total >= 0.9, f"{language}: attributed {found}/{total}"


def test_false_alarms(evaluation: dict[str, dict[str, tuple[int, int]]]) -> None:
    alarms = sum(kinds["negative"][0] for kinds in evaluation.values())
    total = sum(kinds["negative"][1] for kinds in evaluation.values())
    assert total > 0
    assert alarms / total <= 0.01, f"false alarms {alarms}/{total}"


def test_eval_transformations_keep_the_code_recognisable() -> None:
    rng = random.Random(1)
    source = "def f(a, b):\n    total = a + b  # sum\n    return total\n"
    assert rename(source, "python").startswith("def zz0q(zz1q, zz2q):")
    assert tokenize(rename(source, "python"), "python").stream == tokenize(source, "python").stream
    assert tokenize(reformat(source, "python", rng), "python").stream == tokenize(source, "python").stream
    assert "```" in chat(source, "python", random.Random(0)) or source in chat(source, "python", random.Random(0))

