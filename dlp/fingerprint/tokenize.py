"""Normalised token streams of source code.

A source text becomes a byte string with one byte per token: ``I`` for every
identifier, ``S`` for every string/character/regex literal, ``N`` for every
number, the character itself for every punctuation character (``==`` is two
``=`` tokens), and one byte per keyword of the language (``def``, ``return``,
``while`` ...).  Comments, whitespace and import/include/package statements
produce nothing.  Renaming identifiers, changing literal values, reflowing
whitespace or adding comments therefore leaves the stream unchanged.

Two engines produce the same kind of stream:

* ``tree-sitter`` (default when the grammar package is installed): the grammar
  finds comments, strings and import statements exactly (multi-line
  strings, f-strings, template literals, heredocs, nested comments); what is
  left between them is split into words and punctuation by one regular
  expression and words are classified with the language's keyword table.
* ``regex`` (fallback when the grammar is missing or the language unknown):
  comments and strings are found by per-family regular expressions.

Grammar modules are imported the first time their language is used.
Each token keeps its source line: :class:`Tokens` holds the stream and the
token index at which every line starts.
"""
from __future__ import annotations

import importlib
import re
import threading
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

TOKENIZER_VERSION = "3"

IDENT = ord("I")
STRING = ord("S")
NUMBER = ord("N")
NEWLINE = ord("\n")

_STRING_MARK = b"\x01"
_NUMBER_MARK = b"\x02"

# words (identifiers, keywords, numbers) as the separators of one split: the
# pieces between them hold only punctuation, whitespace and the marks
_WORDS = re.compile(
    rb"([A-Za-z_\x80-\xff][\w\x80-\xff]*"  # word: identifier or keyword
    rb"|\d[\w.]*)"  # number the grammar did not mark
)
# between words: whitespace other than newlines goes, the string and number marks
# become S and N, any other control byte an identifier (punctuation stays itself)
_BETWEEN = bytes(
    STRING if b == 1 else NUMBER if b == 2 else IDENT if b < 0x20 and b != NEWLINE or b == 0x7F else b
    for b in range(256)
)
_BLANKS = b" \t\r\x0b\x0c"

# bytes a keyword may be mapped to: letters other than the token classes and
# bytes from 0x80 up (never punctuation, digits, whitespace or control bytes).
_KEYWORD_BYTES = tuple(
    b for b in range(0x41, 0x100)
    if (chr(b).isalpha() and b < 0x80 and b not in (IDENT, STRING, NUMBER)) or b >= 0x80
)


@dataclass(frozen=True, slots=True)
class LanguageSpec:
    """How one language is tokenised: grammar module, node kinds, keywords."""

    name: str
    extensions: tuple[str, ...]
    module: str  # tree-sitter grammar package
    function: str  # function in the package returning the language pointer
    comment_kinds: tuple[str, ...]
    string_kinds: tuple[str, ...]
    number_kinds: tuple[str, ...]  # documentation only: both engines read numbers with one pattern, so they agree
    import_kinds: tuple[str, ...]
    keywords: frozenset[str]
    family: str  # regex fallback syntax: "c", "hash", "sql", "python", "ruby", "php"
    case_insensitive: bool = False


def _kw(text: str) -> frozenset[str]:
    return frozenset(text.split())


_C_KW = _kw(
    "auto break case char const continue default do double else enum extern float for goto if "
    "inline int long register restrict return short signed sizeof static struct switch typedef "
    "union unsigned void volatile while bool true false NULL"
)
_JS_KW = _kw(
    "async await break case catch class const continue debugger default delete do else export "
    "extends false finally for from function get if in instanceof let new null of return set "
    "static super switch this throw true try typeof undefined var void while with yield"
)
_TS_KW = _JS_KW | _kw(
    "abstract any as boolean declare enum implements interface keyof module namespace never "
    "number private protected public readonly string type unknown"
)

