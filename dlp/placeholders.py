"""Values that look like credentials but are templates, documentation or filler."""
from __future__ import annotations

import re

# Documented example credentials (vendor docs, RFCs, test suites). Lower-cased.
EXAMPLE_VALUES: frozenset[str] = frozenset(v.lower() for v in (
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "AKIAI44QH8DHBEXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "ASIAIOSFODNN7EXAMPLE",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "pk_test_TYooMQauvdEDq54NiTphI7jx",
    "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    "xoxb-not-a-real-token-this-will-not-work",
    "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",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI",
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "hunter2",
    "password",
    "passw0rd",
    "p@ssw0rd",
    "changeme",
    "change_me",
    "secret",
    "mysecret",
    "supersecret",
    "letmein",
    "admin",
    "root",
    "test",
    "testing",
    "example",
    "sample",
    "dummy",
    "foobar",
    "s3cr3t",
    "qwerty",
    "123456",
    "12345678",
    "1234567890",
))

_TEMPLATE_PATTERN = (
    r"""\$\{[^}]*\}          # ${VAR}
      | \$\([^)]*\)          # $(cmd)
      | \{\{.*?\}\}          # {{ var }}
      | \{%.*?%\}            # {% tag %}
      | <%=?.*?%>            # <%= erb %>
      | \#\{[^}]*\}          # #{ruby}
      | %\(\w+\)[sd]         # %(name)s
      | (?<![\w%])%[sd](?!\w)  # %s
      | ^\$[A-Z_][A-Z0-9_]*$ # $VAR alone
      | ^<[^<>]{1,64}>$      # <your-key>
      | ^\[[^\[\]]{1,64}\]$  # [your-key]
      | ^\{[A-Za-z_][\w.-]{0,63}\}$   # {api_key}
      | ^__[A-Z0-9_]+__$     # __TOKEN__
    """
)

_FILLER_WORDS_PATTERN = (
    r"(?i)(?:your|my)[_\- ]?(?:api[_\- ]?)?(?:key|token|secret|password|pass)"
    r"|placeholder|example|redacted|changeme|change[_-]me|insert[_\- ]?(?:your|here)|replace[_\- ]?me"
    r"|(?<![a-z])(?:dummy|fake|sample|todo|fixme|xxx)(?![a-z])"
    r"|not[_-]?a[_-]?real|do[_-]?not[_-]?use"
)

_FILLER_RUN_PATTERN = r"(?i)(x{5,}|\*{4,}|\.{4,}|#{5,}|-{6,}|_{6,}|0{10,}|(.)\2{7,})"

# compiled on the first value that is not a documented example (a hook process
# often has none: compiling costs more than the check)
_COMPILED: tuple[re.Pattern[str], ...] | None = None


def _patterns() -> tuple[re.Pattern[str], ...]:
    global _COMPILED
    if _COMPILED is None:
        from dlp.regex_cache import compile as compile_cached

        _COMPILED = (compile_cached(_TEMPLATE_PATTERN, re.VERBOSE), compile_cached(_FILLER_WORDS_PATTERN),
                     compile_cached(_FILLER_RUN_PATTERN))
    return _COMPILED


_SEQUENCES = ("0123456789", "1234567890", "abcdefghij", "abcdefghijklmnop", "qwertyuiop")

# What each pattern needs in an ASCII value, lower-cased (case-insensitive
# matching of ASCII is matching of the lower-cased text): a value without
# any of it skips that pattern. Most values checked are e-mail addresses and
# numbers, which hold none; the checks are plain literals (a set, and
# alternations ``re`` runs without case folding or look-arounds), at a
# quarter of the patterns' cost.
_TEMPLATE_CHARS = frozenset("${%<[#")  # or a leading "__"
_FILLER_WORDS = ("your", "my", "placeholder", "example", "redacted", "change", "insert", "replace", "dummy",
                 "fake", "sample", "todo", "fixme", "xxx", "not")
_FILLER_RUNS = ("xxxxx", "****", "....", "#####", "------", "______", "0000000000")
_ANY_RUN = r"(.)\1{7}"  # the filler-run pattern's (.)\2{7,}
_PRECHECKS: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None = None


def _prechecks() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The filler-word, filler-run and any-run checks, and one of every
    literal any of them or a sequence needs (most values hold none: one
    search then answers for all of them)."""
    global _PRECHECKS
    if _PRECHECKS is None:
        from dlp.regex_cache import compile as compile_cached

        literals = (*_FILLER_WORDS, *(re.escape(run) for run in _FILLER_RUNS), *_SEQUENCES)
        _PRECHECKS = (compile_cached("|".join(_FILLER_WORDS)),
                      compile_cached("|".join(re.escape(run) for run in _FILLER_RUNS)), compile_cached(_ANY_RUN),
                      compile_cached("|".join(literals)))
    return _PRECHECKS


def is_placeholder(value: str) -> bool:
    """True if ``value`` is a template, documentation example or filler."""
    if not value:
        return True
    lowered = value.lower()
    if lowered in EXAMPLE_VALUES:
        return True
    if value.isascii():
        # whether each pattern can match at all (template, filler words,
        # filler runs), from what it needs in the lower-cased value
        words, runs, any_run, literals = _prechecks()
        template = not _TEMPLATE_CHARS.isdisjoint(value) or value.startswith("__")
        long_run = len(lowered) >= 8 and any_run.search(lowered) is not None
        if not template and not long_run and literals.search(lowered) is None:
            return False  # no pattern can match, nor a sequence be in it
        may = (template, words.search(lowered) is not None, long_run or runs.search(lowered) is not None)
        if any(can and pattern.search(value) for can, pattern in zip(may, _patterns())):
            return True
    elif any(pattern.search(value) for pattern in _patterns()):
        return True
    return any(seq in lowered for seq in _SEQUENCES)
