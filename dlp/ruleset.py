"""Load and validate rule packs.

A rule pack is a YAML file (schema in docs/rules.md). Loading is strict: every
problem raises :class:`RuleError` naming the file and the rule id. Built-in
packs live in the ``dlp.rules`` package (the repository's ``rules/`` folder).
"""
from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from dlp import regex_cache
from dlp.cache import sha256
from dlp.errors import RuleError
from dlp.model import Category, Severity
from dlp.records import field, field_names, record, replace

if TYPE_CHECKING:
    from dlp.engine import Matcher

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_FILE_KEYS = {"description", "default", "rules"}
_RULE_KEYS = {
    "id", "name", "category", "severity", "pattern", "keywords", "multiline", "validators",
    "context", "allow", "placeholders", "test_values", "jurisdiction", "pii_class", "tags",
    "references", "description", "examples", "prefilter", "paths",
}
_REQUIRED = ("id", "name", "category", "severity", "pattern", "examples")
_CONTEXT_KEYS = {"words", "window", "required", "scope", "exclude", "header"}
_CONTEXT_SCOPES = ("line", "document", "column")
_JURISDICTIONS = {"my", "sg", "th", "id", "ph", "vn", "global"}
_PII_CLASSES = {"personal", "sensitive"}
DEFAULT_CONTEXT_WINDOW = 64
RE_FLAGS = re.MULTILINE


@record
class ValidatorCall:
    name: str
    args: tuple[tuple[str, Any], ...] = ()

    def __call__(self, value: str) -> bool:
        fn = _validators()[self.name]
        return bool(fn(value, **dict(self.args)) if self.args else fn(value))


@cache
def _validators() -> Mapping[str, Any]:
    """dlp.validators' registry, imported on first use (some validators pull
    in large libraries), then without an import statement per call."""
    from dlp.validators import VALIDATORS

    return VALIDATORS


@record
class Context:
    words: tuple[str, ...] = ()
    window: int = DEFAULT_CONTEXT_WINDOW
    required: bool = False
    # scope "line" (the default for personal data): the window stays on the
    # value's line (see dlp.context.has_context); "document": it crosses lines
    line: bool = False
    # words that say the value is something else (voucher, sku): with one in
    # the window and none of ``words``, the candidate is dropped
    exclude: tuple[str, ...] = ()
    # scope "column": only a table column whose whole name is one of
    # ``words`` vouches for the value (no window), in a table whose header
    # also holds one of ``header``, when given (see dlp.context.has_context)
    column: bool = False
    header: tuple[str, ...] = ()


@record
class Example:
    text: str
    value: str | None = None


@record
class Rule:
    id: str
    name: str
    category: Category
    severity: Severity
    pattern: str
    pack: str
    source: str  # file the rule was loaded from
    keywords: tuple[str, ...] = ()
    multiline: bool = False
    prefilter: str | None = None
    paths: tuple[str, ...] = ()  # gitignore-style: the rule runs only on matching files (and on text with no path)
    validators: tuple[ValidatorCall, ...] = ()
    context: Context | None = None
    allow: tuple[str, ...] = ()
    placeholders: bool = True
    test_values: tuple[str, ...] = ()
    jurisdiction: str | None = None
    pii_class: str | None = None
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    description: str = ""
    positive: tuple[Example, ...] = ()
    negative: tuple[Example, ...] = ()

    @property
    def regex(self) -> re.Pattern[bytes]:
        return _compiled(self.pattern)

    def applies_to(self, path: str | None) -> bool:
        """Whether the rule runs on a document at ``path`` (always, for text without a path)."""
        return not self.paths or path is None or path == "-" or _path_spec(self.paths).match_file(path)

    @property
    def allow_regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(_compiled_str(p) for p in self.allow)


_REGEX_CACHE: dict[str, re.Pattern[bytes]] = {}
_PATH_SPECS: dict[tuple[str, ...], Any] = {}


def _path_spec(patterns: tuple[str, ...]) -> Any:
    spec = _PATH_SPECS.get(patterns)
    if spec is None:
        if all(_SIMPLE_GLOB.fullmatch(p) for p in patterns):
            spec = _ComponentGlobs(patterns)
        else:
            spec = _path_spec_of(patterns)
        _PATH_SPECS[patterns] = spec
    return spec