LANGUAGES: dict[str, LanguageSpec] = {
    spec.name: spec
    for spec in (
        LanguageSpec(
            "python", (".py", ".pyi", ".pyw"), "tree_sitter_python", "language",
            ("comment",), ("string", "concatenated_string"), ("integer", "float"),
            ("import_statement", "import_from_statement", "future_import_statement"),
            _kw(
                "False None True and as assert async await break class continue def del elif else "
                "except finally for from global if import in is lambda nonlocal not or pass raise "
                "return try while with yield self cls"
            ),
            "python",
        ),
        LanguageSpec(
            "javascript", (".js", ".mjs", ".cjs", ".jsx"), "tree_sitter_javascript", "language",
            ("comment", "html_comment"), ("string", "template_string", "regex"), ("number",),
            ("import_statement",), _JS_KW, "c",
        ),
        LanguageSpec(
            "typescript", (".ts", ".mts", ".cts"), "tree_sitter_typescript", "language_typescript",
            ("comment", "html_comment"), ("string", "template_string", "regex"), ("number",),
            ("import_statement",), _TS_KW, "c",
        ),
        LanguageSpec(
            "tsx", (".tsx",), "tree_sitter_typescript", "language_tsx",
            ("comment", "html_comment"), ("string", "template_string", "regex"), ("number",),
            ("import_statement",), _TS_KW, "c",
        ),
        LanguageSpec(
            "java", (".java",), "tree_sitter_java", "language",
            ("line_comment", "block_comment"), ("string_literal", "character_literal"),
            (
                "decimal_integer_literal", "hex_integer_literal", "octal_integer_literal",
                "binary_integer_literal", "decimal_floating_point_literal",
                "hex_floating_point_literal",
            ),
            ("import_declaration", "package_declaration"),
            _kw(
                "abstract assert boolean break byte case catch char class const continue default do "
                "double else enum extends final finally float for goto if implements import "
                "instanceof int interface long native new package private protected public return "
                "short static strictfp super switch synchronized this throw throws transient try "
                "void volatile while true false null var record yield"
            ),
            "c",
        ),
        LanguageSpec(
            "go", (".go",), "tree_sitter_go", "language",
            ("comment",), ("interpreted_string_literal", "raw_string_literal", "rune_literal"),
            ("int_literal", "float_literal", "imaginary_literal"),
            ("import_declaration", "package_clause"),
            _kw(
                "break case chan const continue default defer else fallthrough for func go goto if "
                "import interface map package range return select struct switch type var nil true "
                "false"
            ),
            "c",
        ),
        LanguageSpec(
            "c", (".c", ".h"), "tree_sitter_c", "language",
            ("comment",), ("string_literal", "char_literal", "system_lib_string", "concatenated_string"),
            ("number_literal",), ("preproc_include",), _C_KW, "c",
        ),
        LanguageSpec(
            "cpp", (".cc", ".cpp", ".cxx", ".c++", ".hpp", ".hh", ".hxx", ".h++", ".ipp"),
            "tree_sitter_cpp", "language",
            ("comment",),
            ("string_literal", "char_literal", "raw_string_literal", "system_lib_string", "concatenated_string"),
            ("number_literal",), ("preproc_include", "using_declaration"),
            _C_KW | _kw(
                "catch class const_cast constexpr delete dynamic_cast explicit friend mutable "
                "namespace new noexcept nullptr operator override private protected public "
                "reinterpret_cast static_assert static_cast template this throw try typename using "
                "virtual final decltype"
            ),
            "c",
        ),
        LanguageSpec(
            "csharp", (".cs",), "tree_sitter_c_sharp", "language",
            ("comment",),
            (
                "string_literal", "character_literal", "verbatim_string_literal",
                "raw_string_literal", "interpolated_string_expression",
            ),
            ("integer_literal", "real_literal"), ("using_directive",),
            _kw(
                "abstract as async await base bool break byte case catch char checked class const "
                "continue decimal default delegate do double else enum event explicit extern false "
                "finally fixed float for foreach get goto if implicit in int interface internal is "
                "lock long namespace new null object operator out override params private protected "
                "public readonly ref return sbyte sealed set short sizeof static string struct "
                "switch this throw true try typeof uint ulong unchecked unsafe ushort using var "
                "virtual void volatile while yield"
            ),
            "c",
        ),
        LanguageSpec(
            "rust", (".rs",), "tree_sitter_rust", "language",
            ("line_comment", "block_comment"), ("string_literal", "raw_string_literal", "char_literal"),
            ("integer_literal", "float_literal"), ("use_declaration",),
            _kw(
                "as async await break const continue crate dyn else enum extern false fn for if impl "
                "in let loop match mod move mut pub ref return self Self static struct super trait "
                "true type unsafe use where while"
            ),
            "c",
        ),
        LanguageSpec(
            "kotlin", (".kt", ".kts"), "tree_sitter_kotlin", "language",
            ("line_comment", "block_comment"),
            ("string_literal", "multiline_string_literal", "character_literal"),
            ("number_literal", "float_literal"), ("import", "package_header"),
            _kw(
                "as break class continue do else false for fun if in interface is null object "
                "package return super this throw true try typealias val var when while by catch "
                "constructor companion data enum finally get init internal lateinit open override "
                "private protected public sealed set suspend"
            ),
            "c",
        ),
        LanguageSpec(
            "php", (".php",), "tree_sitter_php", "language_php",
            ("comment",), ("string", "encapsed_string", "heredoc", "nowdoc"), ("integer", "float"),
            ("namespace_use_declaration",),
            _kw(
                "abstract and array as break callable case catch class clone const continue declare "
                "default do echo else elseif empty enddeclare endfor endforeach endif endswitch "
                "endwhile extends final finally fn for foreach function global if implements "
                "include instanceof insteadof interface isset list match namespace new or print "
                "private protected public readonly require return static switch throw trait try "
                "unset use var while yield null true false self parent"
            ),
            "php",
        ),
        LanguageSpec(
            "ruby", (".rb", ".rake", ".gemspec"), "tree_sitter_ruby", "language",
            ("comment",),
            ("string", "bare_string", "character", "regex", "heredoc_beginning", "heredoc_body", "string_array", "symbol_array"),
            ("integer", "float"), (),
            _kw(
                "alias and begin break case class def defined do else elsif end ensure false for if "
                "in module next nil not or redo rescue retry return self super then true undef "
                "unless until when while yield attr_accessor attr_reader attr_writer require"
            ),
            "ruby",
        ),
        LanguageSpec(
            "sql", (".sql",), "tree_sitter_sql", "language",
            ("comment", "marginalia"), ("literal",), (), (),
            _kw(
                "select from where and or not in is null join left right inner outer full cross on "
                "group by order having limit offset insert into values update set delete create "
                "table view index primary key foreign references drop alter add column as distinct "
                "union all case when then else end exists between like begin commit rollback "
                "transaction with returning default unique constraint check if replace procedure "
                "function return returns declare cursor trigger asc desc count sum min max avg"
            ),
            "sql",
            case_insensitive=True,
        ),
    )
}

