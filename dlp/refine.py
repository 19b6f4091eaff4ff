"""Document-level refinements of confirmed findings (one call from :func:`dlp.scan.scan`).

Two steps need the whole document rather than one match:

* a Kubernetes Secret manifest (rules tagged ``kubernetes-secret``) is matched
  as a block; every Secret of its YAML document (``kind: List`` items too) is
  read by :mod:`dlp.k8s_secret` and becomes one finding per ``data`` /
  ``stringData`` key, on the key's line (block scalars included), after ``data`` values are base64-decoded and empty,
  placeholder, templated and low-entropy entries (and public certificates)
  are dropped;
* generic findings in source code are checked against the syntax tree
  (:mod:`dlp.codectx`): a value in a comment, a docstring, a call or an
  interpolated string is dropped.

Pure: bytes and findings in, findings out.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from dlp.mask import fingerprint, mask
from dlp.model import Finding
from dlp.placeholders import is_placeholder
from dlp.records import replace

if TYPE_CHECKING:
    from dlp.codectx import CodeView

# dlp.codectx and dlp.k8s_secret are imported when a finding needs them: a
# hook process whose prompt has no finding loads neither.

K8S_SECRET_TAG = "kubernetes-secret"


@cache
def _public_keys() -> re.Pattern[str]:
    """Keys of a Secret that hold no credential (compiled when a manifest is found)."""
    return re.compile(
        r"(?i)^(?:user(?:name)?|login|host(?:name)?|port|database|db(?:name)?|name|namespace|region|"
        r"endpoint|server|schema|sslmode|type|kind|email)$|\.(?:crt|cert|pem\.pub|pub)$|^ca\b")


def refine(findings: list[Finding], data: bytes, path: str | None) -> list[Finding]:
    """``findings`` with Secret manifests split per key and generic findings
    confirmed against the syntax tree of ``data`` (parsed at most once)."""
    if not findings:
        return findings
    codectx: Any = None
    if path:  # text without a path (a prompt) has no language to parse
        from dlp import codectx

    out: list[Finding] = []
    view: CodeView | None = None
    entries: set[tuple[int, int]] = set()
    for finding in findings:
        if K8S_SECRET_TAG in finding.tags:
            for entry in kubernetes_secret_entries(finding, data):
                if (entry.start, entry.end) not in entries:  # both manifest rules may see one document
                    entries.add((entry.start, entry.end))
                    out.append(entry)
            continue
        mode = codectx.mode_for(finding.tags) if codectx is not None else None
        if mode is not None and path:
            if view is None:
                view = codectx.CodeView.for_path(data, path)
            if view.language is not None and not view.verdict(finding.start, finding.end, mode).keep:
                continue
        out.append(finding)
    return out


# --------------------------------------------------------------------------- Kubernetes Secrets


def kubernetes_secret_entries(block: Finding, data: bytes) -> Iterator[Finding]:
    """One finding per credential-bearing key of the Secrets in the YAML document holding ``block``."""
    from dlp.k8s_secret import secret_entries

    for entry in secret_entries(data, block.start):
        if _secret_entry(entry.key, entry.value, encoded=entry.encoded):
            yield _entry_finding(block, data, entry.start, entry.end, entry.value)


def _secret_entry(key: str, value: str, *, encoded: bool) -> bool:
    if not value or _public_keys().search(key) or value[0] in "$<":
        return False
    plain = value
    if encoded:
        import base64
        import binascii

        try:
            decoded = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            return False  # not base64: the API server would refuse it
        try:
            plain = decoded.decode("utf-8")
        except UnicodeDecodeError:
            return len(decoded) >= 8  # binary material: keystores, DER keys
        if plain.startswith("-----BEGIN CERTIFICATE"):
            return False
    plain = plain.strip()
    if len(plain) < 6 or "{{" in plain or "${" in plain:
        return False
    # a whole document (a JSON config, a multi-line file) is not judged by the
    # filler words it may contain (an "example" host name, a "test" flag)
    if not (plain.startswith(("{", "[")) or "\n" in plain) and is_placeholder(plain):
        return False
    from dlp.validators.common import shannon_entropy

    return shannon_entropy(plain) >= 2.5


def _entry_finding(block: Finding, data: bytes, start: int, end: int, value: str) -> Finding:
    line, column = _position(data, start)
    end_line, end_column = _position(data, end)
    return replace(block, start=start, end=end, line=line, column=column, end_line=end_line,
                   end_column=end_column, value=value, masked=mask(value, block.category),
                   fingerprint=fingerprint(block.rule_id, value))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, len(data[line_start:offset].decode("utf-8", "replace")) + 1