# A gitignore pattern without a slash, negation, escape, comment, class or ``**``
# (``*.tf``, ``.env``): it matches a path when it matches one of the path's
# components, the file's name or a folder's. Rules' paths are such patterns;
# matching them needs no pathspec import (~24 ms, once per process: a
# pre-commit run on a few files would pay it whenever a rule with paths had
# a candidate).
_SIMPLE_GLOB = re.compile(r"[^/!#\\\s*\[\]]*(?:\*[^/!#\\\s*\[\]]+)*\*?")


class _ComponentGlobs:
    """``GitIgnoreSpec.from_lines(patterns).match_file`` for simple patterns (see _SIMPLE_GLOB)."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        from fnmatch import translate

        self._patterns = patterns
        self._spec: Any = None  # pathspec's own matcher, built for the first path it must read
        self._regex = re.compile("|".join(translate(p) for p in patterns), re.DOTALL)

    def match_file(self, file: str) -> bool:
        path = file.replace(os.sep, "/")
        if path.startswith("/"):  # as pathspec normalises a path: relative, without one leading ./
            path = path[1:]
        elif path.startswith("./"):
            path = path[2:]
        parts = path.split("/")
        if "" in parts:  # a//b, a/: pathspec's own reading of them
            if self._spec is None:
                self._spec = _path_spec_of(self._patterns)
            return bool(self._spec.match_file(file))
        return any(self._regex.match(part) for part in parts)


def _path_spec_of(patterns: tuple[str, ...]) -> Any:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


_STR_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[bytes]:
    # A memo of pure compilations (a function of the pattern text only), each
    # program also kept on disk: a hook process compiles the few rules with
    # candidates, up to several ms each. Nearly every rule pattern opens with a
    # lookbehind or \b, which keeps re from skipping to where a match can
    # begin: the program gets those bytes (dlp/regex_first.py), so a line is
    # searched at its digits, say, not at every byte.
    compiled = _REGEX_CACHE.get(pattern)
    if compiled is None:
        compiled = _REGEX_CACHE[pattern] = regex_cache.compile(pattern.encode("utf-8"), RE_FLAGS, first_bytes=True)
    return compiled


def _compiled_str(pattern: str) -> re.Pattern[str]:
    compiled = _STR_REGEX_CACHE.get(pattern)
    if compiled is None:
        compiled = _STR_REGEX_CACHE[pattern] = regex_cache.compile(pattern)
    return compiled


class Ruleset:
    """An ordered, immutable collection of rules, with matchers built on demand."""

    __slots__ = ("rules", "_ids", "_matchers", "_hash", "_prepared")

    def __init__(self, rules: Iterable[Rule]) -> None:
        # Rules from the disk cache stay undecoded until used (a hook scan
        # touches the few rules with candidates): a read-only sequence.
        self.rules: Sequence[Rule] = rules if isinstance(rules, _Picked) else tuple(rules)
        self._ids: dict[str, int] | None = None
        self._matchers: dict[str, Matcher] = {}
        self._hash: str | None = None
        self._prepared: dict[int, tuple[Rule, re.Pattern[bytes], int]] = {}

    def prepared(self, index: int) -> tuple[Rule, re.Pattern[bytes], int]:
        """(rule ``index``, its compiled regex, the number of the group holding
        its value: ``value``, or 0, the whole match), looked up once per
        process rather than once per document."""
        entry = self._prepared.get(index)
        if entry is None:
            rule = self.rules[index]
            regex = rule.regex
            entry = self._prepared[index] = (rule, regex, regex.groupindex.get("value", 0))
        return entry

    @property
    def _by_id(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = {_field(self.rules, i, "id"): i for i in range(len(self.rules))}
        return self._ids

    def __len__(self) -> int:
        return len(self.rules)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.rules)

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def get(self, rule_id: str) -> Rule:
        try:
            return self.rules[self._by_id[rule_id]]
        except KeyError:
            raise RuleError(f"unknown rule {rule_id!r}") from None

    @property
    def hash(self) -> str:
        """Content hash of what the matchers compile (patterns, prefilters, keywords,
        flags, order, and the context words and category that document gates are
        built from: dlp/engine/gate.py): SHA-256 over each rule's SHA-256 of
        those fields (kept in the disk cache: a cold process hashes 32 bytes
        a rule, not the patterns themselves)."""
        if self._hash is None:
            rules = self.rules
            if type(rules) is _Picked:  # the usual case, without a call per rule
                parts = [r.digests[i] if type(r) is _CachedRules else _digest(r[i]) for r, i in rules.picks]
            else:
                parts = [_digest_at(rules, i) for i in range(len(rules))]
            self._hash = sha256(b"".join(parts)).hexdigest()
        return self._hash

    def subset(self, rule_ids: Iterable[str]) -> Ruleset:
        wanted = set(rule_ids)
        return Ruleset(rule for rule in self.rules if rule.id in wanted)

    def adopt_matcher(self, name: str, matcher: Matcher, *, built_for: str) -> bool:
        """Use ``matcher`` (an engine's matcher for the ruleset whose
        :attr:`hash` is ``built_for``, e.g. restored from the hook snapshot)
        instead of building one. Refused, returning False, for other rules."""
        if built_for != self.hash or name in self._matchers:
            return False
        self._matchers[name] = matcher
        return True

    def matcher(self, engine: str = "auto") -> Matcher:
        from dlp.engine import build_matcher, resolve_engine

        name = resolve_engine(engine)
        matcher = self._matchers.get(name)
        if matcher is None:
            matcher = self._matchers[name] = build_matcher(name, self)
        return matcher


# --------------------------------------------------------------------------- loading


def builtin_rules_dir() -> Path:
    override = os.environ.get("DLP_RULES_DIR")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    if packaged.is_dir():
        return packaged
    return here.parent / "rules"  # source checkout


def builtin_pack_files() -> dict[str, Path]:
    """Pack name (path under the rules directory, no suffix) -> file, in path
    order. (os.walk: ``Path.rglob`` costs a hook process several ms.)"""
    root = builtin_rules_dir()
    found: list[tuple[list[str], str]] = []
    for directory, _dirs, names in os.walk(root, followlinks=True):
        rel = os.path.relpath(directory, root)
        parts = [] if rel == os.curdir else rel.split(os.sep)
        found.extend(([*parts, name], os.path.join(directory, name)) for name in names if name.endswith(".yaml"))
    found.sort()  # by path components, as sorted Paths are
    return {"/".join(parts)[: -len(".yaml")]: Path(path) for parts, path in found}


def load_pack_file(path: Path, *, pack: str | None = None) -> tuple[bool, list[Rule]]:
    """Parse one rule file: (enabled by default, rules). Raises RuleError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.__class__.__name__}: {exc}") from None
    import yaml

    try:
        doc = yaml.load(text, Loader=_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RuleError(f"{path}{where}: invalid YAML: {problem}") from None
    if not isinstance(doc, dict):
        raise RuleError(f"{path}: a rule file is a mapping with a 'rules' list")
    unknown = set(doc) - _FILE_KEYS
    if unknown:
        raise RuleError(f"{path}: unknown key {sorted(unknown)[0]!r}")
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list):
        raise RuleError(f"{path}: 'rules' must be a list")
    default = doc.get("default", True)
    if not isinstance(default, bool):
        raise RuleError(f"{path}: 'default' must be true or false")
    pack_name = pack or path.stem
    rules = [_parse_rule(path, pack_name, i, raw) for i, raw in enumerate(raw_rules)]
    return default, rules