EXTENSIONS: dict[str, str] = {ext: spec.name for spec in LANGUAGES.values() for ext in spec.extensions}

# names used in ``` fences and by users
ALIASES: dict[str, str] = {
    "py": "python", "python3": "python", "py3": "python",
    "js": "javascript", "node": "javascript", "jsx": "javascript", "mjs": "javascript",
    "ts": "typescript", "c++": "cpp", "cxx": "cpp", "hpp": "cpp", "cc": "cpp",
    "cs": "csharp", "c#": "csharp", "c-sharp": "csharp", "c_sharp": "csharp",
    "rs": "rust", "kt": "kotlin", "kts": "kotlin", "rb": "ruby", "golang": "go",
    "postgres": "sql", "postgresql": "sql", "mysql": "sql", "sqlite": "sql", "plsql": "sql",
    "tsql": "sql", "h": "c",
}


def language_name(name: str | None) -> str | None:
    """Canonical language name for a fence tag or user input, or None if unknown."""
    if not name:
        return None
    key = name.strip().lower()
    if key in LANGUAGES:
        return key
    return ALIASES.get(key)


def language_for_path(path: str) -> str | None:
    """Language from a file name's extension, or None."""
    dot = path.rfind(".")
    if dot < 0 or "/" in path[dot:]:
        return None
    return EXTENSIONS.get(path[dot:].lower())


# --------------------------------------------------------------------------- streams


