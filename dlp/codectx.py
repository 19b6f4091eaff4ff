"""Syntax-aware confirmation of generic secret findings in source code.

The generic rules (``password = "..."``) are regular expressions: they cannot
tell an assignment from the same text in a comment, a docstring, a type
annotation or a call. When a generic finding has survived every other filter
and its file is in a language with an installed tree-sitter grammar (the
optional ``code`` extra; grammars are loaded by :mod:`dlp.fingerprint.tokenize`),
the document is parsed once and each such finding is asked where its value
sits. A rule opts in with a tag:

``code-assignment``
    the value must be a whole string literal bound to a secret-like name: an
    assignment, declaration, constant, keyword or named argument, dict/object
    key, struct field or default parameter. Rejected: comments, docstrings,
    positional call arguments, type-level literals, concatenations and
    interpolated strings (f-strings, template literals).
``code-call``
    the value is a literal argument (``setPassword("...")``, ``define(...)``):
    rejected in comments, docstrings and interpolated strings.
``generic`` (any other generic rule)
    rejected in comments and docstrings only.

Without a path, a grammar or tree-sitter, or where the tree has a syntax
error around the value, the regular expression's decision stands. Pure: no
I/O, the parse tree lives as long as one :class:`CodeView`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ASSIGNMENT_TAG = "code-assignment"
CALL_TAG = "code-call"
GENERIC_TAG = "generic"

MAX_PARSE_BYTES = 1024 * 1024  # larger documents keep the regex decision (parsing runs at ~4 MB/s)

# the string node kinds of every grammar dlp knows, beyond each language's own list
_STRING_KINDS = frozenset([
    "string", "string_literal", "template_string", "encapsed_string", "interpreted_string_literal",
    "raw_string_literal", "verbatim_string_literal", "interpolated_string_expression",
    "multiline_string_literal", "heredoc_body", "nowdoc_body", "character_literal", "char_literal",
])
# children of a string node that are its text or its delimiters (anything else interpolates)
_PLAIN_PART = re.compile(r"content|fragment|escape|character|string_start|string_end|delimiter|interpolation_start")
_DELIMITER_PART = re.compile(r"string_start|string_end|delimiter|interpolation_start")

# nodes a value may sit in between its string literal and the binding
_WRAPPERS = frozenset([
    "parenthesized_expression", "expression_list", "literal_element", "conditional_expression",
    "ternary_expression", "as_expression", "satisfies_expression", "non_null_expression",
    "equals_value_clause", "variable_initializer", "initializer_expression_list",
])
# a method called on the literal ("...".freeze, "...".to_string(), "...".encode())
_RECEIVERS = frozenset([
    "attribute", "call", "member_expression", "call_expression", "method_invocation",
    "navigation_expression", "member_access_expression", "invocation_expression", "field_expression",
    "selector_expression",
])
_CONCATENATIONS = frozenset(["binary_operator", "binary_expression", "additive_expression"])
# a string literal whose parent is one of these is bound to the name on its left
_BINDINGS = frozenset([
    # python
    "assignment", "augmented_assignment", "keyword_argument", "pair", "default_parameter",
    "typed_default_parameter", "named_expression",
    # javascript / typescript
    "variable_declarator", "assignment_expression", "augmented_assignment_expression",
    "assignment_pattern", "object_assignment_pattern", "field_definition", "public_field_definition",
    "enum_assignment",
    # go
    "const_spec", "var_spec", "short_var_declaration", "assignment_statement", "keyed_element",
    # java / c# / kotlin
    "element_value_pair", "property_declaration", "anonymous_object_creation_expression",
    # php
    "array_element_initializer", "const_element", "property_element", "property_initializer",
    # ruby
    "operator_assignment",
    # rust
    "const_item", "static_item", "let_declaration", "field_initializer",
    # c / c++
    "init_declarator", "initializer_pair",
])
# an argument node that is a binding only when it carries a name (C#, PHP, Kotlin)
_NAMED_ARGUMENTS = frozenset(["argument", "value_argument"])
_ARGUMENT_LISTS = frozenset(["argument_list", "arguments", "value_arguments", "annotation_argument_list"])
_BINDING_OPERATORS = frozenset(["=", ":=", "=>", ":", "||=", "??=", "?="])
_LIST_KIND = re.compile(r"parameters|_list$|arguments")

_SECRET_NAME = re.compile(
    r"(?i)pass|pwd|pw\b|secret|token|key|credential|auth|sandi|laluan|rahsia|rahasia|kunci|sign|cert|salt")


_C_COMMENTS = (b"//", b"/*")
# comment markers that, opening a line, make the line a comment without a parse
_LINE_COMMENTS: dict[str, tuple[bytes, ...]] = {
    "python": (b"#",), "ruby": (b"#",), "php": (b"#", b"//", b"/*"),
    **{name: _C_COMMENTS for name in ("javascript", "typescript", "tsx", "java", "go", "c", "cpp",
                                        "csharp", "rust", "kotlin")},
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Where a value sits: ``keep`` False means the finding is dropped, for ``reason``."""

    keep: bool
    reason: str


KEEP_UNKNOWN = Verdict(True, "no syntax tree")


def mode_for(tags: tuple[str, ...]) -> str | None:
    """The check a rule's tags ask for: ``assignment``, ``call``, ``text`` or None."""
    if ASSIGNMENT_TAG in tags:
        return "assignment"
    if CALL_TAG in tags:
        return "call"
    if GENERIC_TAG in tags:
        return "text"
    return None