def _loc(path: Path, rule_id: object, index: int) -> str:
    return f"{path}: rule {rule_id!r}" if isinstance(rule_id, str) else f"{path}: rule #{index + 1}"


def _str_list(where: str, key: str, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RuleError(f"{where}: {key!r} must be a list of strings")
    return tuple(value)


def _parse_rule(path: Path, pack: str, index: int, raw: object) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{path}: rule #{index + 1}: must be a mapping")
    where = _loc(path, raw.get("id"), index)
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RuleError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    for key in _REQUIRED:
        if key not in raw:
            raise RuleError(f"{where}: missing required key {key!r}")
    rule_id = raw["id"]
    if not isinstance(rule_id, str) or not _ID_RE.match(rule_id):
        raise RuleError(f"{where}: id must match {_ID_RE.pattern}")
    for key in ("name", "pattern", "description"):
        if key in raw and not isinstance(raw[key], str):
            raise RuleError(f"{where}: {key!r} must be a string")
    try:
        category = Category(raw["category"])
    except ValueError:
        raise RuleError(f"{where}: category must be one of secret, pii, proprietary") from None
    try:
        severity = Severity.parse(str(raw["severity"]))
    except KeyError:
        raise RuleError(f"{where}: severity must be one of low, medium, high, critical") from None
    pattern = raw["pattern"]
    _check_pattern(where, pattern)
    prefilter = raw.get("prefilter")
    if prefilter is not None:
        _check_pattern(where, prefilter, key="prefilter")
    paths = _str_list(where, "paths", raw.get("paths"))
    if paths:
        try:
            _path_spec(paths)
        except Exception as exc:  # pathspec raises several error types for bad patterns
            raise RuleError(f"{where}: paths: invalid pattern: {exc}") from None
    keywords = _str_list(where, "keywords", raw.get("keywords"))
    if any(not k for k in keywords):
        raise RuleError(f"{where}: empty keyword")
    for key in ("multiline", "placeholders"):
        if key in raw and not isinstance(raw[key], bool):
            raise RuleError(f"{where}: {key!r} must be true or false")
    allow = _str_list(where, "allow", raw.get("allow"))
    for p in allow:
        try:
            re.compile(p)
        except re.error as exc:
            raise RuleError(f"{where}: allow pattern {p!r} does not compile: {exc}") from None
    jurisdiction = raw.get("jurisdiction")
    if jurisdiction is not None and jurisdiction not in _JURISDICTIONS:
        raise RuleError(f"{where}: jurisdiction must be one of {', '.join(sorted(_JURISDICTIONS))}")
    pii_class = raw.get("pii_class")
    if pii_class is not None and pii_class not in _PII_CLASSES:
        raise RuleError(f"{where}: pii_class must be personal or sensitive")
    positive, negative = _parse_examples(where, raw["examples"])
    return Rule(
        id=rule_id,
        name=raw["name"],
        category=category,
        severity=severity,
        pattern=pattern,
        pack=pack,
        source=str(path),
        keywords=tuple(k.lower() for k in keywords),
        multiline=raw.get("multiline", False),
        prefilter=prefilter,
        paths=paths,
        validators=_parse_validators(where, raw.get("validators")),
        context=_parse_context(where, raw.get("context"), category),
        allow=allow,
        placeholders=raw.get("placeholders", True),
        test_values=_str_list(where, "test_values", raw.get("test_values")),
        jurisdiction=jurisdiction,
        pii_class=pii_class,
        tags=_str_list(where, "tags", raw.get("tags")),
        references=_str_list(where, "references", raw.get("references")),
        description=raw.get("description", ""),
        positive=positive,
        negative=negative,
    )


def _check_pattern(where: str, pattern: object, *, key: str = "pattern") -> None:
    if not isinstance(pattern, str) or not pattern:
        raise RuleError(f"{where}: {key!r} must be a non-empty string")
    try:
        compiled = re.compile(pattern.encode("utf-8"), RE_FLAGS)
    except re.error as exc:
        raise RuleError(f"{where}: {key} does not compile: {exc}") from None
    if key == "pattern" and compiled.groupindex and "value" not in compiled.groupindex:
        raise RuleError(f"{where}: named groups are allowed, but the value group must be named 'value'")
    if compiled.match(b"") is not None:
        raise RuleError(f"{where}: {key} matches the empty string")


def _parse_validators(where: str, raw: object) -> tuple[ValidatorCall, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RuleError(f"{where}: 'validators' must be a list")
    import inspect

    calls = []
    for item in raw:
        if isinstance(item, str):
            name, args = item, {}
        elif isinstance(item, dict) and len(item) == 1:
            name, args = next(iter(item.items()))
            if args is None:
                args = {}
            if not isinstance(args, dict):
                raise RuleError(f"{where}: validator {name!r}: arguments must be a mapping")
        else:
            raise RuleError(f"{where}: a validator is a name or a one-key mapping name: {{args}}")
        fn = _validators().get(name)
        if fn is None:
            raise RuleError(f"{where}: unknown validator {name!r}")
        try:
            inspect.signature(fn).bind("", **args)
        except TypeError as exc:
            raise RuleError(f"{where}: validator {name!r}: {exc}") from None
        calls.append(ValidatorCall(name, tuple(sorted(args.items()))))
    return tuple(calls)


def _parse_context(where: str, raw: object, category: Category) -> Context | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: 'context' must be a mapping")
    unknown = set(raw) - _CONTEXT_KEYS
    if unknown:
        raise RuleError(f"{where}: context: unknown key {sorted(unknown)[0]!r}")
    words = _str_list(where, "context.words", raw.get("words"))
    window = raw.get("window", DEFAULT_CONTEXT_WINDOW)
    if not isinstance(window, int) or isinstance(window, bool) or not 0 < window <= 4096:
        raise RuleError(f"{where}: context.window must be an integer from 1 to 4096")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise RuleError(f"{where}: context.required must be true or false")
    if required and not words:
        raise RuleError(f"{where}: context.required needs context.words")
    scope = raw.get("scope", "line" if category is Category.PII else "document")
    if scope not in _CONTEXT_SCOPES:
        raise RuleError(f"{where}: context.scope must be line, document or column")
    exclude = tuple(w.lower() for w in _str_list(where, "context.exclude", raw.get("exclude")))
    if required and exclude:
        raise RuleError(f"{where}: context.exclude is for optional context (a required word already decides)")
    header = tuple(w.lower() for w in _str_list(where, "context.header", raw.get("header")))
    if header and scope != "column":
        raise RuleError(f"{where}: context.header is for scope: column")
    if scope == "column" and (not required or exclude):
        raise RuleError(f"{where}: scope: column needs required: true and no context.exclude")
    return Context(tuple(w.lower() for w in words), window, required, scope == "line", exclude,
                   scope == "column", header)


def _parse_examples(where: str, raw: object) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
    if not isinstance(raw, dict) or set(raw) - {"positive", "negative"}:
        raise RuleError(f"{where}: 'examples' must be a mapping with 'positive' and 'negative' lists")
    out = []
    for kind in ("positive", "negative"):
        items = raw.get(kind)
        if not isinstance(items, list) or not items:
            raise RuleError(f"{where}: examples.{kind} must be a non-empty list")
        parsed = []
        for item in items:
            if isinstance(item, str):
                parsed.append(Example(item))
            elif isinstance(item, dict) and set(item) <= {"text", "value"} and isinstance(item.get("text"), str):
                value = item.get("value")
                if value is not None and not isinstance(value, str):
                    raise RuleError(f"{where}: examples.{kind}: 'value' must be a string")
                parsed.append(Example(item["text"], value))
            else:
                raise RuleError(f"{where}: examples.{kind}: an example is a string or {{text, value}}")
        out.append(tuple(parsed))
    return out[0], out[1]


def _loader() -> type:
    """A safe YAML loader (C-accelerated when available) that rejects duplicate keys."""
    global _LOADER
    if _LOADER is None:
        import yaml

        class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            pass

        def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
            seen: set[object] = set()
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # merged keys may be overridden: only explicit keys must be unique
                key = loader.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"duplicate key {key!r}", key_node.start_mark
                    )
                seen.add(key)
            return loader.construct_mapping(node, deep=deep)

        Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        _LOADER = Loader
    return _LOADER


_LOADER: type | None = None


# --------------------------------------------------------------------------- selection


@record
class Selection:
    """Which packs and rules to load (from .dlp.yaml or the command line)."""

    enable_packs: tuple[str, ...] = ()  # in addition to default packs; "all" enables every pack
    disable_packs: tuple[str, ...] = ()
    disable_rules: tuple[str, ...] = ()
    only_rules: tuple[str, ...] = ()
    extra_files: tuple[Path, ...] = ()
    min_severity: Severity = Severity.LOW
    categories: tuple[Category, ...] = field(default=())


def _pack_matches(pack: str, selector: str) -> bool:
    return selector == "all" or pack == selector or pack.startswith(selector.rstrip("/") + "/")


def load_ruleset(selection: Selection = Selection(), *, pack_files: Mapping[str, Path] | None = None,
                 examples: bool = False) -> Ruleset:
    """The rules a selection enables. Rule examples are only kept with
    ``examples=True`` (rules explain/test): scans start faster without them."""
    files = dict(builtin_pack_files() if pack_files is None else pack_files)
    for selector in (*selection.enable_packs, *selection.disable_packs):
        if not any(_pack_matches(p, selector) for p in files):
            raise RuleError(f"unknown rule pack {selector!r} (see `dlp rules list --packs`)")
    # (pack's rules, index): rules from the disk cache are looked at through
    # their plain fields (_field) and decoded only when a scan uses them
    chosen: list[tuple[Sequence[Rule], int]] = []
    ids: list[str] = []  # of the chosen rules
    for pack, path in files.items():
        default, rules = load_pack_file(path, pack=pack) if examples else _load_cached(path, pack)
        enabled = default or any(_pack_matches(pack, s) for s in selection.enable_packs)
        if any(_pack_matches(pack, s) for s in selection.disable_packs):
            enabled = False
        if enabled:
            chosen.extend((rules, i) for i in range(len(rules)))
            ids.extend(_ids(rules))
    for path in selection.extra_files:
        _, rules = load_pack_file(path, pack=f"extra/{path.stem}")
        chosen.extend((rules, i) for i in range(len(rules)))
        ids.extend(_ids(rules))
    seen: dict[str, tuple[Sequence[Rule], int]] = dict(zip(ids, chosen))
    if len(seen) != len(chosen):
        seen = {}
        for rule_id, (rules, i) in zip(ids, chosen):
            if rule_id in seen:
                other, j = seen[rule_id]
                raise RuleError(f"{_field(rules, i, 'source')}: rule {rule_id!r}: duplicate id "
                                f"(also in {_field(other, j, 'source')})")
            seen[rule_id] = (rules, i)
    for rule_id in (*selection.disable_rules, *selection.only_rules):
        if rule_id not in seen and not _known_anywhere(rule_id, files):
            raise RuleError(f"unknown rule {rule_id!r}")
    selected = chosen
    if selection.disable_rules or selection.only_rules:
        selected = [(rules, i) for rules, i in selected if _field(rules, i, "id") not in selection.disable_rules
                    and (not selection.only_rules or _field(rules, i, "id") in selection.only_rules)]
    if selection.min_severity > min(Severity):
        selected = [(rules, i) for rules, i in selected if _field(rules, i, "severity") >= selection.min_severity]
    if selection.categories:
        selected = [(rules, i) for rules, i in selected if _field(rules, i, "category") in selection.categories]
    return Ruleset(_Picked(selected))


def _known_anywhere(rule_id: str, files: Mapping[str, Path]) -> bool:
    for pack, path in files.items():
        rules = _load_cached(path, pack)[1]
        if any(_field(rules, i, "id") == rule_id for i in range(len(rules))):
            return True
    return False


_PACK_CACHE: dict[tuple[str, str, int, int], tuple[bool, Sequence[Rule]]] = {}
_DISK_FORMAT = "dlp-rules-6"


def _load_cached(path: Path, pack: str) -> tuple[bool, Sequence[Rule]]:
    """Parsing is a pure function of the file's content: memoise it by
    (path, mtime, size) in memory and on disk, so a cold process (a hook runs
    on every prompt) neither re-parses YAML nor recompiles validated regexes.
    The cached rules carry no examples (only `rules test`/`explain` need them)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise RuleError(f"{path}: cannot read rule file: {exc.strerror}") from None
    key = (str(path), pack, st.st_mtime_ns, st.st_size)
    cached = _PACK_CACHE.get(key)
    if cached is None:
        cached = _disk_load(key)
        if cached is None:
            default, rules = load_pack_file(path, pack=pack)
            cached = (default, [replace(rule, positive=(), negative=()) for rule in rules])
            _disk_store(key, cached)
        _PACK_CACHE[key] = cached
    return cached


# The disk cache holds each rule as a tuple of plain values in the order of
# Rule's fields (marshal: several times faster to load than pickled
# dataclasses); the few fields that hold enums or records are converted here.
_RULE_FIELDS: tuple[str, ...] | None = None
_LAYOUT_DIGEST: str | None = None


def _rule_fields() -> tuple[str, ...]:
    global _RULE_FIELDS
    if _RULE_FIELDS is None:
        _RULE_FIELDS = field_names(Rule)
    return _RULE_FIELDS


def _disk_path(key: tuple[str, str, int, int]) -> Path:
    global _LAYOUT_DIGEST
    from dlp.cache import cache_dir

    if _LAYOUT_DIGEST is None:
        import sys

        from dlp import __version__

        layout = tuple(field_names(cls) for cls in (Rule, Context, Example, ValidatorCall))
        _LAYOUT_DIGEST = repr((_DISK_FORMAT, __version__, layout, sys.version_info[:2]))
    digest = sha256(repr((_LAYOUT_DIGEST, key)).encode()).hexdigest()[:32]
    return cache_dir() / f"rules-{digest}.marshal"


def _encode_rule(rule: Rule, names: tuple[str, ...]) -> tuple[Any, ...]:
    row: list[Any] = []
    for name in names:
        value = getattr(rule, name)
        if name == "category":
            value = value.value
        elif name == "severity":
            value = int(value)
        elif name == "validators":
            value = tuple((call.name, call.args) for call in value)
        elif name == "context":
            value = None if value is None else tuple(getattr(value, f) for f in field_names(Context))
        elif name in ("positive", "negative"):
            value = tuple((example.text, example.value) for example in value)
        row.append(value)
    return tuple(row)


def _decoder(names: tuple[str, ...]):  # type: ignore[no-untyped-def]
    categories = {c.value: c for c in Category}
    severities = {int(s): s for s in Severity}
    at = {name: names.index(name) for name in ("category", "severity", "validators", "context", "positive",
                                               "negative")}
    i_cat, i_sev, i_val, i_ctx, i_pos, i_neg = at.values()

    def decode(row: tuple[Any, ...]) -> Rule:
        values = list(row)
        values[i_cat] = categories[values[i_cat]]
        values[i_sev] = severities[values[i_sev]]
        if values[i_val]:
            values[i_val] = tuple(ValidatorCall(name, args) for name, args in values[i_val])
        if values[i_ctx] is not None:
            values[i_ctx] = Context(*values[i_ctx])
        if values[i_pos]:
            values[i_pos] = tuple(Example(*e) for e in values[i_pos])
        if values[i_neg]:
            values[i_neg] = tuple(Example(*e) for e in values[i_neg])
        return Rule(*values)

    return decode


def _disk_load(key: tuple[str, str, int, int]) -> tuple[bool, Sequence[Rule]] | None:
    import marshal

    try:
        with open(_disk_path(key), "rb") as fh:
            value = marshal.loads(fh.read())
        names, default, heads, digests, rows = value
        if tuple(names) != _rule_fields() or not isinstance(default, bool) or not isinstance(rows, list):
            return None
        if not isinstance(heads, list) or not isinstance(digests, list):
            return None
        if not len(heads) == len(digests) == len(rows):
            return None
        if not all(isinstance(head, tuple) and len(head) == len(_HEAD) for head in heads):
            return None
        return default, _CachedRules(heads, digests, rows, _decoder(_rule_fields()))
    except Exception:  # noqa: BLE001 - a missing, stale or corrupt cache is only a miss
        return None


# The fields a selection looks at, kept apart from each rule's marshalled row.
_HEAD = {"id": 0, "source": 1, "severity": 2, "category": 3}


class _CachedRules(Sequence[Rule]):
    """One pack's rules from the disk cache: each rule's row stays a marshal
    blob until the rule is used, then becomes a :class:`Rule` (a process that
    scans a prompt uses a few of hundreds; decoding them all costs more than
    the scan). ``heads`` (id, source, severity, category) and ``digests``
    serve selection and :attr:`Ruleset.hash` without decoding."""

    __slots__ = ("_decode", "_decoded", "digests", "heads", "rows")

    def __init__(self, heads: list[tuple[Any, ...]], digests: list[bytes], rows: list[bytes],
                 decode: Any) -> None:
        self.heads = heads
        self.digests = digests
        self.rows = rows
        self._decode = decode
        self._decoded: list[Rule | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self.rows)))]
        rule = self._decoded[index]
        if rule is None:
            import marshal

            rule = self._decoded[index] = self._decode(marshal.loads(self.rows[index]))
        return rule

    def __iter__(self) -> Iterator[Rule]:
        for i in range(len(self.rows)):
            yield self[i]


class _Picked(Sequence[Rule]):
    """The rules a selection picked from packs' rule sequences, in order."""

    __slots__ = ("picks",)

    def __init__(self, picks: list[tuple[Sequence[Rule], int]]) -> None:
        self.picks = picks

    def __len__(self) -> int:
        return len(self.picks)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(rules[i] for rules, i in self.picks[index])
        rules, i = self.picks[index]
        return rules[i]

    def __iter__(self) -> Iterator[Rule]:
        for rules, i in self.picks:
            yield rules[i]

    def __repr__(self) -> str:
        return f"<{len(self.picks)} rules>"


def _head_at(rules: Sequence[Rule], index: int) -> tuple[tuple[Any, ...] | None, Sequence[Rule], int]:
    """(the cached head of ``rules[index]`` if it is not decoded, else None; and where the rule lives)."""
    if type(rules) is _Picked:  # type(), not isinstance: ABC instance checks are slow
        rules, index = rules.picks[index]
    if type(rules) is _CachedRules and rules._decoded[index] is None:
        return rules.heads[index], rules, index
    return None, rules, index


def _ids(rules: Sequence[Rule]) -> list[str]:
    """The ids of one pack's rules, in order (a cached pack's without decoding)."""
    if type(rules) is _CachedRules:
        return [head[_HEAD["id"]] for head in rules.heads]
    return [rule.id for rule in rules]


def _field(rules: Sequence[Rule], index: int, name: str) -> Any:
    """``getattr(rules[index], name)`` without decoding a cached rule (id,
    source, severity and category only)."""
    head, rules, index = _head_at(rules, index)
    if head is None:
        return getattr(rules[index], name)
    value = head[_HEAD[name]]
    if name == "severity":
        return Severity(value)
    if name == "category":
        return Category(value)
    return value


def _digest_at(rules: Sequence[Rule], index: int) -> bytes:
    """:func:`_digest` of ``rules[index]`` (kept in the disk cache: a cached
    rule is not decoded for it)."""
    if type(rules) is _Picked:
        rules, index = rules.picks[index]
    if type(rules) is _CachedRules:
        return rules.digests[index]
    return _digest(rules[index])


def _digest(rule: Rule) -> bytes:
    """What :attr:`Ruleset.hash` covers of ``rule``: the SHA-256 of :func:`_hash_bytes`."""
    return sha256(_hash_bytes(rule)).digest()  # type: ignore[no-any-return]


def _hash_bytes(rule: Rule) -> bytes:
    out = [rule.id.encode(), b"\0", rule.pattern.encode(), b"\0", (rule.prefilter or "").encode(),
           b"\0".join(k.encode() for k in rule.keywords), b"\1", b"m" if rule.multiline else b"s",
           rule.category.value.encode(), b"\0"]
    if rule.context is not None:
        out += [b"r" if rule.context.required else b"o", b"c" if rule.context.column else b"",
                b"\0".join(w.encode() for w in rule.context.words), b"\1"]
    return b"".join(out)


def _disk_store(key: tuple[str, str, int, int], value: tuple[bool, list[Rule]]) -> None:
    import marshal

    from dlp.cache import store_atomic

    names = _rule_fields()
    try:
        rules = value[1]
        blob = marshal.dumps((names, value[0],
                              [(r.id, r.source, int(r.severity), r.category.value) for r in rules],
                              [_digest(r) for r in rules],
                              [marshal.dumps(_encode_rule(r, names)) for r in rules]))
    except ValueError:  # a value marshal cannot hold (a validator argument of another type): no cache
        return
    store_atomic(_disk_path(key), blob)