@dataclass(frozen=True, slots=True)
class Tokens:
    """A normalised token stream: one byte per token, and where lines start.

    ``line_starts[i]`` is the index of the first token at or after line ``i + 1``.
    """

    stream: bytes
    line_starts: tuple[int, ...]
    language: str | None
    engine: str  # "tree-sitter" or "regex"

    def __len__(self) -> int:
        return len(self.stream)

    def line_of(self, token_index: int) -> int:
        """1-based source line of the token at ``token_index``."""
        return bisect_right(self.line_starts, token_index)

    @property
    def line_count(self) -> int:
        return len(self.line_starts)


class _Vocabulary(dict):  # type: ignore[type-arg]
    """Word bytes -> normalised token (one byte), classifying unseen words once."""

    def __init__(self, keywords: frozenset[str], case_insensitive: bool) -> None:
        super().__init__()
        self._case_insensitive = case_insensitive
        ordered = sorted(k.lower() if case_insensitive else k for k in keywords)
        self._keywords = {
            kw: bytes((_KEYWORD_BYTES[i % len(_KEYWORD_BYTES)],)) for i, kw in enumerate(ordered)
        }

    def __missing__(self, word: bytes) -> bytes:
        if word[0] < 0x3A:  # a digit: the word pattern starts nothing else below letters
            value = _NUMBER_TOKEN
        else:
            text = word.decode("utf-8", "replace")
            if self._case_insensitive:
                text = text.lower()
            value = self._keywords.get(text, _IDENT_TOKEN)
        if len(self) < 500_000:
            self[word] = value
        return value


_IDENT_TOKEN = bytes((IDENT,))
_NUMBER_TOKEN = bytes((NUMBER,))


_lock = threading.Lock()
_vocabularies: dict[str, _Vocabulary] = {}
_generic_vocabulary: _Vocabulary | None = None


def _vocabulary(language: str | None) -> _Vocabulary:
    global _generic_vocabulary
    if language is None:
        if _generic_vocabulary is None:
            _generic_vocabulary = _Vocabulary(_C_KW | _JS_KW | LANGUAGES["python"].keywords, False)
        return _generic_vocabulary
    vocab = _vocabularies.get(language)
    if vocab is None:
        spec = LANGUAGES[language]
        vocab = _vocabularies.setdefault(language, _Vocabulary(spec.keywords, spec.case_insensitive))
    return vocab


def _stream(masked: bytes, vocabulary: _Vocabulary, language: str | None, engine: str) -> Tokens:
    if b"\\" in masked:  # a line continuation counts as the line break it hides
        masked = masked.replace(b"\\\r\n", b"\n").replace(b"\\\n", b"\n")
    parts = _WORDS.split(masked)  # between-word pieces at even indexes, words at odd ones
    parts[1::2] = map(vocabulary.__getitem__, parts[1::2])
    with_newlines = b"".join(parts).translate(_BETWEEN, _BLANKS)
    lines = with_newlines.split(b"\n")
    starts = tuple(accumulate(map(len, lines[:-1]), initial=0))
    return Tokens(b"".join(lines), starts, language, engine)


def _masked(source: bytes, spans: list[tuple[int, int, bytes]]) -> bytes:
    """Replace each (start, end, mark) span by its mark plus the newlines it held."""
    if not spans:
        return source
    spans.sort()
    out: list[bytes] = []
    pos = 0
    for start, end, mark in spans:
        if start < pos:  # nested in a span already replaced
            continue
        out.append(source[pos:start])
        out.append(mark)
        out.append(b"\n" * source.count(b"\n", start, end))
        pos = end
    out.append(source[pos:])
    return b"".join(out)


# --------------------------------------------------------------------------- tree-sitter engine