class CodeView:
    """One document, parsed with tree-sitter on the first question, at most once."""

    __slots__ = ("_parsed", "_tree", "data", "language")

    def __init__(self, data: bytes, language: str | None) -> None:
        self.data = data
        self.language = language
        self._tree: Any = None
        self._parsed = False

    @classmethod
    def for_path(cls, data: bytes, path: str | None) -> CodeView:
        language = None
        if path and len(data) <= MAX_PARSE_BYTES:
            from dlp.fingerprint.tokenize import language_for_path

            language = language_for_path(path)
        return cls(data, language)

    def _root(self) -> Any:
        if not self._parsed:
            self._parsed = True
            if self.language is not None:
                from dlp.fingerprint.tokenize import grammar

                loaded = grammar(self.language)
                if loaded is not None:
                    try:
                        self._tree = loaded.parser().parse(self.data)
                    except Exception:  # noqa: BLE001 - an optional precision step never fails a scan
                        self._tree = None
        return None if self._tree is None else self._tree.root_node

    def verdict(self, start: int, end: int, mode: str) -> Verdict:
        """Whether the value at byte span [start, end) is what a rule in ``mode`` claims."""
        markers = _LINE_COMMENTS.get(self.language or "")
        if markers:
            # a line that opens with a comment marker needs no parse (the common
            # commented-out credential); inside a multi-line string it is dropped too
            line = self.data[self.data.rfind(b"\n", 0, start) + 1:start].lstrip()
            if line.startswith(markers):
                return Verdict(False, "in a comment")
        root = self._root()
        if root is None:
            return KEEP_UNKNOWN
        node = root.descendant_for_byte_range(start, end)
        string = None
        while node is not None:
            kind = node.type
            if kind == "ERROR":
                return Verdict(True, "syntax error")
            if "comment" in kind:
                return Verdict(False, "in a comment")
            if kind in _STRING_KINDS:
                string = node
                break
            node = node.parent
        if string is None:
            return Verdict(True, "not in a string literal") if mode != "assignment" else \
                Verdict(True, "no string literal found")
        line_start = self.data.rfind(b"\n", 0, start) + 1
        line_end = self.data.find(b"\n", end)
        line = root.descendant_for_byte_range(line_start, len(self.data) if line_end < 0 else line_end)
        if line is not None and line.has_error:
            return Verdict(True, "syntax error on the line")  # error recovery may misplace the binding
        if self.language == "python" and _is_docstring(string):
            return Verdict(False, "in a docstring")
        if mode == "text":
            return Verdict(True, "string literal")
        if _interpolated(string):
            return Verdict(False, "interpolated string")
        if _content_span(string) != (start, end):
            return Verdict(True, "inside a larger string")  # embedded config text: regex decides
        if mode == "call":
            return Verdict(True, "literal argument")
        return _binding_verdict(string, self.data)


def _is_docstring(string: Any) -> bool:
    parent = string.parent
    return parent is not None and parent.type == "expression_statement" and parent.named_child_count == 1


def _content_span(string: Any) -> tuple[int, int]:
    parts = [c for c in string.named_children if not _DELIMITER_PART.search(c.type)]
    if parts:
        return parts[0].start_byte, parts[-1].end_byte
    children = string.children
    if len(children) >= 3 and not children[0].is_named and not children[-1].is_named:
        return children[0].end_byte, children[-1].start_byte
    # no parts (C# verbatim strings): strip a short prefix and the closing quote
    text = string.text
    head = re.match(rb'[A-Za-z@$#]*["\'`]+', text)
    tail = re.search(rb'["\'`#]+$', text)
    return (string.start_byte + (head.end() if head else 0), string.end_byte - (len(tail.group()) if tail else 0))


def _interpolated(string: Any) -> bool:
    return any(not _PLAIN_PART.search(c.type) for c in string.named_children)


def _first_child_is(parent: Any, node: Any) -> bool:
    first = parent.child(0)
    return first is not None and first.start_byte == node.start_byte and first.end_byte == node.end_byte


def _binding_verdict(string: Any, data: bytes) -> Verdict:
    node = string
    parent = node.parent
    while parent is not None and (parent.type in _WRAPPERS or parent.type == "concatenated_string"
                                  or parent.type in _RECEIVERS and _first_child_is(parent, node)):
        node, parent = parent, parent.parent
    if parent is None:
        return Verdict(False, "not bound to a name")
    kind = parent.type
    if parent.has_error:
        return Verdict(True, "syntax error")
    if kind in _CONCATENATIONS:
        return Verdict(False, "part of a concatenation")
    if kind in _NAMED_ARGUMENTS:
        named = any(c.type in ("name_colon", "=", "name") or parent.field_name_for_child(i) == "name"
                    for i, c in enumerate(parent.children) if c.start_byte < node.start_byte)
        if not named:
            return Verdict(False, "positional call argument")
    elif kind in _ARGUMENT_LISTS:
        return Verdict(False, "positional call argument")
    elif kind not in _BINDINGS:
        # default parameters and the like: the literal follows a binding operator
        # (PHP, TypeScript, Kotlin, C#, C++, Ruby parameter defaults)
        operator = node.prev_sibling
        if operator is None or operator.is_named or operator.type not in _BINDING_OPERATORS:
            return Verdict(False, f"not bound to a name ({kind})")
        anchor = (node.prev_named_sibling or parent) if _LIST_KIND.search(kind) else parent
        left = data[anchor.start_byte:node.start_byte].decode("utf-8", "replace")
        if not _SECRET_NAME.search(left):
            return Verdict(False, "bound to another name")
        return Verdict(True, f"literal after {operator.type!r} ({kind})")
    left = data[parent.start_byte:node.start_byte].decode("utf-8", "replace")
    if not _SECRET_NAME.search(left):
        return Verdict(False, "bound to another name")
    return Verdict(True, f"literal bound to a name ({kind})")