class _Grammar:
    """A loaded grammar: parser and the query that finds comments, strings, numbers, imports."""

    def __init__(self, spec: LanguageSpec) -> None:
        import tree_sitter as ts

        module = importlib.import_module(spec.module)
        self.language = ts.Language(getattr(module, spec.function)())
        self._ts = ts
        self._local = threading.local()
        groups = []
        for capture, kinds in (
            ("c", spec.comment_kinds), ("s", spec.string_kinds),
            ("x", spec.import_kinds),
        ):
            present = [k for k in kinds if self.language.id_for_node_kind(k, True)]
            if present:
                groups.append("[" + " ".join(f"({k})" for k in present) + f"] @{capture}")
        if self.language.id_for_node_kind("preproc_arg", True):  # C, C++: macro bodies are raw text
            groups.append("(preproc_arg) @m")
        self.query = ts.Query(self.language, "\n".join(groups))

    def parser(self) -> Any:
        parser = getattr(self._local, "parser", None)
        if parser is None:
            parser = self._local.parser = self._ts.Parser(self.language)
        return parser

    def spans(self, source: bytes) -> list[tuple[int, int, bytes]]:
        tree = self.parser().parse(source)
        captures = self._ts.QueryCursor(self.query).captures(tree.root_node)
        spans: list[tuple[int, int, bytes]] = []
        for capture, mark in (("c", b" "), ("x", b" "), ("s", b" \x01 ")):
            for node in captures.get(capture, ()):
                spans.append((node.start_byte, node.end_byte, mark))
        for node in captures.get("m", ()):  # read a macro body's strings and comments as the regex engine does
            start = node.start_byte
            body = source[start : node.end_byte]
            if b'"' in body or b"'" in body or b"/" in body:
                spans.extend((start + a, start + b, mark) for a, b, mark in _regex_spans(body, "c"))
        return spans


_grammars: dict[str, _Grammar | None] = {}


def grammar(language: str) -> _Grammar | None:
    """The loaded grammar of ``language``, or None if its package is not installed."""
    try:
        return _grammars[language]
    except KeyError:
        pass
    with _lock:
        if language not in _grammars:
            try:
                _grammars[language] = _Grammar(LANGUAGES[language])
            except (ImportError, AttributeError, OSError, ValueError):
                _grammars[language] = None
        return _grammars[language]


def has_grammar(language: str) -> bool:
    return grammar(language) is not None


# --------------------------------------------------------------------------- regex engine

_STR_DQ = rb'"(?:[^"\\\n]|\\.)*"'
_STR_SQ = rb"'(?:[^'\\\n]|\\.)*'"
_STR_BT = rb"`(?:[^`\\]|\\.)*`"
_BLOCK = rb"/\*.*?\*/"
# raw and prefixed strings of the C family: C++ R"d(...)d", Rust r#"..."#, C# @"..." and $"...",
# Kotlin/C#/Java text blocks """..."""
_C_RAW = (
    rb'(?:\b(?:u8|[uUL])?R"(?P<rd>[^(\s"]{0,16})\(.*?\)(?P=rd)"|\bb?r(?P<rh>#+)".*?"(?P=rh)|\bb?r"[^"]*"'
    rb'|\$?@"(?:[^"]|"")*"|\$"(?:[^"\\\n]|\\.)*"|"""(?:[^\\]|\\.)*?"""'
    rb"|\b(?:u8|[uUL])(?:\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'))"
)

# Python strings without their prefix (f, r, b, u, rb ...): a pattern that may
# start with a letter is tried at every letter and runs at half the speed, so
# the prefix is added afterwards (see _regex_spans)
_PY_STRING = (
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|'
    rb"'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''|" + _STR_DQ + b"|" + _STR_SQ
)
_PY_PREFIX = frozenset(b"rRbBuUfF")
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


_FALLBACK: dict[str, re.Pattern[bytes]] = {
    "c": re.compile(
        rb"(?P<c>//[^\n]*|" + _BLOCK + rb")|(?P<s>" + _C_RAW + b"|" + _STR_DQ + b"|" + _STR_SQ + b"|" + _STR_BT + rb")",
        re.DOTALL,
    ),
    "python": re.compile(rb"(?P<c>#[^\n]*)|(?P<s>" + _PY_STRING + b")", re.DOTALL),
    "ruby": re.compile(
        rb"(?P<c>#[^\n]*|^=begin.*?^=end)|(?P<s>" + _STR_DQ + b"|" + _STR_SQ + rb")", re.DOTALL | re.MULTILINE
    ),
    "php": re.compile(
        rb"(?P<c>//[^\n]*|#[^\n]*|" + _BLOCK + rb")|(?P<s>" + _STR_DQ + b"|" + _STR_SQ + rb")", re.DOTALL
    ),
    "sql": re.compile(rb"(?P<c>--[^\n]*|" + _BLOCK + rb")|(?P<s>" + _STR_SQ + b"|" + _STR_DQ + b")", re.DOTALL),
}
# import / include / package lines, found separately (a pattern that starts with
# ^ cannot use the regex engine's first-character skip)
_FALLBACK_IMPORTS: dict[str, re.Pattern[bytes]] = {
    # a statement may go on over several lines: JavaScript ``import {...}``, Go
    # ``import (...)``, Rust ``use a::{...};``
    "c": re.compile(
        rb"^[ \t]*(?:#[ \t]*include\b[^\n]*|(?:package|using)\b[^\n]*"
        rb"|import\b[^\n{(]*(?:\{[^}]*\}|\([^)]*\))?[^\n]*|use\b[^\n;{]*(?:\{[^;]*)?[^\n]*)",
        re.MULTILINE,
    ),
    # ``from a import (b,\n c)``, backslash continuations, ``from .import b``
    "python": re.compile(
        rb"^[ \t]*(?:import|from(?:[ \t]|\\\r?\n)+[\w.]+(?:[ \t]|\\\r?\n)*import)\b"
        rb"(?:(?:[ \t]|\\\r?\n)*\((?:[^)#]|#[^\n]*\n)*\)[^\n]*|(?:[^\n\\]+|\\\r?\n|\\)*)",
        re.MULTILINE,
    ),
    "php": re.compile(rb"^[ \t]*use\b[^\n]*", re.MULTILINE),
}


def _regex_spans(source: bytes, family: str) -> list[tuple[int, int, bytes]]:
    marks = {"c": b" ", "s": b" \x01 ", "rd": b" \x01 ", "rh": b" \x01 "}
    spans = [(m.start(), m.end(), marks[m.lastgroup or "c"]) for m in _FALLBACK[family].finditer(source)]
    if family == "python":  # take in a string prefix: up to two of rRbBuUfF, not part of a longer word
        for i, (start, end, mark) in enumerate(spans):
            if mark is marks["s"] and start and source[start - 1] in _PY_PREFIX:
                at = start - 1
                if at and source[at - 1] in _PY_PREFIX:
                    at -= 1
                if not at or source[at - 1] not in _WORD_BYTES:
                    spans[i] = (at, end, mark)
    imports = _FALLBACK_IMPORTS.get(family)
    if imports is not None and spans is not None:
        found = [(m.start(), m.end(), b" ") for m in imports.finditer(source)]
        if found:  # an import line inside a string or comment is not one
            starts = [a for a, _, _ in spans]
            for start, end, mark in found:
                i = bisect_right(starts, start) - 1
                if i < 0 or spans[i][1] <= start:
                    spans.append((start, end, mark))
    return spans


# --------------------------------------------------------------------------- auto engine

# Constructs the regex engine reads differently from the grammar.  The "auto"
# engine (what ``dlp index build`` uses by default) tokenises a file with the
# regex engine when none of these occurs in it, and parses it with tree-sitter
# otherwise, so both give the grammar's stream on every file (a test compares
# them on real code) while most files skip the parse, the costly part.
# Patterns may over-match (the file is only parsed); they must not miss.
# the family's import pattern eats lines that start with package/using/use/import;
# in a language without such a statement that line is code
def _not_statements(*words: str) -> bytes:
    return rb"|^[ \t]*(?:" + "|".join(words).encode() + rb")\b"


_JS_HAZARD = (
    rb"(?:^|[(,=:\[!&|?{};+\-*%<>~^]|\b(?:return|typeof|case|do|else|in|of|delete|void|throw|new|yield|await))"
    rb"[ \t]*/(?![/*])"  # a regular expression literal (or a division after an operator: parsed too)
    rb"|\$\{[^}`]*`"  # a template literal inside a template literal
    rb"|</?[A-Za-z][\w.]*[\s/>]|/>"  # JSX markup
    rb"|^[ \t]*import\b[^\n]*;[ \t]*[^\s/]|[;}][ \t]*import\b"  # import and code on one line (minified)
    + _not_statements("package", "using", "use")
)
_C_HAZARD = rb"\d'\d|//[^\n]*\\\r?\n|#[ \t]*(?:error|warning)\b"  # 1'000, a continued // comment, #error text
_HAZARDS: dict[str, re.Pattern[bytes] | None] = {
    # Python 3.12 f-strings may hold their own quote inside {...}; an import after ``if x:`` or ``;``
    "python": re.compile(
        rb"[fF][rRbB]?(?:\"[^\"\n]*\{[^}\"\n]*\"|'[^'\n]*\{[^}'\n]*')|[fF][rRbB]?(?:\"\"\"|''')"
        rb"|[:;][ \t]*(?:import|from)[ \t]"
    ),
    "javascript": re.compile(_JS_HAZARD, re.MULTILINE),
    "typescript": re.compile(_JS_HAZARD, re.MULTILINE),
    "tsx": None,  # markup everywhere: always parsed
    # a quote written as \u0022; an annotated package declaration (package-info.java)
    "java": re.compile(rb"\\u00?2[27]|\)[ \t]*(?://[^\n]*)?\n[ \t]*package\b" + _not_statements("using", "use"),
                       re.MULTILINE),
    "go": re.compile(rb"(?!)" + _not_statements("using", "use"), re.MULTILINE),
    "c": re.compile(_C_HAZARD + _not_statements("package", "using", "use", "import"), re.MULTILINE),
    "cpp": re.compile(
        _C_HAZARD + rb"|^[ \t]*using\b[^\n;]*=" + _not_statements("package", "use", "import"), re.MULTILINE
    ),
    # interpolated strings with quotes inside their holes; using statements
    "csharp": re.compile(
        rb"\$@?\"[^\"\n]*\{[^}\n]*\"|@\$\"|^[ \t]*using[ \t]*(?:\(|var\b|await\b)"
        + _not_statements("package", "use", "import"),
        re.MULTILINE,
    ),
    # lifetimes and labels ('a), byte strings, nested block comments
    "rust": re.compile(
        rb"'[A-Za-z_]\w*(?!['\w])|\bb[\"']|/\*" + _not_statements("package", "using", "import"), re.MULTILINE
    ),
    "kotlin": re.compile(rb"\$\{[^}\n]*[\"']" + _not_statements("using", "use"), re.MULTILINE),
    "php": re.compile(rb"<<<|\?>|#\[|^[ \t]+use\b", re.MULTILINE),  # heredocs, inline HTML, trait use
    "ruby": None,  # heredocs, %-literals, regular expressions: always parsed
    "sql": None,  # dialects differ too much: always parsed
}


def _regex_reads_like_grammar(data: bytes, language: str) -> bool:
    hazard = _HAZARDS.get(language)
    return hazard is not None and hazard.search(data) is None


# --------------------------------------------------------------------------- entry points


def tokenize(source: bytes | str, language: str | None, *, engine: str | None = None) -> Tokens:
    """Normalised tokens of ``source`` in ``language`` (None: generic regex tokenizer).

    ``engine``: "tree-sitter" or "regex" forces one; "auto" takes the regex
    engine where it reads the source exactly like the grammar would and
    tree-sitter elsewhere; by default tree-sitter is used when the grammar is
    installed.  ``Tokens.engine`` says which one ran.
    """
    data = source.encode("utf-8", "surrogateescape") if isinstance(source, str) else source
    if language is not None and language not in LANGUAGES:
        canonical = language_name(language)
        if canonical is None:
            raise ValueError(f"unknown language {language!r}")
        language = canonical
    vocabulary = _vocabulary(language)
    if language is None:
        return _stream(_masked(data, _regex_spans(data, "c")), vocabulary, None, "regex")
    spec = LANGUAGES[language]
    if engine == "auto" and _regex_reads_like_grammar(data, language):
        engine = "regex"
    if engine != "regex":
        loaded = grammar(language)
        if loaded is not None:
            return _stream(_masked(data, loaded.spans(data)), vocabulary, language, "tree-sitter")
        if engine == "tree-sitter":
            raise ValueError(f"no tree-sitter grammar installed for {language}")
    return _stream(_masked(data, _regex_spans(data, spec.family)), vocabulary, language, "regex")


def render(tokens: Tokens) -> str:
    """Readable form of a stream, for tests and debugging: keywords shown as ``<k..>``."""
    out = []
    for b in tokens.stream:
        ch = chr(b)
        out.append(ch if ch in "ISN" or (0x21 <= b <= 0x7E and not ch.isalnum()) else f"<k{b:02x}>")
    return " ".join(out)

